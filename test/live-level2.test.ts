/**
 * Live equals backtest on Level2 data: a book stream replayed through `runLive` (as fast as
 * possible, paper broker) calls the same callbacks on the same ticks, places the same orders
 * and gets the same fills against the book as `runTicks()` on the same data.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, OrderStatus, Strategy, feeds, generateLevel2, ind, largeOrders, replaySource, type Fill, type Indicator, type Order } from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';

class BookTrader extends Strategy {
  log: string[] = [];
  fills: string[] = [];
  trend!: Indicator;
  spread!: Indicator;
  override init(): void {
    const data = this.data as Level2Feed;
    this.trend = ind.SMA(data.bars.close, { period: 3 });
    this.spread = ind.sub(data.askPrices[0]!, data.bidPrices[0]!);
  }
  override onBar(data: Level2Feed): void {
    this.log.push(`bar ${this.len} ${data.bars.close.get(0)} ${this.trend.get(0)}`);
  }
  override onQuote(): void {
    const book = this.book();
    const imbalance = book.imbalance(3);
    this.log.push(`quote ${this.len} ${imbalance.toFixed(6)} ${this.spread.get(0)}`);
    if (this.broker.getOrdersOpen().length > 0) return;
    if (this.position.size === 0 && imbalance > 0.2) this.buy({ size: 7 });
    else if (this.position.size === 0 && imbalance < -0.4) this.buy({ size: 3, exectype: 'Limit', price: book.bestBid() });
    else if (this.position.size > 0 && imbalance < -0.1) this.close();
  }
  override onTick(data: Level2Feed): void {
    this.log.push(`tick ${this.len} ${data.last.get(0)} ${data.trades.side.get(0)}`);
  }
  override onFill(order: Order, fill: Fill): void {
    this.fills.push(`${order.ref} ${fill.size} ${fill.price} ${fill.bar}`);
  }
}

const orderRow = (o: Order) => [o.ref, o.size, o.getOrdertypeName(), o.getStatusName(), o.history.map((h) => [OrderStatus[h.status], h.bar, h.fill?.price, h.fill?.size])];

describe('live = runTicks on a Level2 stream', () => {
  it('replayed as fast as possible, with the book-aware paper broker', async () => {
    const g = generateLevel2({ ticks: 6000, depth: 5, seed: 21 });
    const make = () => {
      const c = new Cerebro();
      c.broker.setCash(100_000);
      c.addStrategy(BookTrader);
      return c;
    };
    const bt = make();
    bt.addL2Data(feeds.level2Columns(g, { barMs: 5000, latencyMs: 20 }));
    const [b] = bt.runTicks();

    const lv = make();
    const source = replaySource(feeds.level2Columns(g, { barMs: 5000, latencyMs: 20 }), { barMs: 5000, chunk: 500 });
    const [r] = await lv.runLive({ sources: [source], logger: false, handleSignals: false, capacity: 1000 });
    const sb = b!.strategy as BookTrader;
    const sl = r!.strategy as BookTrader;
    expect(r!.reason).toBe('ended');
    expect(r!.sources[source.name]!.ticks).toBe(6000);
    expect(sb.fills.length).toBeGreaterThan(5);
    expect(sl.log).toEqual(sb.log);
    expect(sl.fills).toEqual(sb.fills);
    expect(r!.orders.map(orderRow)).toEqual(b!.orders.map(orderRow));
    expect(r!.trades.map((t) => [t.pnl, t.pnlcomm])).toEqual(b!.trades.map((t) => [t.pnl, t.pnlcomm]));
    expect(r!.finalValue).toBe(b!.finalValue);
    expect(r!.finalCash).toBe(b!.finalCash);
  });

  it('refuses book-flow lines that have no live form, naming them', async () => {
    class Flow extends Strategy {
      override init() {
        largeOrders(this.data as Level2Feed, { threshold: 100 });
      }
    }
    const c = new Cerebro();
    c.addStrategy(Flow);
    const g = generateLevel2({ ticks: 10, depth: 2, seed: 1 });
    await expect(c.runLive({ sources: [replaySource(feeds.level2Columns(g))], logger: false, handleSignals: false })).rejects.toThrow(/largeOrders has no live form/);
  });
});
