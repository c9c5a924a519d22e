/**
 * Native parameter sweeps: a declarative strategy (rules built with {@link rules}) evaluated
 * over every combination of a grid wholly in Rust, in parallel, through the same broker as
 * `Cerebro` (Market orders at the next bar's open, commission, checksubmit).
 *
 * ```ts
 * const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));
 * const res = sweep.native({
 *   data, rule: { entry: cross.gt(0), exit: cross.lt(0) },
 *   grid: { fast: range(5, 25), slow: range(30, 80, 5) },
 *   broker: { cash: 100_000, commission: 0.001 },
 * });
 * console.log(res.sortBy('sharpe')[0]);
 * ```
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

import { callNative, ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { ReplayFeed } from '../feeds/replay.js';
import { checkGridSize, DEFAULT_MAX_COMBINATIONS, Range, type GridLimits } from './grid.js';
import { native } from '../native.js';
import type * as Binding from '../../bindings/index.cjs';
import { resolveSweepBroker, type NativeSweepBroker } from './native-broker.js';
import { Expr, flatten, nativeArg, type NumberArg } from './rules.js';

export { rules, Expr } from './rules.js';
export type { PriceField, NumberArg, Operand } from './rules.js';

/** Bars as columns (times in ms since the epoch). */
export interface SweepColumns {
  datetime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** The strategy: entry and exit rules and what happens around them. */
export interface SweepRule {
  /** Opens a position (long) where true. */
  entry: Expr;
  /** Closes a long position where true; with `direction: 'longShort'`, goes short. */
  exit: Expr;
  /** Stop-loss as a fraction of the entry price (0.05 = 5 %): a Stop order, OCO with the take-profit. */
  stopLoss?: NumberArg;
  /** Take-profit as a fraction of the entry price: a Limit order. */
  takeProfit?: NumberArg;
  /** `{ size }` units per entry (default `{ size: 1 }`), or `{ percent }` of the cash (backtrader's PercentSizer). */
  sizing?: { size: NumberArg } | { percent: NumberArg };
  /** `long` (default): long only. `longShort`: entry goes long, exit goes short. */
  direction?: 'long' | 'longShort';
}

/** Options of {@link sweep.native}. */
export interface NativeSweepOptions {
  /** A data feed or its columns. */
  data: DataFeed | SweepColumns;
  rule: SweepRule;
  /** Values per parameter: arrays or any iterable of numbers (see {@link range}). */
  grid: Record<string, Iterable<number>>;
  /**
   * Most combinations the sweep may run (default 1,000,000): a larger grid is refused before
   * any work with its size and an estimate of the time (`ParamError`, code `SWEEP_TOO_LARGE`).
   */
  maxCombinations?: number;
  /** Cash, commission scheme, slippage and checksubmit (see {@link NativeSweepBroker}). */
  broker?: NativeSweepBroker;
  /** Worker threads (default: one per core). */
  threads?: number;
}

/** The metrics of a {@link NativeSweepRow} that results can be sorted by. */
export type SweepMetric = 'finalValue' | 'totalReturn' | 'trades' | 'wins' | 'winRate' | 'maxDrawdown' | 'sharpe' | 'orders';

/** One combination's result. */
export interface NativeSweepRow {
  params: Record<string, number>;
  /** Value at the last close (open positions marked to it). */
  finalValue: number;
  /** `finalValue / cash - 1`. */
  totalReturn: number;
  /** Closed trades. */
  trades: number;
  /** Closed trades with a profit after commission. */
  wins: number;
  /** `wins / trades` (NaN without trades). */
  winRate: number;
  /** Largest fall from a peak of the value, as a fraction of the peak. */
  maxDrawdown: number;
  /** Annualised Sharpe ratio of daily returns (sqrt(252), risk-free 0; NaN without variation). */
  sharpe: number;
  /** Orders placed. */
  orders: number;
}

const METRICS: readonly SweepMetric[] = ['finalValue', 'totalReturn', 'trades', 'wins', 'winRate', 'maxDrawdown', 'sharpe', 'orders'];

/** Results of a sweep, in grid order (the first parameter varying slowest). */
export class NativeSweepResults {
  /** @internal */
  constructor(
    /** Grid parameter names, in grid order. */
    readonly paramNames: readonly string[],
    /** One row per combination. */
    readonly rows: readonly NativeSweepRow[],
  ) {}

  /** Rows sorted by a metric, best first: descending, except `maxDrawdown` ascending; NaN last. */
  sortBy(metric: SweepMetric, order?: 'asc' | 'desc'): NativeSweepRow[] {
    if (!METRICS.includes(metric)) throw new ParamError(`unknown metric '${String(metric)}'; use one of ${METRICS.join(', ')}`);
    const dir = (order ?? (metric === 'maxDrawdown' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
    return [...this.rows].sort((a, b) => {
      const x = a[metric], y = b[metric];
      if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
      return (x - y) * dir;
    });
  }

  /** The best row by a metric (see {@link NativeSweepResults.sortBy}). */
  best(metric: SweepMetric): NativeSweepRow | undefined {
    return this.sortBy(metric)[0];
  }

  /** CSV with a header: the parameters, then every metric. Written to `path` when given. */
  toCSV(path?: string): string {
    const header = [...this.paramNames, ...METRICS].join(',');
    const lines = this.rows.map((r) => [...this.paramNames.map((p) => r.params[p]), ...METRICS.map((m) => r[m])].join(','));
    const csv = `${[header, ...lines].join('\n')}\n`;
    if (path !== undefined) writeFileSync(path, csv);
    return csv;
  }

  /** JSON (an array of rows; NaN becomes null). Written to `path` when given. */
  toJSON(path?: string): string {
    const json = JSON.stringify(this.rows, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
    if (path !== undefined) writeFileSync(path, json);
    return json;
  }
}

function gridValues(grid: Record<string, Iterable<number>>, limits: GridLimits): { name: string; values: number[] }[] {
  if (grid === null || typeof grid !== 'object') throw new ParamError('grid must be an object of parameter names to values');
  const entries = Object.entries(grid);
  if (entries.length === 0) throw new ParamError('the grid is empty; give at least one parameter with values');
  for (const [name, values] of entries) {
    if (values === null || typeof (values as Partial<Iterable<number>>)?.[Symbol.iterator] !== 'function' || typeof values === 'string') {
      throw new ParamError(`grid parameter '${name}' must be an array or iterable of numbers, got ${String(values)}`);
    }
  }
  // Sized before any range is materialised: range(0, 1e12) is refused, not allocated.
  const sized = entries.filter(([, v]) => v instanceof Range || Array.isArray(v)) as unknown as [string, { length: number }][];
  if (sized.length === entries.length) checkGridSize(sized.reduce((n, [, v]) => n * v.length, 1), limits);
  const lists = entries.map(([name, values]) => {
    const list: number[] = [];
    for (const v of values) {
      list.push(v);
      if (list.length > (limits.maxCombinations ?? DEFAULT_MAX_COMBINATIONS)) checkGridSize(list.length, limits, `grid parameter '${name}'`);
    }
    return [name, list] as const;
  });
  checkGridSize(lists.reduce((n, [, v]) => n * v.length, 1), limits);
  return lists.map(([name, list]) => {
    if (list.length === 0) throw new ParamError(`grid parameter '${name}' has no values`);
    const bad = list.find((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad !== undefined) throw new ParamError(`grid parameter '${name}' has the value ${String(bad)}; values must be finite numbers`);
    return { name, values: list };
  });
}

function columnsOf(data: DataFeed | SweepColumns): Float64Array[] {
  if (data instanceof ReplayFeed) {
    // Native rules are evaluated on whole bars; a bar being built tick by tick needs the engine.
    throw new ParamError(`sweep runs on bars; '${data.name}' is replayed: sweep its bars (feeds.resample) or use cerebro.optStrategy`);
  }
  const c = 'columns' in data ? data.columns : data;
  const names = ['datetime', 'open', 'high', 'low', 'close', 'volume'] as const;
  return names.map((k) => {
    const col = (c as unknown as Record<string, unknown>)[k];
    if (!(col instanceof Float64Array)) throw new ParamError(`sweep data needs a Float64Array '${k}' column`);
    return col;
  });
}

/** @internal a sweep's arguments as the addon takes them, checked. */
export interface PreparedSweep {
  columns: Float64Array[];
  strategy: Binding.SweepStrategy;
  grid: Binding.SweepGridParam[];
  broker: Binding.SweepBrokerArgs;
  threads: number;
}

/**
 * @internal checks a sweep's options (rules, grid, broker, threads, data) and puts them in the
 * addon's shape; every error is a typed {@link ParamError} that comes before any work.
 */
export function prepareSweep(options: NativeSweepOptions): PreparedSweep {
  if (options === null || typeof options !== 'object') throw new ParamError('sweep.native takes options { data, rule, grid, broker?, threads? }');
  const { rule } = options;
  if (!(rule?.entry instanceof Expr) || !(rule?.exit instanceof Expr)) {
    throw new ParamError('rule needs entry and exit expressions built with rules.*');
  }
  const grid = gridValues(options.grid, { maxCombinations: options.maxCombinations, bars: 'size' in options.data ? (options.data as DataFeed).size : (options.data as SweepColumns).close?.length, parallel: options.threads || availableParallelism() });
  const { nodes, roots } = flatten([rule.entry, rule.exit]);
  const sizing = rule.sizing ?? { size: 1 };
  const percent = 'percent' in sizing;
  const size = percent ? sizing.percent : (sizing as { size: NumberArg }).size;
  const direction = rule.direction ?? 'long';
  const threads = options.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0) throw new ParamError(`threads must be a whole number >= 0, got ${threads}`);
  return {
    columns: columnsOf(options.data),
    strategy: {
      nodes, entry: roots[0]!, exit: roots[1]!,
      stopLoss: rule.stopLoss === undefined ? undefined : nativeArg(rule.stopLoss),
      takeProfit: rule.takeProfit === undefined ? undefined : nativeArg(rule.takeProfit),
      sizing: percent ? 'percent' : 'fixed', size: nativeArg(size), direction,
    },
    grid,
    broker: resolveSweepBroker(options.broker),
    threads,
  };
}

/** @internal the addon's output as rows. */
export function resultsOf(out: Binding.SweepOutput, grid: readonly Binding.SweepGridParam[]): NativeSweepResults {
  const names = grid.map((g) => g.name);
  const rows: NativeSweepRow[] = out.finalValue.map((_, k) => {
    const params: Record<string, number> = {};
    names.forEach((name, j) => (params[name] = out.params[k * names.length + j]!));
    return {
      params, finalValue: out.finalValue[k]!, totalReturn: out.totalReturn[k]!, trades: out.trades[k]!, wins: out.wins[k]!,
      winRate: out.winRate[k]!, maxDrawdown: out.maxDrawdown[k]!, sharpe: out.sharpe[k]!, orders: out.orders[k]!,
    };
  });
  return new NativeSweepResults(names, rows);
}

/**
 * Runs a declarative strategy over every combination of `grid` in Rust, in parallel, and
 * returns when it is done (the calling thread waits; see `sweep.nativeAsync` to keep the event
 * loop running). Every combination is checked first (unknown parameter or indicator, invalid
 * value, empty grid); errors are typed ({@link ParamError}, `UnknownIndicatorError`) and come
 * before any work.
 */
export function runNative(options: NativeSweepOptions): NativeSweepResults {
  const p = prepareSweep(options);
  const out = callNative(() => native.sweepRun(p.columns, p.strategy, p.grid, p.broker, p.threads));
  return resultsOf(out, p.grid);
}
