import { ParamError } from '../errors.js';
import { DataFeed } from '../feeds/datafeed.js';
import type { OhlcvColumns } from '../feeds/datafeed.js';
import type { Order } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import { collectParamDefaults, resolveParams, type ParamDefaults } from '../engine/params.js';
import { checkTimeFrame, inferTimeFrame, periodMarks, type PeriodMarks, type TimeFrame } from './timeframe.js';

/** Per-bar position of one data: signed size and average price. */
export interface PositionSeries {
  size: Float64Array;
  price: Float64Array;
}

/** How the broker values a position in one data (from its commission scheme). */
export interface DataValuation {
  stocklike: boolean;
  margin: number;
  mult: number;
  automargin: number;
}

/**
 * What a run recorded, as analyzers and observers read it. Every series has one entry per bar,
 * read where backtrader's analyzers read them (after the broker step, before `next()`).
 */
export interface AnalyzerContext {
  datas: DataFeed[];
  /** Bar times (of the first data). */
  dt: Float64Array;
  value: Float64Array;
  cash: Float64Array;
  fundValue: Float64Array;
  /** Value and fund value before the first bar. */
  startValue: number;
  startFundValue: number;
  /** The broker's fund mode. */
  fundmode: boolean;
  /** The broker's `shortcash`. */
  shortcash: boolean;
  positions: PositionSeries[];
  valuations: DataValuation[];
  orders: Order[];
  trades: Trade[];
  openTrades: Trade[];
  /** The strategy's warm-up in bars. */
  minPeriod: number;
  /**
   * The row of data `d`'s `barColumns(d)` at step `i` of the run (its bar, or for a replayed
   * data its source row), when datas do not all share the first data's bars; absent (identity)
   * when they do. Per-bar series above are indexed by step. Read prices with {@link dataColumn}.
   */
  barIndex?: (d: number, i: number) => number;
  /**
   * The columns `barIndex` indexes for data `d`: its bars, or for a replayed data the bar so
   * far at each step. Absent: every data's own columns.
   */
  barColumns?: (d: number) => OhlcvColumns;
}

/** A price column of `data` indexed by step of the run (the column itself on a shared calendar). */
export function dataColumn(ctx: AnalyzerContext, data: DataFeed, column: 'open' | 'close'): Float64Array {
  const d = ctx.datas.indexOf(data);
  const col = (ctx.barColumns ? ctx.barColumns(d) : data.columns)[column];
  const at = ctx.barIndex;
  if (!at) return col;
  return Float64Array.from({ length: ctx.dt.length }, (_, i) => col[at(d, i)] ?? NaN);
}

/** backtrader's `broker.get_value([data])` for one data at one bar. */
export function dataValue(ctx: AnalyzerContext, d: number, i: number): number {
  const size = ctx.positions[d]!.size[i]!;
  if (size === 0) return 0;
  const close = (ctx.barColumns ? ctx.barColumns(d) : ctx.datas[d]!.columns).close[ctx.barIndex ? ctx.barIndex(d, i) : i]!;
  const v = ctx.valuations[d] ?? { stocklike: true, margin: NaN, mult: 1, automargin: 0 };
  if (!v.stocklike) {
    const margin = v.automargin === 0 ? v.margin : v.automargin < 0 ? close * v.mult : close * v.automargin;
    return Math.abs(size) * margin;
  }
  if (ctx.shortcash || size >= 0) return size * close;
  const price = ctx.positions[d]!.price[i]!;
  return price * size + (price - close) * size;
}

/** Parameter checks shared by every analyzer and observer, by parameter name. */
function checkParam(owner: string, key: string, v: unknown): void {
  const fail = (what: string) => {
    throw new ParamError(`${owner}: ${key} must be ${what}, got ${JSON.stringify(v) ?? String(v)}`);
  };
  const num = typeof v === 'number' && Number.isFinite(v);
  switch (key) {
    case 'timeframe':
      return checkTimeFrame(owner, key, v);
    case 'compression':
    case 'period':
      if (v !== null && !(num && Number.isInteger(v) && (v as number) >= 1)) fail('a whole number >= 1' + (key === 'compression' ? ' (or null)' : ''));
      return;
    case 'tann':
    case 'factor':
    case 'daysfactor':
      if (v !== null && !(num && (v as number) > 0)) fail('a number > 0 (or null)');
      return;
    case 'riskfreerate':
    case 'target':
      if (!num) fail('a finite number');
      return;
    case 'tau':
      if (!(num && (v as number) >= 0)) fail('a number >= 0');
      return;
    case 'sdev_max':
      if (!(num && (v as number) > 0)) fail('a number > 0');
      return;
    case 'fund':
      if (v !== null && typeof v !== 'boolean') fail('true, false or null (the broker decides)');
      return;
    case 'data':
      if (v !== null && !(v instanceof DataFeed) && typeof v !== 'string') fail('a data feed, a data name or null');
      return;
  }
}

/**
 * Base class of analyzers (backtrader's `bt.Analyzer`). An analyzer is added to the engine
 * with `cerebro.addAnalyzer(cls, params, name)`; after the run it holds its analysis, read with
 * `getAnalysis()`. Parameters are declared as `static params` and checked when added.
 *
 * Subclasses implement `compute(ctx)`, which reads what the run recorded and fills `rets`.
 */
export abstract class Analyzer<A = Record<string, unknown>> {
  /** Parameter defaults (backtrader's names). */
  static params: ParamDefaults = {};
  /** Resolved parameters. */
  readonly p: Record<string, any>;
  /** The analysis (backtrader's `rets`). */
  protected rets: A = {} as A;

  constructor(params: ParamDefaults = {}) {
    const cls = new.target as unknown as { name: string; params?: ParamDefaults };
    if (params === null || typeof params !== 'object') throw new ParamError(`${cls.name}: parameters must be an object`);
    this.p = resolveParams(cls.name, collectParamDefaults(cls), params);
    for (const [k, v] of Object.entries(this.p)) checkParam(cls.name, k, v);
  }

  /** backtrader's default name: the class name in lower case (`sharperatio`, `tradeanalyzer`). */
  static get defaultName(): string {
    return this.name.toLowerCase();
  }

  /** The results (backtrader's `get_analysis()`). */
  getAnalysis(): A {
    return this.rets;
  }

  /** @internal computes the analysis from a finished run. */
  abstract compute(ctx: AnalyzerContext): void;

  /** @internal the data a `data` parameter names (feed or name), or null. */
  protected resolveData(ctx: AnalyzerContext, ref: unknown): DataFeed | null {
    if (ref === null || ref === undefined) return null;
    const d = typeof ref === 'string' ? ctx.datas.find((x) => x.name === ref) : (ref as DataFeed);
    if (!d || !ctx.datas.includes(d)) {
      throw new ParamError(
        `${this.constructor.name}: data ${typeof ref === 'string' ? `'${ref}'` : ''} is not part of this run; data names: ${ctx.datas.map((x) => x.name).join(', ')}`,
      );
    }
    return d;
  }

  /** @internal whether values come from the fund value (`fund` param, else the broker's mode). */
  protected fundmode(ctx: AnalyzerContext): boolean {
    return (this.p.fund as boolean | null | undefined) ?? ctx.fundmode;
  }

  /** @internal the per-bar value series (fund value in fund mode) and its value before bar 0. */
  protected valueSeries(ctx: AnalyzerContext, fund = this.fundmode(ctx)): { v: Float64Array; start: number } {
    return fund ? { v: ctx.fundValue, start: ctx.startFundValue } : { v: ctx.value, start: ctx.startValue };
  }
}

/** Resolves a (timeframe, compression) pair against the first data, as backtrader does. */
export function resolveTimeFrame(
  ctx: AnalyzerContext,
  timeframe: TimeFrame | null,
  compression: number | null,
): { timeframe: TimeFrame; compression: number; marks: PeriodMarks; dataTimeframe: TimeFrame } {
  const inferred = inferTimeFrame(ctx.dt);
  const tf = timeframe ?? inferred.timeframe;
  const comp = compression ?? inferred.compression;
  return { timeframe: tf, compression: comp, marks: periodMarks(ctx.dt, tf, comp), dataTimeframe: inferred.timeframe };
}

/** @internal checks that a name can be an analyzer or observer class. */
export function isSubclass(cls: unknown, base: abstract new (...a: any[]) => unknown): boolean {
  return typeof cls === 'function' && (cls as { prototype: unknown }).prototype instanceof base;
}
