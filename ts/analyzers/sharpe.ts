import { Analyzer, type AnalyzerContext } from './analyzer.js';
import { average, standarddev } from './mathsupport.js';
import { AnnualReturn, timeReturns } from './returns.js';
import type { TimeFrame } from './timeframe.js';

const RATEFACTORS: Partial<Record<TimeFrame, number>> = { Days: 252, Weeks: 52, Months: 12, Years: 1 };

/** @internal the conversion factor of backtrader's SharpeRatio (`daysfactor`, `factor`, or the table). */
export function rateFactor(p: Record<string, any>): number | null {
  if (p.timeframe === 'Days' && p.daysfactor != null) return p.daysfactor;
  if (p.factor != null) return p.factor;
  return RATEFACTORS[p.timeframe as TimeFrame] ?? null;
}

/** @internal the period returns and the per-period risk-free rate, as SharpeRatio prepares them. */
export function excessInputs(ctx: AnalyzerContext, p: Record<string, any>, fund: boolean) {
  let returns = [
    ...timeReturns(ctx, { timeframe: p.timeframe, compression: p.compression, data: null, firstopen: true, fund }).rets.values(),
  ];
  let rate: number = p.riskfreerate;
  const factor = rateFactor(p);
  if (factor !== null) {
    if (p.convertrate) rate = Math.pow(1.0 + rate, 1.0 / factor) - 1.0;
    else returns = returns.map((x) => Math.pow(1.0 + x, factor) - 1.0);
  }
  return { returns, rate, factor };
}

/**
 * Sharpe ratio of the returns per period against a risk-free rate (backtrader `SharpeRatio`).
 * Analysis: `{ sharperatio }`, `null` where backtrader gives `None` (fewer than two periods, or
 * no variation).
 *
 * Params: `timeframe` (default Years), `compression`, `riskfreerate` (annual, default 0.01),
 * `convertrate` (convert the rate to the time frame; else the returns are annualized), `factor`
 * (periods per year; default 252/52/12/1), `annualize`, `stddev_sample` (Bessel's correction),
 * `daysfactor` (old name of `factor` for days), `legacyannual` (use AnnualReturn), `fund`.
 */
export class SharpeRatio extends Analyzer<{ sharperatio: number | null }> {
  static override params = {
    timeframe: 'Years', compression: 1, riskfreerate: 0.01, factor: null, convertrate: true, annualize: false,
    stddev_sample: false, daysfactor: null, legacyannual: false, fund: null,
  };

  compute(ctx: AnalyzerContext): void {
    const p = this.p;
    let ratio: number | null;
    if (p.legacyannual) {
      const an = new AnnualReturn();
      an.compute(ctx);
      const retdev = standarddev(an.returns);
      ratio = retdev ? average(an.returns.map((r) => r - p.riskfreerate)) / retdev : null;
    } else {
      const { returns, rate, factor } = excessInputs(ctx, p, this.fundmode(ctx));
      const lrets = returns.length - (p.stddev_sample ? 1 : 0);
      ratio = null;
      if (lrets > 0) {
        const free = returns.map((r) => r - rate);
        const avg = average(free);
        const retdev = standarddev(free, avg, p.stddev_sample);
        if (retdev !== 0 && !Number.isNaN(retdev)) {
          ratio = avg / retdev;
          if (factor !== null && p.convertrate && p.annualize) ratio = Math.sqrt(factor) * ratio;
        }
      }
    }
    this.rets = { sharperatio: ratio };
  }
}

/** {@link SharpeRatio} with `annualize: true` by default (backtrader `SharpeRatio_A`). */
export class SharpeRatio_A extends SharpeRatio {
  static override params = { ...SharpeRatio.params, annualize: true };
}

/**
 * Sortino ratio: mean excess return per period over the downside deviation (root mean square
 * of the returns below the target). Analysis: `{ sortinoratio }` (`null` without downside).
 *
 * Params as {@link SharpeRatio} (`timeframe` default Days, `riskfreerate`, `convertrate`,
 * `factor`, `annualize` default true, `fund`), plus `target`: the minimum acceptable excess
 * return per period (default 0); only excess returns below it count toward the downside.
 */
export class SortinoRatio extends Analyzer<{ sortinoratio: number | null }> {
  static override params = {
    timeframe: 'Days', compression: 1, riskfreerate: 0.01, factor: null, convertrate: true, annualize: true,
    target: 0, fund: null,
  };

  compute(ctx: AnalyzerContext): void {
    const p = this.p;
    const { returns, rate, factor } = excessInputs(ctx, { ...p, daysfactor: null }, this.fundmode(ctx));
    const free = returns.map((r) => r - rate);
    const down = free.map((r) => Math.min(0, r - p.target) ** 2);
    const dd = Math.sqrt(average(down));
    let ratio: number | null = null;
    if (free.length > 0 && dd > 0) {
      ratio = average(free) / dd;
      if (factor !== null && p.convertrate && p.annualize) ratio *= Math.sqrt(factor);
    }
    this.rets = { sortinoratio: ratio };
  }
}
