/**
 * A tick strategy on Level2 data: it buys when the best five bid levels outweigh the asks and
 * large-order flow is positive, exits when the imbalance turns or the bar trend (an SMA of
 * one-second bars of the trades) breaks. Market orders fill against the book, across levels.
 *
 * Run it with `npx tsx examples/orderbook-imbalance.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Cerebro, feeds, ind, largeOrders, Strategy, type Fill, type Indicator, type LargeOrderLines, type Order, type TickRunResult } from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Book imbalance entries with a large-order filter; exits on imbalance or trend. */
export class ImbalanceTaker extends Strategy<{ enter: number; exit: number; size: number; large: number }> {
  static override params = { enter: 0.25, exit: -0.1, size: 20, large: 1000 };
  flow!: LargeOrderLines;
  trend!: Indicator;
  fills = 0;
  slippage = 0;
  bars = 0;
  uptrend = true;

  override init(): void {
    const data = this.data as Level2Feed;
    this.flow = largeOrders(data, { threshold: this.p.large });
    this.trend = ind.SMA(data.bars.close, { period: 5 });
  }

  override onBar(data: Level2Feed): void {
    this.bars++;
    const sma = this.trend.get(0);
    this.uptrend = Number.isNaN(sma) || data.bars.close.get(0) >= sma;
  }

  override onQuote(): void {
    if (this.broker.getOrdersOpen().length > 0) return;
    const book = this.book();
    const imbalance = book.imbalance(5);
    if (this.position.size === 0 && imbalance > this.p.enter && this.flow.net.get(0) >= 0 && this.uptrend) {
      this.buy({ size: this.p.size });
    } else if (this.position.size > 0 && (imbalance < this.p.exit || !this.uptrend)) {
      this.close();
    }
  }

  override onFill(order: Order, fill: Fill): void {
    this.fills++;
    // Cost of walking the book, against the mid when the order was placed.
    const mid = (this.data as Level2Feed).mid.array[order.created.bar] ?? fill.price;
    this.slippage += Math.abs(fill.price - mid) * Math.abs(fill.size);
  }
}

/** Runs the example on the shipped sample; returns the result and a few counts. */
export function runOrderbookExample(file = join(here, 'data', 'sample-level2.csv')): { result: TickRunResult; strategy: ImbalanceTaker } {
  const cerebro = new Cerebro();
  cerebro.addL2Data(feeds.level2Csv(file, { barMs: 1000 }));
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.0002 });
  cerebro.addStrategy(ImbalanceTaker);
  const [result] = cerebro.runTicks();
  return { result: result!, strategy: result!.strategy as ImbalanceTaker };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { result, strategy } = runOrderbookExample();
  console.log(`ticks ${result.ticks}, bars ${strategy.bars}, fills ${strategy.fills}, closed trades ${result.trades.length}`);
  console.log(`slippage paid ${strategy.slippage.toFixed(2)}, final value ${result.finalValue.toFixed(2)}`);
}
