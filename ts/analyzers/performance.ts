import { Analyzer, resolveTimeFrame, type AnalyzerContext } from './analyzer.js';
import { average, standarddev } from './mathsupport.js';
import { logReturns, timeReturns } from './returns.js';
import { rateFactor } from './sharpe.js';

/**
 * Variability-Weighted Return (backtrader `VWR`): the annualized log return, reduced by how
 * far the value strays from a steady compound path. Analysis: `{ vwr }`. Params: `timeframe`,
 * `compression`, `tann`, `tau` (default 0.2), `sdev_max` (default 2.0), `fund`.
 */
export class VWR extends Analyzer<{ vwr: number }> {
  static override params = { timeframe: null, compression: null, tann: null, tau: 0.2, sdev_max: 2.0, fund: null };

  compute(ctx: AnalyzerContext): void {
    const { v, start } = this.valueSeries(ctx);
    const { marks } = resolveTimeFrame(ctx, this.p.timeframe, this.p.compression);
    const pis: number[] = [start];
    const pns: (number | null)[] = [null];
    for (let i = 0; i < v.length; i++) {
      pns[pns.length - 1] = v[i]!;
      if (marks.over[i]) {
        pis.push(pns[pns.length - 1]!);
        pns.push(null);
      }
    }
    if (pns[pns.length - 1] === null) {
      pis.pop();
      pns.pop();
    }
    // backtrader's inner Returns follows the broker's fund mode.
    const { ravg, rnorm100 } = logReturns(ctx, this.p.timeframe, this.p.compression, this.p.tann, ctx.fundmode);
    const dts = pis.map((pi, k) => pns[k]! / (pi * Math.exp(ravg * (k + 1))) - 1.0);
    const sdev = standarddev(dts, undefined, true);
    this.rets = { vwr: rnorm100 * (1.0 - Math.pow(sdev / this.p.sdev_max, this.p.tau)) };
  }
}

/**
 * Compound annual growth rate from the value before the first bar to the value after the last:
 * `(end / start) ^ (1 / years) - 1`, years counted in calendar days / 365.25 from the first to
 * the last bar (at least one day). Analysis: `{ cagr, years, start, end }`. Params: `fund`.
 */
export class CAGR extends Analyzer<{ cagr: number; years: number; start: number; end: number }> {
  static override params = { fund: null };

  compute(ctx: AnalyzerContext): void {
    const { v, start } = this.valueSeries(ctx);
    const n = v.length;
    const end = n ? v[n - 1]! : start;
    const days = n ? Math.max(1, (ctx.dt[n - 1]! - ctx.dt[0]!) / 86_400_000) : 0;
    const years = days / 365.25;
    this.rets = { cagr: years > 0 && start > 0 ? Math.pow(end / start, 1 / years) - 1 : NaN, years, start, end };
  }
}

/**
 * Alpha and beta of the strategy's returns against a benchmark data's returns per period
 * (CAPM regression of excess returns). Analysis: `{ alpha, beta, alphaAnnual, correlation,
 * periods }`. Params: `data` (the benchmark: a data feed of the run or its name; default the first data),
 * `timeframe` (default Days), `compression`, `riskfreerate` (annual, default 0), `factor`
 * (periods per year for the rate and `alphaAnnual`; default 252/52/12/1), `firstopen` (the
 * benchmark's first period starts at its open, default false), `fund`.
 */
export class AlphaBeta extends Analyzer<{ alpha: number; beta: number; alphaAnnual: number; correlation: number; periods: number }> {
  static override params = {
    data: null, timeframe: 'Days', compression: 1, riskfreerate: 0, factor: null, firstopen: false, fund: null,
  };

  compute(ctx: AnalyzerContext): void {
    const bench = this.resolveData(ctx, this.p.data ?? ctx.datas[0]!.name)!;
    const spec = { timeframe: this.p.timeframe, compression: this.p.compression, firstopen: this.p.firstopen, fund: this.fundmode(ctx) };
    const rs = [...timeReturns(ctx, { ...spec, data: null }).rets.values()];
    const rb = [...timeReturns(ctx, { ...spec, data: bench }).rets.values()];
    const factor = rateFactor({ ...this.p, daysfactor: null }) ?? 1;
    const rate = Math.pow(1 + this.p.riskfreerate, 1 / factor) - 1;
    const xs = rs.map((r) => r - rate);
    const xb = rb.map((r) => r - rate);
    const ms = average(xs);
    const mb = average(xb);
    let cov = 0;
    let vb = 0;
    let vs = 0;
    for (let k = 0; k < xs.length; k++) {
      cov += (xs[k]! - ms) * (xb[k]! - mb);
      vb += (xb[k]! - mb) ** 2;
      vs += (xs[k]! - ms) ** 2;
    }
    const beta = vb ? cov / vb : NaN;
    const alpha = ms - beta * mb;
    this.rets = {
      alpha, beta, alphaAnnual: Math.pow(1 + alpha, factor) - 1, correlation: vb && vs ? cov / Math.sqrt(vb * vs) : NaN,
      periods: xs.length,
    };
  }
}
