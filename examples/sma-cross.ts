/**
 * The classic SMA crossover, as in backtrader's quickstart: buy when the fast average crosses
 * above the slow one, close the position when it crosses back below.
 *
 * Run it with `npm run demo`: it backtests the shipped sample data, prints a summary and writes
 * an HTML report to `out/sma-cross.html`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Analyzers, Cerebro, feeds, ind, Strategy, writeReport, type Indicator, type Order, type RunResult } from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Long-only SMA crossover. */
export class SmaCross extends Strategy<{ fast: number; slow: number; stake: number }> {
  static override params = { fast: 10, slow: 30, stake: 10 };
  cross!: Indicator;
  pending: Order | null = null;

  override init(): void {
    const fast = ind.SMA(this.data.close, { period: this.p.fast });
    const slow = ind.SMA(this.data.close, { period: this.p.slow });
    this.cross = ind.CrossOver(fast, slow);
  }

  override notifyOrder(order: Order): void {
    if (!order.alive()) this.pending = null; // filled, canceled or refused: free to trade again
  }

  override next(): void {
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) this.pending = this.buy({ size: this.p.stake });
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.pending = this.close();
  }
}

/** Summary numbers the demo prints. */
export interface DemoSummary {
  bars: number;
  startValue: number;
  finalValue: number;
  returnPct: number;
  closedTrades: number;
  winningTrades: number;
  orders: number;
  /** Annualized Sharpe ratio of the daily returns (null without variation). */
  sharpe: number | null;
  /** Maximum drawdown in percent. */
  maxDrawdown: number;
  report: string;
  /** The full result. */
  result: RunResult;
}

/** Runs the demo and returns its summary (used by the test suite too). */
export function runDemo(dataFile = join(here, 'data', 'sample-daily.csv'), reportFile = resolve('out', 'sma-cross.html')): DemoSummary {
  const cerebro = new Cerebro();
  const data = cerebro.addData(feeds.backtraderCsv(dataFile));
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });
  cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Days', annualize: true });
  cerebro.addAnalyzer(Analyzers.DrawDown);
  cerebro.addAnalyzer(Analyzers.TradeAnalyzer);
  const [result] = cerebro.run() as [RunResult];
  writeReport(reportFile, result, data, { title: 'SMA crossover 10/30' });
  const startValue = 100_000;
  return {
    bars: result.bars,
    startValue,
    finalValue: result.finalValue,
    returnPct: (result.finalValue / startValue - 1) * 100,
    closedTrades: result.trades.length,
    winningTrades: result.trades.filter((t) => t.pnlcomm > 0).length,
    orders: result.orders.length,
    sharpe: result.analyzers.sharperatio!.getAnalysis().sharperatio,
    maxDrawdown: result.analyzers.drawdown!.getAnalysis().max.drawdown,
    report: reportFile,
    result,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = runDemo();
  console.log('ferrotrade demo: SMA crossover 10/30 on examples/data/sample-daily.csv');
  console.log(`  bars            ${s.bars}`);
  console.log(`  start value     ${s.startValue.toFixed(2)}`);
  console.log(`  final value     ${s.finalValue.toFixed(2)}`);
  console.log(`  return          ${s.returnPct.toFixed(2)} %`);
  console.log(`  closed trades   ${s.closedTrades} (${s.winningTrades} winning)`);
  console.log(`  orders          ${s.orders}`);
  console.log(`  sharpe          ${s.sharpe === null ? '-' : s.sharpe.toFixed(3)}`);
  console.log(`  max drawdown    ${s.maxDrawdown.toFixed(2)} %`);
  console.log(`  report          ${s.report}`);
}
