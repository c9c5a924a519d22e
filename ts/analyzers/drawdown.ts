import { Analyzer, resolveTimeFrame, type AnalyzerContext } from './analyzer.js';
import type { TimeFrame } from './timeframe.js';

/** DrawDown's analysis. */
export interface DrawDownAnalysis {
  /** Bars in the current drawdown. */
  len: number;
  /** Current drawdown in percent. */
  drawdown: number;
  /** Current drawdown in money. */
  moneydown: number;
  max: { len: number; drawdown: number; moneydown: number };
}

/** @internal backtrader's DrawDown bar by bar; `each` sees the state after every bar. */
export function drawdownSeries(v: Float64Array, each?: (i: number, r: DrawDownAnalysis) => void): DrawDownAnalysis {
  const r: DrawDownAnalysis = { len: 0, drawdown: 0, moneydown: 0, max: { len: 0, drawdown: 0, moneydown: 0 } };
  let peak = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const value = v[i]!;
    peak = Math.max(peak, value);
    r.moneydown = peak - value;
    r.drawdown = (100.0 * r.moneydown) / peak;
    r.max.moneydown = Math.max(r.max.moneydown, r.moneydown);
    r.max.drawdown = Math.max(r.max.drawdown, r.drawdown);
    r.len = r.drawdown ? r.len + 1 : 0;
    r.max.len = Math.max(r.max.len, r.len);
    each?.(i, r);
  }
  return r;
}

/**
 * Drawdown of the account value bar by bar (backtrader `DrawDown`). Analysis: `{ len,
 * drawdown, moneydown, max: { len, drawdown, moneydown } }` — drawdown in percent, moneydown in
 * money, len in bars; the top level is the state at the last bar. Params: `fund`.
 */
export class DrawDown extends Analyzer<DrawDownAnalysis> {
  static override params = { fund: null };

  compute(ctx: AnalyzerContext): void {
    this.rets = drawdownSeries(this.valueSeries(ctx).v);
  }
}

/** @internal backtrader's TimeDrawDown, sampling the value at the first bar of each period. */
export function timeDrawdown(
  ctx: AnalyzerContext,
  v: Float64Array,
  timeframe: TimeFrame | null,
  compression: number | null,
  onPeriod?: (i: number, maxdd: number) => void,
): { maxdd: number; maxddlen: number } {
  const { marks } = resolveTimeFrame(ctx, timeframe, compression);
  let peak = -Infinity;
  let maxdd = 0;
  let ddlen = 0;
  let maxddlen = 0;
  for (let i = 0; i < v.length; i++) {
    if (!marks.over[i]) continue;
    const value = v[i]!;
    if (value > peak) {
      peak = value;
      ddlen = 0;
    }
    const dd = (100.0 * (peak - value)) / peak;
    ddlen += dd ? 1 : 0;
    maxdd = Math.max(maxdd, dd);
    maxddlen = Math.max(maxddlen, ddlen);
    onPeriod?.(i, maxdd);
  }
  return { maxdd, maxddlen };
}

/**
 * Drawdown measured once per period of a time frame (backtrader `TimeDrawDown`). Analysis:
 * `{ maxdrawdown (percent), maxdrawdownperiod (periods) }`. Params: `timeframe`,
 * `compression`, `fund`.
 */
export class TimeDrawDown extends Analyzer<{ maxdrawdown: number; maxdrawdownperiod: number }> {
  static override params = { timeframe: null, compression: null, fund: null };

  compute(ctx: AnalyzerContext): void {
    const r = timeDrawdown(ctx, this.valueSeries(ctx).v, this.p.timeframe, this.p.compression);
    this.rets = { maxdrawdown: r.maxdd, maxdrawdownperiod: r.maxddlen };
  }
}

/**
 * Calmar ratio per period (backtrader `Calmar`): the annualized log return over the last
 * `period` periods divided by the maximum drawdown so far. Analysis: `{ [periodKey]: calmar }`;
 * NaN until `period` periods have passed (backtrader fills its window with NaN).
 * Params: `timeframe` (default Months), `compression`, `period` (default 36), `fund`.
 */
export class Calmar extends Analyzer<Record<string, number>> {
  static override params = { timeframe: 'Months', compression: null, period: 36, fund: null };

  compute(ctx: AnalyzerContext): void {
    const { v, start } = this.valueSeries(ctx);
    const { marks } = resolveTimeFrame(ctx, this.p.timeframe, this.p.compression);
    const period: number = this.p.period;
    const values: number[] = new Array(period - 1).fill(NaN);
    values.push(start);
    let mdd = -Infinity;
    const rets: Record<string, number> = {};
    const ddMaxAt = new Float64Array(v.length);
    // The drawdown child of backtrader's Calmar follows the broker's fund mode.
    timeDrawdown(ctx, this.valueSeries(ctx, ctx.fundmode).v, this.p.timeframe, this.p.compression, (i, m) => (ddMaxAt[i] = m));
    let childMax = 0;
    let key = '';
    const onOver = (value: number) => {
      mdd = Math.max(mdd, childMax);
      values.push(value);
      if (values.length > period) values.shift();
      const rann = Math.log(values[values.length - 1]! / values[0]!) / values.length;
      rets[key] = rann / (mdd || Infinity);
    };
    for (let i = 0; i < v.length; i++) {
      if (!marks.over[i]) continue;
      childMax = ddMaxAt[i]!;
      key = marks.key[i]!;
      onOver(v[i]!);
    }
    if (v.length) onOver(v[v.length - 1]!); // backtrader's stop() repeats the last update
    this.rets = rets;
  }
}
