/**
 * Risk limits in a backtest, before money is at stake: a strategy that pyramids into every
 * up-cross and now and then sends a fat-fingered limit order runs under `cerebro.setRisk`. The
 * limits refuse what a live account's risk engine would refuse; each refusal reaches
 * `notifyOrder` as a Rejected order with its reason, and the event bus reports refusals and
 * state changes as they happen.
 *
 * Run it with `npx tsx examples/risk-limits.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import {
  Cerebro, EventBus, feeds, ind, OrderStatus, Strategy, type Indicator, type Order, type RiskConfig, type RunResult,
} from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Buys on an up-cross and adds every 10 bars while the trend holds, exits on a down-cross; and
 * it has two bugs the limits catch: every 50th bar a limit order at ten times the price (a
 * typo), every 120th bar an order ten times its size.
 */
export class Pyramid extends Strategy<{ fast: number; slow: number; size: number }> {
  static override params = { fast: 5, slow: 20, size: 200 };
  fast!: Indicator;
  slow!: Indicator;
  cross!: Indicator;
  /** Why each refused order was refused, as notifyOrder saw it. */
  refusals: string[] = [];

  override init(): void {
    this.fast = ind.SMA(this.data, { period: this.p.fast });
    this.slow = ind.SMA(this.data, { period: this.p.slow });
    this.cross = ind.CrossOver(this.fast, this.slow);
  }

  override notifyOrder(order: Order): void {
    if (order.status === OrderStatus.Rejected) this.refusals.push(order.reason ?? '');
  }

  override next(): void {
    const close = this.data.close.get(0);
    if (this.len % 50 === 0) this.buy({ size: 1, exectype: 'Limit', price: close * 10 });
    if (this.len % 120 === 0) this.buy({ size: this.p.size * 10 });
    const trending = this.fast.get(0) > this.slow.get(0);
    if (this.cross.get(0) > 0 || (trending && this.len % 10 === 0)) this.buy({ size: this.p.size });
    else if (this.cross.get(0) < 0 && this.position.size > 0) this.close();
  }
}

/** The limits: per order, per position, the daily loss, and a fat-finger band. */
export const limits: RiskConfig = {
  maxOrderSize: 1000,
  maxOrderNotional: 150_000,
  maxPosition: 600,
  priceBandPct: 5,
  maxDailyLossPct: 1,
  dailyLossAction: 'REDUCING',
};

/** Runs the example on the shipped sample data. */
export function runRiskExample(dataFile = join(here, 'data', 'sample-daily.csv')) {
  const bus = new EventBus();
  const refusedByCheck: Record<string, number> = {};
  const stateChanges: string[] = [];
  bus.on('risk.refused', (e) => (refusedByCheck[e.check] = (refusedByCheck[e.check] ?? 0) + 1));
  bus.on('risk', (e) => stateChanges.push(`${e.state}: ${e.reason}`));

  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(dataFile), 'SAMPLE');
  cerebro.broker.setCash(100_000);
  cerebro.setRisk(limits, { bus });
  cerebro.addStrategy(Pyramid);
  const result: RunResult = cerebro.run()[0]!;
  return { result, strategy: result.strategy as Pyramid, refusedByCheck, stateChanges, engine: cerebro.risk! };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { result, strategy, refusedByCheck, stateChanges, engine } = runRiskExample();
  console.log(`final value ${result.finalValue.toFixed(2)}; ${engine.stats.passed} orders passed, ${engine.stats.refused} refused`);
  console.log('refused by check:', refusedByCheck);
  console.log('first refusal:', strategy.refusals[0]);
  console.log('state changes:', stateChanges.slice(0, 4));
}
