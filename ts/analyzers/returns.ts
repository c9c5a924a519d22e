import { Analyzer, dataColumn, resolveTimeFrame, type AnalyzerContext } from './analyzer.js';
import { average, standarddev } from './mathsupport.js';
import type { TimeFrame } from './timeframe.js';
import type { DataFeed } from '../feeds/datafeed.js';

/** Options of the time-return computation (backtrader's `TimeReturn` parameters). */
export interface TimeReturnSpec {
  timeframe: TimeFrame | null;
  compression: number | null;
  data: DataFeed | null;
  firstopen: boolean;
  fund: boolean;
  /** First bar to track (a forced period start there); earlier bars give NaN. Default 0. */
  fromBar?: number;
}

/**
 * @internal backtrader's `TimeReturn` over a run: the return of each period (portfolio value,
 * or the close of `data`), keyed by the period's key, and the running value per bar.
 */
export function timeReturns(ctx: AnalyzerContext, spec: TimeReturnSpec): { rets: Map<string, number>; perBar: Float64Array } {
  const { marks } = resolveTimeFrame(ctx, spec.timeframe, spec.compression);
  const data = spec.data;
  const v = data ? dataColumn(ctx, data, 'close') : spec.fund ? ctx.fundValue : ctx.value;
  const open = data ? dataColumn(ctx, data, 'open') : v;
  let last: number | null = data ? null : spec.fund ? ctx.startFundValue : ctx.startValue;
  let start = 0;
  const rets = new Map<string, number>();
  const perBar = new Float64Array(v.length);
  const from = spec.fromBar ?? 0;
  perBar.fill(NaN, 0, Math.min(from, v.length));
  for (let i = from; i < v.length; i++) {
    if (marks.over[i] || i === from) {
      if (!data || last !== null) start = last!;
      else start = spec.firstopen ? open[i]! : v[i]!;
    }
    const r = v[i]! / start - 1.0;
    rets.set(marks.key[i]!, r);
    perBar[i] = r;
    last = v[i]!;
  }
  return { rets, perBar };
}

/**
 * Returns per period, from the start and end of each period (backtrader `TimeReturn`).
 * Analysis: `{ [periodKey]: return }`; keys are the period end (`2006-01-31T00:00:00` for months,
 * `2006-12-31` for years, the bar's date for days).
 *
 * Params: `timeframe` / `compression` (default: the data's), `data` (track a data's close
 * instead of the portfolio), `firstopen` (the first period of a data starts at its open),
 * `fund` (use the fund value; default: the broker's fund mode).
 */
export class TimeReturn extends Analyzer<Record<string, number>> {
  static override params = { timeframe: null, compression: null, data: null, firstopen: true, fund: null };

  compute(ctx: AnalyzerContext): void {
    const { rets } = timeReturns(ctx, {
      timeframe: this.p.timeframe, compression: this.p.compression, data: this.resolveData(ctx, this.p.data),
      firstopen: this.p.firstopen, fund: this.fundmode(ctx),
    });
    this.rets = Object.fromEntries(rets);
  }
}

const TANN: Partial<Record<TimeFrame, number>> = { Days: 252, Weeks: 52, Months: 12, Years: 1 };

/**
 * Total, average and annualized log returns (backtrader `Returns`). Analysis:
 * `{ rtot, ravg, rnorm, rnorm100 }`. Params: `timeframe`, `compression`, `tann` (periods per
 * year; default 252 days, 52 weeks, 12 months, 1 year), `fund`.
 */
export class Returns extends Analyzer<{ rtot: number; ravg: number; rnorm: number; rnorm100: number }> {
  static override params = { timeframe: null, compression: null, tann: null, fund: null };

  compute(ctx: AnalyzerContext): void {
    this.rets = logReturns(ctx, this.p.timeframe, this.p.compression, this.p.tann, this.fundmode(ctx));
  }
}

/** @internal backtrader's `Returns` analysis. */
export function logReturns(ctx: AnalyzerContext, timeframe: TimeFrame | null, compression: number | null, tannParam: number | null, fund: boolean) {
  const tf = resolveTimeFrame(ctx, timeframe, compression);
  let tcount = 0;
  for (let i = 0; i < tf.marks.over.length; i++) tcount += tf.marks.over[i]!;
  const v = fund ? ctx.fundValue : ctx.value;
  const start = fund ? ctx.startFundValue : ctx.startValue;
  const end = v.length ? v[v.length - 1]! : start;
  const nlrtot = end / start;
  const rtot = start === 0 || nlrtot < 0 ? -Infinity : Math.log(nlrtot);
  const ravg = rtot / tcount;
  const tann = tannParam || TANN[tf.timeframe] || TANN[tf.dataTimeframe] || 1.0;
  const rnorm = ravg > -Infinity ? Math.expm1(ravg * tann) : ravg;
  return { rtot, ravg, rnorm, rnorm100: rnorm * 100.0 };
}

/**
 * Rolling log return over `compression` periods (backtrader `LogReturnsRolling`). Analysis:
 * `{ [periodKey]: logReturn }`. Params: `timeframe`, `compression`, `data`, `firstopen`, `fund`.
 */
export class LogReturnsRolling extends Analyzer<Record<string, number>> {
  static override params = { timeframe: null, compression: null, data: null, firstopen: true, fund: null };

  compute(ctx: AnalyzerContext): void {
    this.rets = Object.fromEntries(this.series(ctx).rets);
  }

  /** @internal per bar and per key. */
  series(ctx: AnalyzerContext): { rets: Map<string, number>; perBar: Float64Array } {
    const { marks, compression } = resolveTimeFrame(ctx, this.p.timeframe, this.p.compression);
    const data = this.resolveData(ctx, this.p.data);
    const fund = this.fundmode(ctx);
    const v = data ? dataColumn(ctx, data, 'close') : fund ? ctx.fundValue : ctx.value;
    const open = data ? dataColumn(ctx, data, 'open') : v;
    const window: number[] = new Array(compression).fill(NaN);
    let last = data ? NaN : fund ? ctx.startFundValue : ctx.startValue;
    const rets = new Map<string, number>();
    const perBar = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (marks.over[i]) {
        const vst = !data || i > 0 ? last : this.p.firstopen ? open[i]! : v[i]!;
        window.push(vst);
        window.shift();
      }
      const r = Math.log(v[i]! / window[0]!);
      rets.set(marks.key[i]!, r);
      perBar[i] = r;
      last = v[i]!;
    }
    return { rets, perBar };
  }
}

/**
 * Return per calendar year from the value at the first and last bar of each year (backtrader
 * `AnnualReturn`). Analysis: `{ [year]: return }`.
 */
export class AnnualReturn extends Analyzer<Record<string, number>> {
  /** The returns in year order (backtrader's `rets` list). */
  returns: number[] = [];

  compute(ctx: AnalyzerContext): void {
    const v = ctx.fundmode ? ctx.fundValue : ctx.value;
    const out: Record<string, number> = {};
    let year = -1;
    let start = 0;
    let end = 0;
    for (let i = 0; i < v.length; i++) {
      const y = new Date(ctx.dt[i]!).getUTCFullYear();
      if (y > year) {
        if (year >= 0) {
          out[year] = end / start - 1.0;
          this.returns.push(out[year]!);
          start = end;
        } else start = v[i]!;
        year = y;
      }
      end = v[i]!;
    }
    if (year >= 0 && !(year in out)) {
      out[year] = end / start - 1.0;
      this.returns.push(out[year]!);
    }
    this.rets = out;
  }
}

/**
 * Statistics of the returns per period (backtrader `PeriodStats`). Analysis: `{ average,
 * stddev, positive, negative, nochange, best, worst }`. Params: `timeframe` (default Years),
 * `compression`, `zeroispos` (count 0 returns as positive), `fund`.
 */
export class PeriodStats extends Analyzer<{
  average: number; stddev: number; positive: number; negative: number; nochange: number; best: number; worst: number;
}> {
  static override params = { timeframe: 'Years', compression: 1, zeroispos: false, fund: null };

  compute(ctx: AnalyzerContext): void {
    const { rets } = timeReturns(ctx, {
      timeframe: this.p.timeframe, compression: this.p.compression, data: null, firstopen: true, fund: this.fundmode(ctx),
    });
    const trets = [...rets.values()];
    let pos = 0;
    let neg = 0;
    let nul = 0;
    for (const r of trets) {
      if (r > 0) pos++;
      else if (r < 0) neg++;
      else if (r === 0) {
        if (this.p.zeroispos) pos++;
        else nul++;
      }
    }
    const avg = average(trets);
    this.rets = {
      average: avg, stddev: standarddev(trets, avg), positive: pos, negative: neg, nochange: nul,
      best: trets.length ? trets.reduce((a, b) => (b > a ? b : a)) : NaN,
      worst: trets.length ? trets.reduce((a, b) => (b < a ? b : a)) : NaN,
    };
  }
}
