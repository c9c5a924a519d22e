/**
 * Bracket orders: on a crossover, enter with a limit at the close and protect the position with
 * a stop below and a take-profit above. The children wait for the entry to fill; whichever of
 * them fills first cancels the other.
 *
 * Run it with `npx tsx examples/bracket.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Cerebro, feeds, ind, Strategy, type Indicator, type RunResult } from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** SMA crossover entries, exits only through the bracket. */
export class BracketCross extends Strategy<{ fast: number; slow: number; stop: number; target: number }> {
  static override params = { fast: 10, slow: 30, stop: 0.97, target: 1.05 };
  cross!: Indicator;

  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data, { period: this.p.fast }), ind.SMA(this.data, { period: this.p.slow }));
  }

  override next(): void {
    if (this.position.size !== 0 || this.broker.getOrdersOpen().length > 0 || this.cross.get(0) <= 0) return;
    const close = this.data.close.get(0);
    this.buyBracket({
      size: 100,
      price: close,
      oargs: { valid: { days: 3 } },
      stopprice: close * this.p.stop,
      limitprice: close * this.p.target,
    });
  }
}

/** Runs the example on the shipped sample data. */
export function runBracketExample(dataFile = join(here, 'data', 'sample-daily.csv')): RunResult {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(dataFile));
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(BracketCross);
  return cerebro.run()[0]!;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = runBracketExample();
  const byStatus = new Map<string, number>();
  for (const o of r.orders) byStatus.set(o.getStatusName(), (byStatus.get(o.getStatusName()) ?? 0) + 1);
  console.log(`final value ${r.finalValue.toFixed(2)}, closed trades ${r.trades.length}`);
  console.log('orders by final status:', Object.fromEntries(byStatus));
}
