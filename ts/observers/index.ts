import type { AnalyzerContext } from '../analyzers/analyzer.js';
import { drawdownSeries } from '../analyzers/drawdown.js';
import { LogReturnsRolling, timeReturns } from '../analyzers/returns.js';
import { Observer } from './observer.js';

/** Cash and value per bar (backtrader `Broker`); in fund mode `value` is the fund value. Params: `fund`. */
export class BrokerObserver extends Observer {
  static override params = { fund: null };
  static override get defaultName(): string {
    return 'broker';
  }

  compute(ctx: AnalyzerContext): void {
    this.rets = { cash: ctx.cash, value: this.valueSeries(ctx).v };
  }
}

/**
 * Fill prices per bar of one data (backtrader `BuySell`): `buy` and `sell` hold the average
 * price of the bar's buy and sell fills, NaN on bars without. Params: `data` (default the
 * first), `barplot` (place markers below the low / above the high instead), `bardist` (0.015).
 */
export class BuySell extends Observer {
  static override params = { data: null, barplot: false, bardist: 0.015 };

  compute(ctx: AnalyzerContext): void {
    const data = this.resolveData(ctx, this.p.data) ?? ctx.datas[0]!;
    const d = ctx.datas.indexOf(data);
    const n = ctx.dt.length;
    // Sums and counts of the fill prices per bar; NaN where a bar has no fill of that side.
    const buy = new Float64Array(n).fill(NaN);
    const sell = new Float64Array(n).fill(NaN);
    const buyCount = new Float64Array(n);
    const sellCount = new Float64Array(n);
    for (const o of ctx.orders) {
      if (o.dataIndex !== d) continue;
      const [sum, count] = o.isBuy() ? [buy, buyCount] : [sell, sellCount];
      for (const h of o.history) {
        if (!h.fill?.size) continue;
        sum[h.bar] = (count[h.bar]! ? sum[h.bar]! : 0) + h.fill.price;
        count[h.bar]!++;
      }
    }
    const c = ctx.barColumns ? ctx.barColumns(d) : data.columns;
    const at = (i: number) => (ctx.barIndex ? ctx.barIndex(d, i) : i);
    for (let i = 0; i < n; i++) {
      if (buyCount[i]) buy[i] = this.p.barplot ? c.low[at(i)]! * (1 - this.p.bardist) : buy[i]! / buyCount[i]!;
      if (sellCount[i]) sell[i] = this.p.barplot ? c.high[at(i)]! * (1 + this.p.bardist) : sell[i]! / sellCount[i]!;
    }
    this.rets = { buy, sell };
  }
}

/**
 * Profit or loss of each closed trade at the bar it closed (backtrader `Trades`): `pnlplus`
 * (>= 0) and `pnlminus` (< 0), NaN elsewhere. Params: `pnlcomm` (net of commission, default true).
 */
export class Trades extends Observer {
  static override params = { pnlcomm: true };

  compute(ctx: AnalyzerContext): void {
    const n = ctx.dt.length;
    const plus = new Float64Array(n).fill(NaN);
    const minus = new Float64Array(n).fill(NaN);
    for (const t of ctx.trades) {
      const pnl = this.p.pnlcomm ? t.pnlcomm : t.pnl;
      if (t.closeBar < 0 || t.closeBar >= n) continue;
      if (pnl >= 0) plus[t.closeBar] = pnl;
      else minus[t.closeBar] = pnl;
    }
    this.rets = { pnlplus: plus, pnlminus: minus };
  }
}

/** Drawdown and maximum drawdown in percent per bar (backtrader `DrawDown` observer). Params: `fund`. */
export class DrawDownObserver extends Observer {
  static override params = { fund: null };
  static override get defaultName(): string {
    return 'drawdown';
  }

  compute(ctx: AnalyzerContext): void {
    const n = ctx.dt.length;
    const drawdown = new Float64Array(n);
    const maxdrawdown = new Float64Array(n);
    drawdownSeries(this.valueSeries(ctx).v, (i, r) => {
      drawdown[i] = r.drawdown;
      maxdrawdown[i] = r.max.drawdown;
    });
    this.rets = { drawdown, maxdrawdown };
  }
}

/**
 * The strategy's return in the current period, per bar (backtrader `TimeReturn` observer).
 * Params: `timeframe`, `compression`, `fund`.
 */
export class TimeReturnObserver extends Observer {
  static override params = { timeframe: null, compression: null, fund: null };
  static override get defaultName(): string {
    return 'timereturn';
  }

  compute(ctx: AnalyzerContext): void {
    const spec = { timeframe: this.p.timeframe, compression: this.p.compression, data: null, firstopen: true, fund: this.fundmode(ctx) };
    this.rets = { timereturn: timeReturns(ctx, spec).perBar };
  }
}

/**
 * The strategy's return next to a benchmark data's return, per period (backtrader `Benchmark`):
 * lines `timereturn` and `benchmark`, NaN during the strategy's warm-up; both start at the first
 * bar after it. Params: `data` (default the first), `timeframe`, `compression`, `fund`.
 */
export class Benchmark extends Observer {
  static override params = { data: null, timeframe: null, compression: null, fund: null };

  compute(ctx: AnalyzerContext): void {
    const data = this.resolveData(ctx, this.p.data) ?? ctx.datas[0]!;
    const spec = {
      timeframe: this.p.timeframe, compression: this.p.compression, firstopen: false, fund: this.fundmode(ctx),
      fromBar: Math.max(0, ctx.minPeriod - 1),
    };
    this.rets = {
      timereturn: timeReturns(ctx, { ...spec, data: null }).perBar,
      benchmark: timeReturns(ctx, { ...spec, data }).perBar,
    };
  }
}

/**
 * Log return of the first data's close per bar, rolling over `compression` periods (backtrader
 * `LogReturns`): line `logret1`. Params: `timeframe`, `compression`, `fund`.
 */
export class LogReturns extends Observer {
  static override params = { timeframe: null, compression: null, fund: null };

  compute(ctx: AnalyzerContext): void {
    const a = new LogReturnsRolling({ ...this.p, data: ctx.datas[0]! });
    this.rets = { logret1: a.series(ctx).perBar };
  }
}

/**
 * Observers for `cerebro.addObserver(Observers.Benchmark, { data: 'SPY' })`, by backtrader's
 * names. `Broker`, `BuySell` (one per data), `Trades` and `DrawDown` are recorded on every run.
 */
export const Observers = {
  Broker: BrokerObserver,
  CashValue: BrokerObserver,
  BuySell,
  Trades,
  DrawDown: DrawDownObserver,
  TimeReturn: TimeReturnObserver,
  Benchmark,
  LogReturns,
};

export { Observer };
