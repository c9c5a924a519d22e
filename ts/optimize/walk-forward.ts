/**
 * Walk-forward optimization: sweep a window of bars, trade the best parameters on the bars
 * that follow, roll forward, and stitch the out-of-sample results together.
 */
import { availableParallelism } from 'node:os';

import type { Cerebro } from '../engine/cerebro.js';
import type { ParamDefaults } from '../engine/params.js';
import { Strategy } from '../engine/strategy.js';
import { ParamError } from '../errors.js';
import type { DataFeed, OhlcvColumns } from '../feeds/datafeed.js';
import { describeData, rebuildData, shareDatas } from './shared-data.js';
import type { Grid } from './grid.js';
import { optimize, type OptimizeOptions } from './optimize.js';
import type { ThreadPool } from './threads.js';
import type { SweepRow } from './results.js';
import { buildCerebro, maxDrawdownPct, rowOf } from './run-one.js';

/** Options of {@link walkForward}: the window sizes, and how each in-sample sweep runs. */
export interface WalkForwardOptions extends Pick<OptimizeOptions, 'module' | 'exportName' | 'maxCpus' | 'sampling' | 'pool'> {
  /** Bars of each in-sample (optimization) window, counted on the first data. */
  inSample: number;
  /** Bars of each out-of-sample (test) window; the last one may be shorter. */
  outSample: number;
  /** Bars from one window to the next (default `outSample`: the test windows tile the data). */
  step?: number;
  /** The row field or parameter that picks the best in-sample combination (default `returnPct`). */
  metric?: string;
  /** `desc` (default): the largest metric wins; `asc`: the smallest (e.g. `maxDrawdownPct`). */
  order?: 'desc' | 'asc';
  /** Called after each window. */
  onWindow?: (window: WalkForwardWindow, index: number) => void;
}

/** First and last bar time (ms) of a window. */
export interface BarSpan {
  from: number;
  to: number;
  bars: number;
}

/** One step of a walk-forward run. */
export interface WalkForwardWindow {
  inSample: BarSpan;
  outSample: BarSpan;
  /** The parameters chosen in sample. */
  params: ParamDefaults;
  /** The chosen combination's in-sample row. */
  inSampleRow: SweepRow;
  /** The same parameters out of sample (each window starts from the starting cash). */
  outSampleRow: SweepRow;
  /** Combinations swept in sample. */
  combinations: number;
}

/** What {@link walkForward} returns. */
export interface WalkForwardResult {
  windows: WalkForwardWindow[];
  /**
   * The out-of-sample value series of every window, stitched: each window's returns compound
   * on the previous window's end value, starting from the starting cash.
   */
  equity: { datetime: Float64Array; value: Float64Array };
  startValue: number;
  finalValue: number;
  /** (final / starting value - 1) × 100 over the stitched out-of-sample equity. */
  returnPct: number;
  /** Largest fall of the stitched equity, in percent. */
  maxDrawdownPct: number;
}

function firstAtOrAfter(dt: Float64Array, t: number): number {
  let lo = 0;
  let hi = dt.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dt[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every data cut to the bars with times in [from, to] (views, no copy), keeping its time frame,
 * zone and calendar; a replayed data is its source cut the same way, replayed again.
 */
function slice(datas: readonly DataFeed[], from: number, to: number): DataFeed[] {
  const cut = (c: OhlcvColumns): OhlcvColumns => {
    const a = firstAtOrAfter(c.datetime, from);
    const b = Math.max(a, firstAtOrAfter(c.datetime, to + 1));
    const part = (col: Float64Array) => col.subarray(a, b);
    return {
      datetime: part(c.datetime), open: part(c.open), high: part(c.high), low: part(c.low), close: part(c.close),
      volume: part(c.volume), openinterest: part(c.openinterest),
    };
  };
  return datas.map((d) => rebuildData(describeData(d, cut)));
}

function whole(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ParamError(`walkForward: ${name} must be a whole number of bars >= 1, got ${String(v)}`);
  return v;
}

/**
 * Walk-forward optimization. Over the cerebro's datas (windows are counted in bars of the
 * first data), each step sweeps `grid` on `inSample` bars (the in-thread or worker-thread
 * sweep of `optStrategy`, with `maxCpus` and `module` passed through), picks the best
 * combination by `metric`, and runs it on the next `outSample` bars. The cerebro's broker
 * settings and analyzers apply to every run.
 *
 * ```ts
 * const wf = await walkForward(cerebro, SmaCross, { fast: range(5, 20), slow: [30, 50] }, { inSample: 500, outSample: 100 });
 * wf.windows.map((w) => w.params);   // what was chosen, window by window
 * wf.returnPct;                      // the stitched out-of-sample result
 * ```
 *
 * Indicators warm up inside each out-of-sample window (no bars before it are fed), so make
 * `outSample` comfortably longer than the longest indicator period.
 */
export async function walkForward<S extends Strategy>(
  cerebro: Cerebro,
  cls: new () => S,
  grid: { [K in keyof S['p']]?: Iterable<S['p'][K]> },
  options: WalkForwardOptions,
): Promise<WalkForwardResult> {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Strategy)) throw new ParamError('walkForward takes a class that extends Strategy');
  const setup = cerebro.sweepSetup('walkForward');
  const inSample = whole('inSample', options.inSample);
  const outSample = whole('outSample', options.outSample);
  const step = whole('step', options.step ?? outSample);
  const windowing = { inSample, outSample, step, metric: options.metric ?? 'returnPct', order: options.order ?? 'desc' } as const;
  const clock = setup.datas[0]!.columns.datetime;
  if (clock.length <= inSample) {
    throw new ParamError(`walkForward: the first data has ${clock.length} bars; inSample (${inSample}) leaves none out of sample`);
  }
  const sweepOptions: OptimizeOptions = {
    ...(options.module !== undefined ? { module: options.module } : {}),
    ...(options.exportName !== undefined ? { exportName: options.exportName } : {}),
    ...(options.maxCpus !== undefined ? { maxCpus: options.maxCpus } : {}),
    ...(options.sampling !== undefined ? { sampling: options.sampling } : {}),
    ...(options.pool !== undefined ? { pool: options.pool } : {}),
    onProgress: () => undefined, // one bar per window would be noise
  };

  // Worker threads, when the sweeps use them, are kept from one window to the next (each
  // starts and compiles the hot code once; the caller's `pool` when given), and read the datas
  // from one shared copy: each window's columns are views into it.
  const keep: { pool?: ThreadPool } = {};
  const threaded = options.pool !== undefined || (options.maxCpus ?? availableParallelism()) > 1;
  const datas = threaded ? shareDatas(setup.datas).map(rebuildData) : setup.datas;
  try {
    return await walk(setup, datas, cls as new () => Strategy, grid as Grid, { ...options, ...windowing }, sweepOptions, keep);
  } finally {
    void keep.pool?.close();
  }
}

/** The windows of {@link walkForward}, each swept on `keep`'s threads when it uses threads. */
async function walk(
  setup: ReturnType<Cerebro['sweepSetup']>,
  datas: DataFeed[],
  cls: new () => Strategy,
  grid: Grid,
  options: WalkForwardOptions & Required<Pick<WalkForwardOptions, 'step' | 'metric' | 'order'>>,
  sweepOptions: OptimizeOptions,
  keep: { pool?: ThreadPool },
): Promise<WalkForwardResult> {
  const { inSample, outSample, step, metric, order } = options;
  const clock = datas[0]!.columns.datetime;
  const windows: WalkForwardWindow[] = [];
  const times: Float64Array[] = [];
  const values: Float64Array[] = [];
  let startValue = NaN; // the starting cash, as the first run reports it
  let carry = NaN;
  for (let start = 0; start + inSample < clock.length; start += step) {
    const isFrom = clock[start]!;
    const isTo = clock[start + inSample - 1]!;
    const oosEnd = Math.min(start + inSample + outSample, clock.length);
    const oosFrom = clock[start + inSample]!;
    const oosTo = clock[oosEnd - 1]!;

    const swept = await optimize({ ...setup, datas: slice(datas, isFrom, isTo) }, cls, grid, sweepOptions, keep);
    const best = swept.sortBy(metric, order).find((r) => r.error === undefined);
    if (!best) {
      throw new ParamError(`walkForward: every combination failed in the window from ${new Date(isFrom).toISOString()}: ${swept.rows[0]?.error ?? ''}`);
    }
    const t0 = performance.now();
    const run = { ...setup, strategy: cls, datas: slice(datas, oosFrom, oosTo) };
    const [r] = buildCerebro(run, best.params).run();
    const outSampleRow = rowOf(r!, run, best.params, performance.now() - t0);

    const start0 = r!.recorded.startValue;
    if (windows.length === 0) startValue = carry = start0;
    const scale = carry / start0;
    times.push(r!.timeline.times);
    values.push(r!.value.map((v) => v * scale));
    carry *= r!.finalValue / start0;

    const window: WalkForwardWindow = {
      inSample: { from: isFrom, to: isTo, bars: inSample },
      outSample: { from: oosFrom, to: oosTo, bars: oosEnd - start - inSample },
      params: best.params,
      inSampleRow: best,
      outSampleRow,
      combinations: swept.rows.length,
    };
    windows.push(window);
    options.onWindow?.(window, windows.length - 1);
    if (oosEnd === clock.length) break;
  }

  const join = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) (out.set(p, at), (at += p.length));
    return out;
  };
  const value = join(values);
  return {
    windows,
    equity: { datetime: join(times), value },
    startValue,
    finalValue: carry,
    returnPct: (carry / startValue - 1) * 100,
    maxDrawdownPct: maxDrawdownPct(value),
  };
}
