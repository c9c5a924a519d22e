/**
 * A data that grows while a live run reads it: the engine's columns, preallocated with room to
 * spare and filled one bar at a time. Everything that reads a backtest's data reads it unchanged
 * (lines at the cursor, indicators by index, the Rust broker's views of the price columns); only
 * the number of bars (`size`) grows. When the room runs out the columns are copied into twice as
 * much and every line over them is pointed at the new ones (see {@link LiveFeed.grow}).
 */
import { DataFeed, type FeedMeta, type OhlcvColumns } from '../feeds/datafeed.js';
import type { BarFrame } from '../feeds/timeframe.js';
import type { Line } from '../lines/line.js';
import { DataError } from '../errors.js';

const DAY = 86_400_000;

/** One bar as a live source delivers it. */
export interface LiveBar {
  /** Bar time: ms since 1970-01-01 in the data's own time (a daily bar is midnight of its day). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
  openinterest?: number;
}

const KEYS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;

function emptyColumns(capacity: number): OhlcvColumns {
  const make = () => new Float64Array(capacity).fill(NaN);
  return { datetime: make(), open: make(), high: make(), low: make(), close: make(), volume: make(), openinterest: make() };
}

/** A bar data filled while the run goes (see the module comment). */
export class LiveFeed extends DataFeed {
  /** Bars appended so far (history included). */
  count = 0;
  /** Bars that came as warm-up history before the first live bar. */
  historyBars = 0;
  /** @internal the lines over these columns besides the data's own (indicators), for {@link grow}. */
  readonly dependents: Line[] = [];
  /** @internal called after the columns moved (the engine re-attaches them to the broker). */
  onGrow: (() => void) | null = null;
  private readonly liveFrame: BarFrame;
  /** The latest quote (NaN before the first) and its time. */
  bid = NaN;
  ask = NaN;
  bidSize = NaN;
  askSize = NaN;
  quoteTime = -Infinity;
  /** The latest trade (NaN before the first) and its time. */
  last = NaN;
  lastSize = NaN;
  tickTime = -Infinity;

  constructor(name: string, frame: BarFrame, capacity: number, meta: Omit<FeedMeta, 'frame'> = {}) {
    super(name, emptyColumns(Math.max(16, capacity)), 0, [], { ...meta, frame });
    this.liveFrame = frame;
  }

  /** Bars so far (the columns hold more room than that). */
  override get size(): number {
    return this.count;
  }

  /** Daily and longer bars end at 23:59:59.999 of their day, as in a backtest; others at their time. */
  override get sessionEnd(): number {
    const tf = this.liveFrame.timeframe;
    return tf === 'Days' || tf === 'Weeks' || tf === 'Months' || tf === 'Years' ? DAY - 1 : 0;
  }

  /** Time of the last bar, or -Infinity before the first. */
  get lastTime(): number {
    return this.count === 0 ? -Infinity : this.columns.datetime[this.count - 1]!;
  }

  /**
   * Appends a bar and returns its index. The caller has checked its time is after the last bar's.
   * @throws DataError for a price that is not a finite number.
   */
  append(bar: LiveBar): number {
    const { time, open, high, low, close } = bar;
    if (![time, open, high, low, close].every(Number.isFinite)) {
      throw new DataError('DATA', `'${this.name}': a live bar needs finite time, open, high, low and close; got ${JSON.stringify(bar)}`);
    }
    if (this.count === this.columns.close.length) this.grow();
    const i = this.count++;
    const c = this.columns;
    c.datetime[i] = time;
    c.open[i] = open;
    c.high[i] = high;
    c.low[i] = low;
    c.close[i] = close;
    c.volume[i] = bar.volume ?? 0;
    c.openinterest[i] = bar.openinterest ?? 0;
    return i;
  }

  /** Appends history columns (warm-up bars before the first live one). */
  appendHistory(history: OhlcvColumns): void {
    const n = history.close.length;
    for (let i = 0; i < n; i++) {
      this.append({
        time: history.datetime[i]!, open: history.open[i]!, high: history.high[i]!, low: history.low[i]!,
        close: history.close[i]!, volume: history.volume[i] ?? 0, openinterest: history.openinterest?.[i] ?? 0,
      });
    }
    this.historyBars = this.count;
  }

  /**
   * Doubles the room: copies every column (the data's and its indicators') and points each line
   * at its new column. Lines keep their identity, so strategies holding them read on unchanged.
   */
  grow(): void {
    const capacity = this.columns.close.length * 2;
    const moved = new Map<Float64Array, Float64Array>();
    const bigger = (old: Float64Array): Float64Array => {
      let next = moved.get(old);
      if (!next) {
        next = new Float64Array(capacity).fill(NaN);
        next.set(old);
        moved.set(old, next);
      }
      return next;
    };
    const cols = this.columns as unknown as Record<string, Float64Array>;
    for (const k of KEYS) cols[k] = bigger(cols[k]!);
    const lines: Line[] = [this.datetime, this.open, this.high, this.low, this.close, this.volume, this.openinterest, ...this.dependents];
    for (const line of lines) (line as { array: Float64Array }).array = bigger(line.array);
    this.onGrow?.();
  }
}
