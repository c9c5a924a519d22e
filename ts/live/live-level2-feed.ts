/**
 * A Level2 data filled while a live run reads it: book snapshots (N levels a side, the trade
 * since the previous one) appended row by row into preallocated columns, with what a Level2
 * file's reader derives computed as each row arrives, by the same rules: the aggressor side of a
 * trade, the mid price, the row's flags (trade, quote, book), and bars of the trades. Orders on
 * it fill against its book in the Rust matching engine, as in `runTicks()`.
 */
import { Level2Feed, TICK_BOOK, TICK_QUOTE, TICK_TRADE } from '../feeds/level2.js';
import type { Line } from '../lines/line.js';
import { DataError } from '../errors.js';
import { LiveFeed } from './live-feed.js';

/** One book snapshot (levels best first; `NaN` or missing for an empty level). */
export interface BookRow {
  time: number;
  bidPrice: ArrayLike<number>;
  bidVolume: ArrayLike<number>;
  askPrice: ArrayLike<number>;
  askVolume: ArrayLike<number>;
  /** The trade since the previous row (volume 0 or absent: none). */
  last?: number;
  lastVolume?: number;
  /** Aggressor side of the trade (+1 buy, -1 sell, 0 or absent: inferred from the quotes). */
  side?: number;
}

const nanColumn = (n: number) => new Float64Array(n).fill(NaN);

/** The live Level2 data (see the module comment). */
export class LiveLevel2Feed extends Level2Feed {
  count = 0;
  /** @internal lines over the columns besides the feed's own (indicators), for growth. */
  readonly dependents: Line[] = [];
  /** @internal called after the columns moved (the engine re-attaches them to the broker). */
  onGrow: (() => void) | null = null;
  private readonly barMs: number;
  private prevTrade = NaN;
  private prevSide = 0;
  private bucket = NaN;
  private mids: Float64Array;
  private flagCol: Uint8Array;
  private completedCol: Int32Array;

  constructor(name: string, depth: number, capacity: number, options: { barMs?: number; latencyMs?: number } = {}) {
    const n = Math.max(16, capacity);
    const levels = () => Array.from({ length: depth }, () => nanColumn(n));
    const book = { bidPrice: levels(), bidVolume: levels(), askPrice: levels(), askVolume: levels(), last: nanColumn(n), lastVolume: nanColumn(n), side: new Float64Array(n) };
    const mid = nanColumn(n);
    const flags = new Uint8Array(n);
    super(name, nanColumn(n), book, mid, flags, options);
    this.barMs = options.barMs ?? 60_000;
    this.mids = mid;
    this.flagCol = flags;
    this.completedCol = new Int32Array(n).fill(-1);
    const self = this as unknown as { bars: LiveFeed; completedBar: Int32Array };
    self.bars = new LiveFeed(`${name}:bars`, { timeframe: 'Minutes', compression: Math.max(1, Math.round(this.barMs / 60_000)) }, 1024);
    self.completedBar = this.completedCol;
  }

  override get size(): number {
    return this.count;
  }

  /** The bars of the trades, filled as they complete. */
  get liveBars(): LiveFeed {
    return this.bars as LiveFeed;
  }

  /** Time of the last row, or -Infinity before the first. */
  get lastTime(): number {
    return this.count === 0 ? -Infinity : this.columns.datetime[this.count - 1]!;
  }

  /**
   * Appends a row; returns its index and the index of a bar its arrival completed (-1 none).
   * @throws DataError for a row the Level2 reader would refuse (levels out of order, a crossed
   * book, a trade without a price); the engine counts it as invalid.
   */
  append(row: BookRow): { i: number; completed: number } {
    this.check(row);
    if (this.count === this.columns.datetime.length) this.grow();
    const i = this.count;
    const b = this.book;
    const depth = this.depth;
    b.last[i] = row.last ?? NaN;
    b.lastVolume[i] = row.lastVolume ?? 0;
    this.columns.datetime[i] = row.time;
    for (let k = 0; k < depth; k++) {
      b.bidPrice[k]![i] = row.bidPrice[k] ?? NaN;
      b.bidVolume[k]![i] = row.bidPrice[k] === undefined || Number.isNaN(row.bidPrice[k]) ? NaN : (row.bidVolume[k] ?? 0);
      b.askPrice[k]![i] = row.askPrice[k] ?? NaN;
      b.askVolume[k]![i] = row.askPrice[k] === undefined || Number.isNaN(row.askPrice[k]) ? NaN : (row.askVolume[k] ?? 0);
    }
    this.derive(i, row.side ?? 0);
    this.count++;
    // Bars of the trades, as `tickBars` makes them: a row in a later bucket completes the open bar.
    const bars = this.liveBars;
    const bucket = Math.floor(row.time / this.barMs) * this.barMs;
    const open = bars.count > 0 && bars.columns.datetime[bars.count - 1] === this.bucket;
    let completed = -1;
    if (open && bucket !== this.bucket) completed = bars.count - 1;
    this.completedCol[i] = completed >= 0 ? completed : i > 0 ? this.completedCol[i - 1]! : -1;
    const q = b.lastVolume[i]!;
    if (q > 0) {
      const p = b.last[i]!;
      if (bucket !== this.bucket || bars.count === 0) {
        this.bucket = bucket;
        bars.append({ time: bucket, open: p, high: p, low: p, close: p, volume: q });
      } else {
        const c = bars.columns;
        const k = bars.count - 1;
        if (p > c.high[k]!) c.high[k] = p;
        if (p < c.low[k]!) c.low[k] = p;
        c.close[k] = p;
        c.volume[k]! += q;
      }
    }
    return { i, completed };
  }

  /** The rules of the Level2 reader's checks, on one row. */
  private check(row: BookRow): void {
    const fail = (what: string) => {
      throw new DataError('DATA', `'${this.name}': book row at ${row.time}: ${what}`);
    };
    if (!Number.isFinite(row.time)) fail('time must be a finite number');
    if (!(row.time >= this.lastTime)) fail(`time ${row.time} is before the previous row's ${this.lastTime}`);
    const side = (prices: ArrayLike<number>, volumes: ArrayLike<number>, bid: boolean) => {
      let prev = NaN;
      let ended = false;
      for (let k = 0; k < this.depth; k++) {
        const p = prices[k];
        if (p === undefined || Number.isNaN(p)) {
          ended = true;
          continue;
        }
        if (ended) fail(`level ${k + 1} has a price but a better level is empty`);
        if (!Number.isFinite(p)) fail(`price ${p} is not finite`);
        const q = volumes[k] ?? 0;
        if (!(q >= 0 && Number.isFinite(q))) fail(`volume ${q} must be a finite number >= 0`);
        if (!Number.isNaN(prev) && (bid ? p >= prev : p <= prev)) fail(`${bid ? 'bid' : 'ask'} prices must be strictly ${bid ? 'descending' : 'ascending'}`);
        prev = p;
      }
    };
    side(row.bidPrice, row.bidVolume, true);
    side(row.askPrice, row.askVolume, false);
    if ((row.bidPrice[0] ?? NaN) >= (row.askPrice[0] ?? NaN)) fail(`crossed book: best bid ${row.bidPrice[0]} >= best ask ${row.askPrice[0]}`);
    const q = row.lastVolume ?? 0;
    if (!(Number.isNaN(q) || (q >= 0 && Number.isFinite(q)))) fail(`volume ${q} must be a finite number >= 0`);
    if (q > 0 && !Number.isFinite(row.last ?? NaN)) fail(`a trade of volume ${q} needs a finite price`);
  }

  /** Side, mid and flags of row `i`, as the Level2 reader derives them. */
  private derive(i: number, given: number): void {
    const b = this.book;
    const same = (c: Float64Array[], k: number) => c[k]![i] === c[k]![i - 1] || (Number.isNaN(c[k]![i]) && Number.isNaN(c[k]![i - 1]));
    let flags = 0;
    if (i === 0) flags |= TICK_QUOTE | TICK_BOOK;
    else if (!(same(b.bidPrice, 0) && same(b.bidVolume, 0) && same(b.askPrice, 0) && same(b.askVolume, 0))) flags |= TICK_QUOTE | TICK_BOOK;
    else {
      for (let k = 1; k < this.depth; k++) {
        if (!(same(b.bidPrice, k) && same(b.bidVolume, k) && same(b.askPrice, k) && same(b.askVolume, k))) {
          flags |= TICK_BOOK;
          break;
        }
      }
    }
    const q = b.lastVolume[i]!;
    b.side[i] = 0;
    if (q > 0) {
      flags |= TICK_TRADE;
      const p = b.last[i]!;
      // The quote the trade met: the previous row's book (this row's for the first).
      const j = Math.max(0, i - 1);
      const qb = b.bidPrice[0]![j]!;
      const qa = b.askPrice[0]![j]!;
      let side: number;
      if (given > 0) side = 1;
      else if (given < 0) side = -1;
      else if (p >= qa) side = 1;
      else if (p <= qb) side = -1;
      else if (p > this.prevTrade) side = 1;
      else if (p < this.prevTrade) side = -1;
      else if (this.prevSide !== 0) side = this.prevSide;
      else side = qa - p <= p - qb ? 1 : -1;
      b.side[i] = side;
      this.prevTrade = p;
      this.prevSide = side;
    }
    const bid = b.bidPrice[0]![i]!;
    const ask = b.askPrice[0]![i]!;
    const mid = !Number.isNaN(bid) && !Number.isNaN(ask) ? (ask + bid) * 0.5 : !Number.isNaN(bid) ? bid : !Number.isNaN(ask) ? ask : b.last[i]!;
    this.mids[i] = Number.isNaN(mid) && i > 0 ? this.mids[i - 1]! : mid;
    this.flagCol[i] = flags;
  }

  /** Doubles the room of every column, keeping every line (and book view) pointed at its data. */
  grow(): void {
    const n = this.columns.datetime.length * 2;
    const moved = new Map<ArrayLike<number>, Float64Array>();
    const bigger = (old: Float64Array): Float64Array => {
      let next = moved.get(old);
      if (!next) {
        next = nanColumn(n);
        next.set(old);
        moved.set(old, next);
      }
      return next;
    };
    const b = this.book as unknown as Record<string, Float64Array | Float64Array[]>;
    for (const key of ['bidPrice', 'bidVolume', 'askPrice', 'askVolume'] as const) {
      const list = b[key] as Float64Array[];
      for (let k = 0; k < list.length; k++) list[k] = bigger(list[k]!);
    }
    for (const key of ['last', 'lastVolume'] as const) b[key] = bigger(b[key] as Float64Array);
    const side = new Float64Array(n);
    side.set(this.book.side);
    b.side = side;
    moved.set(this.trades.side.array, side);
    const cols = this.columns as unknown as Record<string, Float64Array>;
    this.mids = bigger(this.mids);
    for (const key of ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest']) cols[key] = bigger(cols[key]!);
    const flags = new Uint8Array(n);
    flags.set(this.flagCol);
    this.flagCol = flags;
    const completed = new Int32Array(n).fill(-1);
    completed.set(this.completedCol);
    this.completedCol = completed;
    const self = this as unknown as { flags: Uint8Array; completedBar: Int32Array };
    self.flags = flags;
    self.completedBar = completed;
    const lines: Line[] = [
      this.datetime, this.open, this.high, this.low, this.close, this.volume, this.openinterest, this.mid, this.last, this.lastVolume,
      this.trades.side, ...this.bidPrices, ...this.bidVolumes, ...this.askPrices, ...this.askVolumes, ...this.dependents,
    ];
    for (const line of lines) (line as { array: Float64Array }).array = bigger(line.array);
    this.onGrow?.();
  }
}
