import { native } from '../native.js';
import { ownedColumn } from './owned-column.js';
import { callNative, DataError, ParamError } from '../errors.js';
import { Line } from '../lines/line.js';
import { DataFeed, type SkippedRow } from './datafeed.js';
import { tickBars } from './tick-bars.js';

type Column = Float64Array | readonly number[];

/** Row flag: a trade printed on this tick. */
export const TICK_TRADE = 1;
/** Row flag: the best bid or ask (price or size) changed. */
export const TICK_QUOTE = 2;
/** Row flag: some level of the book changed. */
export const TICK_BOOK = 4;

/** Level2 columns in memory: per level (best first) one column per field. */
export interface Level2ColumnsInput {
  /** Epoch milliseconds (or `Date`s). */
  datetime: Column | readonly Date[];
  bidPrice: Column[];
  bidVolume: Column[];
  askPrice: Column[];
  askVolume: Column[];
  /** Last trade price (NaN before the first trade). */
  last: Column;
  /** Volume traded since the previous tick (0 = no trade). */
  lastVolume: Column;
  /** Aggressor side of the tick's trade (+1 buy, -1 sell, 0 = infer from the quotes). */
  side?: Column;
}

/** Options of Level2 feeds. */
export interface Level2Options {
  /** Name of the data (defaults to the file name, or `level2`). */
  name?: string;
  /** Width of the bars made from the ticks' trades, in milliseconds (default 60,000). */
  barMs?: number;
  /** Milliseconds from an order's creation until it reaches the book (default 0). */
  latencyMs?: number;
}

/** Options of {@link level2Csv}. */
export interface Level2CsvOptions extends Level2Options {
  /** Skip malformed rows and count them instead of failing on the first. */
  skipMalformed?: boolean;
  /** Field separator (one character), `,` by default. */
  separator?: string;
  /** Largest file read, in bytes (as for the CSV feeds: 4 GiB, 256 MiB from a device or pipe). */
  maxBytes?: number;
}

/** The trades of a Level2 feed: one entry per tick (volume 0 where none printed). */
export interface TradeStream {
  price: Line;
  volume: Line;
  /** Aggressor side: +1 buy, -1 sell, 0 no trade. */
  side: Line;
}

/**
 * A Level2 data: ticks with N levels of quotes per side and the trade printed since the
 * previous tick. Lines: `bidPrice1..N`, `bidVolume1..N`, `askPrice1..N`, `askVolume1..N`,
 * `last`, `lastVolume` (also as arrays `bidPrices[k]`, ...), the trade stream `trades`, and
 * bars made from the trades (`bars`, a {@link DataFeed} for indicators). As a data of the
 * engine its close is the mid price, which values positions. Add it with `cerebro.addL2Data`.
 */
export class Level2Feed extends DataFeed {
  /** Levels per side. */
  readonly depth: number;
  readonly bidPrices: Line[];
  readonly bidVolumes: Line[];
  readonly askPrices: Line[];
  readonly askVolumes: Line[];
  readonly last: Line;
  readonly lastVolume: Line;
  readonly mid: Line;
  readonly trades: TradeStream;
  /** Bars from the trades, `barMs` wide; its lines read the last completed bar. */
  readonly bars: DataFeed;
  /** @internal per tick: the last bar completed before it (-1 none). */
  readonly completedBar: Int32Array;
  /** @internal per tick: TICK_TRADE | TICK_QUOTE | TICK_BOOK. */
  readonly flags: Uint8Array;
  /** Milliseconds from an order's creation until it reaches the book. */
  readonly latencyMs: number;
  /** @internal raw columns. */
  readonly book: {
    bidPrice: Float64Array[]; bidVolume: Float64Array[]; askPrice: Float64Array[]; askVolume: Float64Array[];
    last: Float64Array; lastVolume: Float64Array; side: Float64Array;
  };
  /** `bidPrice1`, `askVolume3`, ... */
  [line: `${'bid' | 'ask'}${'Price' | 'Volume'}${number}`]: Line;

  /** @internal use {@link level2Csv} or {@link level2Columns}. */
  constructor(
    name: string,
    datetime: Float64Array,
    book: Level2Feed['book'],
    mid: Float64Array,
    flags: Uint8Array,
    options: Level2Options,
    skipped = 0,
    skippedExamples: readonly SkippedRow[] = [],
  ) {
    const n = datetime.length;
    super(name, { datetime, open: mid, high: mid, low: mid, close: mid, volume: book.lastVolume, openinterest: new Float64Array(n) }, skipped, skippedExamples);
    const barMs = options.barMs ?? 60_000;
    if (!Number.isFinite(barMs) || barMs <= 0) throw new ParamError(`barMs must be a number of milliseconds > 0, got ${barMs}`);
    const latency = options.latencyMs ?? 0;
    if (!Number.isFinite(latency) || latency < 0) throw new ParamError(`latencyMs must be a number >= 0, got ${latency}`);
    this.latencyMs = latency;
    this.depth = book.bidPrice.length;
    this.book = book;
    this.flags = flags;
    const lines = (cols: Float64Array[], what: string) =>
      cols.map((c, k) => {
        const line = new Line(c, this.cursor, 1, `${what}${k + 1}`);
        (this as unknown as Record<string, Line>)[`${what}${k + 1}`] = line;
        return line;
      });
    this.bidPrices = lines(book.bidPrice, 'bidPrice');
    this.bidVolumes = lines(book.bidVolume, 'bidVolume');
    this.askPrices = lines(book.askPrice, 'askPrice');
    this.askVolumes = lines(book.askVolume, 'askVolume');
    this.last = new Line(book.last, this.cursor, 1, 'last');
    this.lastVolume = new Line(book.lastVolume, this.cursor, 1, 'lastVolume');
    this.mid = new Line(mid, this.cursor, 1, 'mid');
    this.trades = { price: this.last, volume: this.lastVolume, side: new Line(book.side, this.cursor, 1, 'side') };
    const { bars, completed } = tickBars(name, datetime, book.last, book.lastVolume, barMs);
    this.bars = bars;
    this.completedBar = completed;
  }

  /** Milliseconds to the end of a tick's session: a tick ends at its own time. */
  override get sessionEnd(): number {
    return 0;
  }
}

/** Reads a Level2 CSV file (format: docs/orderbook.md); parsing and checks run in Rust. */
export function level2Csv(path: string, options: Level2CsvOptions = {}): Level2Feed {
  if (typeof path !== 'string') throw new ParamError(`level2Csv takes the path of a file (a string), got ${path === null ? 'null' : typeof path}`);
  const r = callNative(() => native.readLevel2Csv(path, options.separator, options.skipMalformed, options.maxBytes));
  const name = options.name ?? path.split(/[\\/]/).pop() ?? path;
  const book = {
    bidPrice: r.bidPrice, bidVolume: r.bidVolume, askPrice: r.askPrice, askVolume: r.askVolume,
    last: r.last, lastVolume: r.lastVolume, side: r.derived.side,
  };
  return new Level2Feed(name, r.datetime, book, r.derived.mid, r.derived.flags, options, r.skipped, r.skippedExamples);
}

/**
 * A Level2 feed over columns in memory (copied, as `fromColumns` does; fixed-size
 * `SharedArrayBuffer`s are shared). The columns
 * are checked in Rust: equal lengths, time order, sorted and uncrossed levels, sizes >= 0.
 */
export function level2Columns(input: Level2ColumnsInput, options: Level2Options = {}): Level2Feed {
  if (input === null || typeof input !== 'object') {
    throw new DataError('DATA', `level2Columns takes an object of columns { datetime, bidPrice: [...], bidVolume, askPrice, askVolume, last, lastVolume, side? }, got ${input === null ? 'null' : typeof input}`);
  }
  const levels = (cols: Column[] | undefined, what: string) => {
    if (!Array.isArray(cols)) throw new DataError('DATA', `'${what}' must be an array with one column per level`);
    return cols.map((c, k) => ownedColumn(c, `${what}[${k}]`));
  };
  const datetime = ownedColumn(input.datetime, 'datetime');
  const book = {
    bidPrice: levels(input.bidPrice, 'bidPrice'),
    bidVolume: levels(input.bidVolume, 'bidVolume'),
    askPrice: levels(input.askPrice, 'askPrice'),
    askVolume: levels(input.askVolume, 'askVolume'),
    last: ownedColumn(input.last, 'last'),
    lastVolume: ownedColumn(input.lastVolume, 'lastVolume'),
    side: new Float64Array(0) as Float64Array,
  };
  const name = options.name ?? 'level2';
  const given = input.side === undefined ? undefined : ownedColumn(input.side, 'side');
  const d = callNative(() =>
    native.checkLevel2Columns(name, datetime, book.bidPrice, book.bidVolume, book.askPrice, book.askVolume, book.last, book.lastVolume, given),
  );
  book.side = d.side;
  return new Level2Feed(name, datetime, book, d.mid, d.flags, options);
}
