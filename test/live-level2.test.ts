/**
 * Live equals backtest on Level2 data: a book stream replayed through `runLive` (as fast as
 * possible, paper broker) — as snapshots, or as a first snapshot and then level deltas applied
 * to the Rust order book — calls the same callbacks on the same ticks, places the same orders
 * and gets the same fills against the book as `runTicks()` on the same data. A sequence gap in
 * the deltas is counted and reported, and the book is left stale until the next snapshot.
 */
import { describe, expect, it } from 'vitest';
import {
  Cerebro, EventBus, OrderStatus, Strategy, bookDeltas, feeds, generateLevel2, ind, largeOrders, iterableSource, replaySource,
  type BookMessage, type FerroEvent, type Fill, type Indicator, type LiveMessage, type Order,
} from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';
import { ParamError } from '../ts/errors.js';

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
  it.each(['snapshots', 'deltas'] as const)('replayed as fast as possible as %s, with the book-aware paper broker', async (book) => {
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
    const source = replaySource(feeds.level2Columns(g, { barMs: 5000, latencyMs: 20 }), { barMs: 5000, chunk: 500, book });
    const [r] = await lv.runLive({ sources: [source], logger: false, handleSignals: false, capacity: 1000 });
    const sb = b!.strategy as BookTrader;
    const sl = r!.strategy as BookTrader;
    expect(r!.reason).toBe('ended');
    expect(r!.sources[source.name]!.ticks).toBe(6000);
    expect(r!.sources[source.name]!.invalid).toBe(0);
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

/** Records the best levels each book row showed the strategy. */
class BookWatcher extends Strategy {
  seen: string[] = [];
  override onOrderBook(): void {
    const b = this.book();
    this.seen.push(`${this.data.datetime.get(0)} ${b.bestBid()} ${b.bestAsk()} ${b.imbalance(3).toFixed(9)}`);
  }
}

describe('book deltas with a sequence gap', () => {
  it('counts the gap, reports it, leaves the stale book out until the next snapshot, and goes on', async () => {
    const g = generateLevel2({ ticks: 400, depth: 5, seed: 7 });
    const feed = feeds.level2Columns(g);
    const snapshots = rowsOf(feed);
    const stream = bookDeltas(snapshots, { snapshotEvery: 100 });
    // Update 150 never arrives: updates 151..199 apply to a book that is no longer the venue's.
    const lost = stream.filter((m) => !('seq' in m && m.seq === 150));
    const bus = new EventBus();
    const events: FerroEvent[] = [];
    bus.on('message', (e) => void events.push(e));

    const run = async (messages: readonly LiveMessage[]) => {
      const c = new Cerebro();
      c.addStrategy(BookWatcher);
      const [r] = await c.runLive({
        sources: [{ ...iterableSource('L2', messages, { frame: { timeframe: 'Ticks', compression: 1 } }), level2: { depth: 5 } }],
        logger: false, handleSignals: false, clock: 'data', bus,
      });
      return r!;
    };
    const full = await run(stream);
    const gapped = await run(lost);
    const st = gapped.sources.L2!;
    expect(full.sources.L2!.bookGaps).toBe(0);
    expect(st.bookGaps).toBe(1);
    // 151..200 were left out (the gap's own message among them); the snapshot 201 ends it.
    expect(st.staleDeltas).toBe(50);
    expect(st.ticks).toBe(400 - 1 - 50);
    expect(events.some((e) => e.type === 'message' && /expected sequence 150, got 151/.test(e.text))).toBe(true);
    // Before the gap and from the snapshot at 200 on, the strategy saw exactly the full stream's books.
    const want = (full.strategy as BookWatcher).seen;
    const got = (gapped.strategy as BookWatcher).seen;
    expect(got.length).toBeGreaterThan(300);
    const t150 = (stream[149] as BookMessage).time;
    const t201 = (stream[200] as BookMessage).time;
    const timeOf = (x: string) => Number(x.split(' ')[0]);
    const before = (s: string[]) => s.filter((x) => timeOf(x) < t150);
    const after = (s: string[]) => s.filter((x) => timeOf(x) > t201);
    expect(before(got).length).toBeGreaterThan(50);
    expect(before(got)).toEqual(before(want));
    expect(after(got).length).toBeGreaterThan(100);
    expect(after(got)).toEqual(after(want));
    // Nothing was shown from the stale book.
    expect(got.filter((x) => timeOf(x) >= t150 && timeOf(x) < t201)).toEqual([]);
  });

  it('late and repeated deltas are counted and left out; deltas before any sequenced snapshot wait for one', async () => {
    const g = generateLevel2({ ticks: 60, depth: 3, seed: 3 });
    const stream = bookDeltas(rowsOf(feeds.level2Columns(g)), { firstSeq: 1000 });
    const messages: LiveMessage[] = [stream[1]!, stream[0]!, stream[1]!, stream[1]!, ...stream.slice(2)];
    const c = new Cerebro();
    c.addStrategy(BookWatcher);
    const src = { ...iterableSource('L2', messages, { frame: { timeframe: 'Ticks', compression: 1 } }), level2: { depth: 3 } };
    const [r] = await c.runLive({ sources: [src], logger: false, handleSignals: false, clock: 'data' });
    const st = r!.sources.L2!;
    expect(st.staleDeltas).toBe(1); // the delta before the first snapshot
    expect(st.late).toBe(1); // the repeat of 1001
    expect(st.ticks).toBe(60);
    expect(st.bookGaps).toBe(0);
  });

  it('refuses a bad firstSeq or snapshotEvery with a ParamError naming the option', () => {
    const rows = rowsOf(feeds.level2Columns(generateLevel2({ ticks: 3, depth: 2, seed: 1 })));
    for (const firstSeq of [-1, 1.5, NaN, Infinity]) {
      expect(() => bookDeltas(rows, { firstSeq })).toThrow(ParamError);
      expect(() => bookDeltas(rows, { firstSeq })).toThrow(/firstSeq must be a whole number >= 0/);
    }
    for (const snapshotEvery of [0, -3, 2.5, NaN]) {
      expect(() => bookDeltas(rows, { snapshotEvery })).toThrow(ParamError);
      expect(() => bookDeltas(rows, { snapshotEvery })).toThrow(/snapshotEvery must be a whole number >= 1/);
    }
    // The bounds themselves are accepted.
    expect(bookDeltas(rows, { firstSeq: 0, snapshotEvery: 1 })).toHaveLength(rows.length);
  });
});

/** A Level2 feed's rows as book messages (what a snapshot source sends). */
function rowsOf(feed: ReturnType<typeof feeds.level2Columns>): BookMessage[] {
  const b = feed.book;
  const level = (cols: Float64Array[], i: number) => cols.map((c) => c[i]!);
  return Array.from({ length: feed.size }, (_, i) => ({
    type: 'book' as const, time: feed.columns.datetime[i]!, bidPrice: level(b.bidPrice, i), bidVolume: level(b.bidVolume, i),
    askPrice: level(b.askPrice, i), askVolume: level(b.askVolume, i), last: b.last[i]!, lastVolume: b.lastVolume[i]!, side: b.side[i]!,
  }));
}
