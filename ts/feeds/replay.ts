import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import type { Cursor } from '../lines/clock.js';
import { DataFeed, type OhlcvColumns } from './datafeed.js';
import { resampleArgs, type ResampleOptions } from './resample.js';
import type { BarFrame } from './timeframe.js';
import type { TradingCalendar } from '../time/calendar.js';

/**
 * Options of {@link replay} and `cerebro.replayData` (backtrader's `replaydata`): those of
 * resampling, with backtrader's replay defaults (`bar2edge` and `rightedge` on, `adjbartime`
 * off). A replayed bar always carries the time of its latest tick, so `adjbartime` stays off.
 */
export type ReplayOptions = Omit<ResampleOptions, 'adjbartime'> & { adjbartime?: false };

/** Per-step values of one line of a replayed data: what `target[bar]` holds after each step. */
export interface ReplayBinding {
  /** The line's column over bars (the data's, or an indicator's output). */
  target: Float64Array;
  /** The line's value after each step (one per source row). */
  steps: Float64Array;
}

/** Lines over replayed bars, by their column, with their per-step values. */
const bindings = new WeakMap<Float64Array, { feed: ReplayFeed; steps: Float64Array }>();

/**
 * A data replayed from a finer one (backtrader's `replaydata`): its bars are built tick by tick
 * during a run. At every source row (a *step*) the strategy runs with `data.close.get(0)` on the
 * bar so far and `get(-1)` on the completed bars, `data.length` grows only when a new bar opens,
 * and indicators over the data show their value on the bar so far. Orders fill against the
 * source rows, as backtrader's broker fills against the latest tick.
 *
 * Outside a run, its columns hold the completed bars (the bars `resample` gives with
 * `adjbartime: false`).
 */
export class ReplayFeed extends DataFeed {
  /** The source rows, which the broker fills against. */
  readonly source: OhlcvColumns;
  /** The bar being built after each step (source row). */
  readonly steps: OhlcvColumns;
  /** The bar of each step. */
  readonly stepBar: Uint32Array;
  /** 1 where a step completes its bar. */
  readonly barEnd: Uint8Array;
  /** @internal the current step during a run. */
  readonly step: Cursor = { i: -1 };
  /** The data replayed and the options it was replayed with (to replay it again elsewhere). */
  readonly origin: { readonly data: DataFeed; readonly options: ReplayOptions };
  private readonly sourceSessionEnd: number;

  /** @internal use {@link replay} or `cerebro.replayData`. */
  constructor(
    name: string,
    bars: OhlcvColumns,
    source: DataFeed,
    stepBar: Uint32Array,
    steps: OhlcvColumns,
    meta: { frame: BarFrame; calendar: TradingCalendar | undefined },
    options: ReplayOptions,
  ) {
    super(name, bars, 0, [], { ...meta, tz: source.tz });
    this.origin = { data: source, options };
    this.source = source.columns;
    this.sourceSessionEnd = source.sessionEnd;
    this.steps = steps;
    this.stepBar = stepBar;
    const n = stepBar.length;
    this.barEnd = new Uint8Array(n);
    for (let s = 0; s < n; s++) this.barEnd[s] = s + 1 === n || stepBar[s + 1] !== stepBar[s] ? 1 : 0;
    for (const key of ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const) {
      bindings.set(bars[key], { feed: this, steps: steps[key] });
    }
  }

  /** @internal the broker fills against the source rows. */
  override get brokerColumns(): OhlcvColumns {
    return this.source;
  }

  /** @internal the source row of the current step. */
  override brokerBar(): number {
    return this.step.i;
  }

  /** @internal session end of the source rows (what the broker's times are). */
  override get brokerSessionEnd(): number {
    return this.sourceSessionEnd;
  }

  /** @internal A replayed data is derived from its source: clone or filter that. */
  protected override derivedHint(what: string): string {
    return `${what} its source (replayFeed.origin.data), then replay the result`;
  }

  /** Number of steps (source rows) a run goes through. */
  get stepCount(): number {
    return this.stepBar.length;
  }
}

/**
 * A new feed that replays `data` into larger bars (backtrader's `replaydata`): bars close where
 * {@link resample} closes them, and each source row is one step of a run. See {@link ReplayFeed}.
 *
 * ```ts
 * cerebro.replayData(minutes, { timeframe: 'Days' });   // next() runs on every minute, on the day so far
 * ```
 * @throws ParamError as {@link resample} does, and for `adjbartime: true`.
 */
export function replay(data: DataFeed, options: ReplayOptions): ReplayFeed {
  if (!(data instanceof DataFeed)) throw new ParamError('replay takes a DataFeed as its first argument');
  if (data instanceof ReplayFeed) throw new ParamError('replay: the data is replayed already; replay its source instead');
  if (typeof options !== 'object' || options === null) {
    throw new ParamError("replay: give options, e.g. { timeframe: 'Days' }");
  }
  if ((options as ResampleOptions).adjbartime === true) {
    throw new ParamError('replay: a replayed bar carries the time of its latest tick; remove adjbartime (it is off in replay)');
  }
  const resolved = { bar2edge: true, rightedge: true, ...options, adjbartime: false } as ResampleOptions;
  const { args, calendar, frame } = resampleArgs('replay', data, resolved);
  const c = data.columns;
  const out = callNative(() => native.replayColumns(c.datetime, c.open, c.high, c.low, c.close, c.volume, c.openinterest, args));
  return new ReplayFeed(options.name ?? data.name, out.bars, data, out.stepBar, out.steps, { frame, calendar }, options);
}

/**
 * @internal The replayed data and per-step values of a line's column, if the column belongs to
 * a replayed data (its own lines, or indicators over them).
 */
export function replayOf(column: Float64Array): { feed: ReplayFeed; steps: Float64Array } | undefined {
  return bindings.get(column);
}

/** @internal Records the per-step values of an indicator's output column. */
export function bindReplay(column: Float64Array, feed: ReplayFeed, steps: Float64Array): void {
  bindings.set(column, { feed, steps });
}

/**
 * @internal The per-step bindings of every given column that belongs to `feed` (each column
 * once), the data's own columns first.
 */
export function replayBindings(feed: ReplayFeed, columns: Iterable<Float64Array>): ReplayBinding[] {
  const seen = new Set<Float64Array>();
  const out: ReplayBinding[] = [];
  const add = (target: Float64Array) => {
    const b = bindings.get(target);
    if (b === undefined || b.feed !== feed || seen.has(target)) return;
    seen.add(target);
    out.push({ target, steps: b.steps });
  };
  for (const key of ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const) add(feed.columns[key]);
  for (const c of columns) add(c);
  return out;
}
