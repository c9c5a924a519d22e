/** Level2 feeds, the book view and the core book, tick backtests and fills against the book. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BookError, Cerebro, DataParseError, OrderBook, Strategy, feeds, generateLevel2, largeOrders, moneyFlow, writeLevel2Csv,
  type Fill, type Order,
} from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-l2-'));
const HEADER = 'datetime,bid_price_1,bid_volume_1,bid_price_2,bid_volume_2,ask_price_1,ask_volume_1,ask_price_2,ask_volume_2,last,last_volume';

function csv(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${HEADER}\n${rows.join('\n')}\n`);
  return path;
}

describe('Level2 feeds', () => {
  it('reads the CSV format into lines per level, trades and bars', () => {
    const path = csv('a.csv', [
      '2024-01-02T09:30:00.000,99.9,5,99.8,7,100.1,4,100.2,9,,0',
      '2024-01-02T09:30:00.500,99.9,5,99.8,7,100.1,4,100.2,9,100.1,2',
      '2024-01-02T09:30:01.200,99.9,5,99.8,6,100.1,2,100.2,9,99.9,3',
    ]);
    const f = feeds.level2Csv(path, { barMs: 1000 });
    expect(f.depth).toBe(2);
    expect([...f.bidPrice2!.array]).toEqual([99.8, 99.8, 99.8]);
    expect([...f.askVolume1!.array]).toEqual([4, 4, 2]);
    expect([...f.trades.side.array]).toEqual([0, 1, -1]);
    expect([...f.close.array]).toEqual([100, 100, 100]);
    expect(f.bars.size).toBe(2);
    expect([...f.bars.columns.close]).toEqual([100.1, 99.9]);
  });

  it('names the line and column of a bad row', () => {
    const path = csv('bad.csv', ['2024-01-02,99.9,5,99.8,7,100.1,4,100.2,9,,0', '2024-01-02,100.3,5,99.8,7,100.1,4,100.2,9,,0']);
    const err = (() => {
      try {
        feeds.level2Csv(path);
      } catch (e) {
        return e;
      }
    })() as DataParseError;
    expect(err).toBeInstanceOf(DataParseError);
    expect(err.line).toBe(3);
    expect(err.columnName).toBe('ask_price_1');
    expect(err.message).toContain('crossed');
  });

  it('round-trips the generator through CSV and checks columns in memory', () => {
    const g = generateLevel2({ ticks: 2000, depth: 5, seed: 3 });
    const path = join(dir, 'gen.csv');
    writeLevel2Csv(g, path);
    const a = feeds.level2Csv(path);
    const b = feeds.level2Columns(g);
    expect(a.size).toBe(2000);
    for (let k = 0; k < 5; k++) {
      expect(a.book.bidPrice[k]).toEqual(b.book.bidPrice[k]);
      expect(a.book.askVolume[k]).toEqual(b.book.askVolume[k]);
    }
    expect(a.book.side).toEqual(b.book.side);
    expect(a.flags).toEqual(b.flags);
    expect(generateLevel2({ ticks: 2000, depth: 5, seed: 3 }).last).toEqual(g.last);
    const bad = { ...g, bidPrice: g.bidPrice.map((c) => c.slice()) };
    bad.bidPrice[0]![10] = 1000;
    expect(() => feeds.level2Columns(bad)).toThrow(/row 10, column ask_price_1: crossed/);
  });
});

describe('the book', () => {
  it('view queries agree with the core book on every tick', () => {
    const g = generateLevel2({ ticks: 300, depth: 10, seed: 11 });
    const f = feeds.level2Columns(g);
    const view = new (class extends Strategy {})();
    for (let i = 0; i < f.size; i++) {
      f.cursor.i = i;
      const core = new OrderBook();
      core.loadSnapshot(i, g.bidPrice.map((c, k) => ({ price: c[i]!, size: g.bidVolume[k]![i]! })), g.askPrice.map((c, k) => ({ price: c[i]!, size: g.askVolume[k]![i]! })));
      view.data = f;
      const b = view.book(f);
      for (const amount of [1, 50, 400, 5000]) {
        const buy = core.avgBuyPrice(amount);
        expect(b.avgBuyPrice(amount)).toBeCloseTo(buy.price, 9);
        expect(b.filled).toBeCloseTo(buy.filled, 9);
        expect(b.avgSellPrice(amount)).toBeCloseTo(core.avgSellPrice(amount).price, 9);
      }
      expect(b.mid()).toBeCloseTo(core.mid(), 12);
      expect(b.spread()).toBeCloseTo(core.spread(), 12);
      expect(b.imbalance(5)).toBeCloseTo(core.imbalance(5), 12);
      expect(b.depthOf('ask', 3)).toBe(core.depth('ask', 3));
      expect(b.buyAvailable(b.askPrice(2))).toBe(core.buyAvailable(b.askPrice(2)));
      expect(b.sellAvailable(b.bidPrice(4))).toBe(core.sellAvailable(b.bidPrice(4)));
    }
  });

  it('refuses bad deltas with the sequence number, or repairs and counts them', () => {
    const book = new OrderBook();
    book.apply([{ seq: 1, side: 'bid', action: 'add', price: 99, size: 5 }, { seq: 2, side: 'ask', action: 'add', price: 101, size: 3 }]);
    const err = (() => {
      try {
        book.apply([{ seq: 4, side: 'bid', action: 'add', price: 98, size: 1 }]);
      } catch (e) {
        return e;
      }
    })() as BookError;
    expect(err).toBeInstanceOf(BookError);
    expect([err.seq, err.kind, err.code]).toEqual([4, 'gap', 'BOOK_INTEGRITY']);
    expect(() => book.apply([{ seq: 3, side: 'bid', action: 'add', price: 101, size: 1 }])).toThrow(/sequence 3: crossed/);
    expect(book.snapshot().bids).toEqual([{ price: 99, size: 5 }]);
    const repaired = new OrderBook({ repair: true });
    repaired.apply([
      { seq: 1, side: 'bid', action: 'add', price: 99, size: 5 },
      { seq: 5, side: 'ask', action: 'add', price: 98, size: 3 },
      { seq: 6, side: 'ask', action: 'add', price: NaN, size: 3 },
    ]);
    expect(repaired.repairs).toEqual({ gaps: 3, outOfOrder: 0, invalid: 1, uncrossedLevels: 1 });
    expect(repaired.avgBuyPrice(10)).toEqual({ price: 98, filled: 3 });
  });

  it('large orders and money flow over the trades', () => {
    const f = feeds.level2Columns(generateLevel2({ ticks: 5000, seed: 5 }));
    const lo = largeOrders(f, { threshold: 2000 });
    const mf = moneyFlow(f, { period: 100 });
    let big = 0;
    for (let i = 0; i < f.size; i++) if (lo.buy.array[i]! > 0 || lo.sell.array[i]! > 0) big++;
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(f.size / 4);
    const n = f.size - 1;
    let sum = 0;
    for (let i = 0; i <= n; i++) sum += lo.buy.array[i]! - lo.sell.array[i]!;
    expect(lo.net.array[n]).toBeCloseTo(sum, 6);
    expect(mf.ratio.array[n]).toBeGreaterThanOrEqual(0);
    expect(mf.ratio.array[n]).toBeLessThanOrEqual(1);
    expect(() => largeOrders(f, { threshold: -1 })).toThrow(/threshold/);
  });
});

/** Three ticks: a market buy placed on the first fills across the two ask levels of the second. */
function tinyFeed(latencyMs = 0): Level2Feed {
  return feeds.level2Columns({
    datetime: [0, 100, 200, 300],
    bidPrice: [[99.9, 99.9, 99.9, 99.9], [99.8, 99.8, 99.8, 99.8]],
    bidVolume: [[10, 10, 4, 4], [20, 20, 20, 20]],
    askPrice: [[100.1, 100.1, 100.1, 100.1], [100.2, 100.2, 100.2, 100.2]],
    askVolume: [[5, 5, 5, 5], [8, 8, 8, 8]],
    last: [NaN, NaN, 99.9, 99.8],
    lastVolume: [0, 0, 6, 10],
  }, { latencyMs, barMs: 1000 });
}

describe('tick backtests', () => {
  it('calls the callbacks per tick and fills market orders across levels', () => {
    class Taker extends Strategy {
      log: string[] = [];
      fills: Fill[] = [];
      override onOrderBook(): void {
        this.log.push(`book ${this.len}`);
        if (this.len === 1) this.buy({ size: 9 });
      }
      override onQuote(): void {
        this.log.push(`quote ${this.len}`);
      }
      override onTick(d: Level2Feed): void {
        this.log.push(`tick ${this.len} ${d.last.get(0)}`);
      }
      override onBar(d: Level2Feed): void {
        this.log.push(`bar ${d.bars.close.get(0)}`);
      }
      override onFill(_o: Order, fill: Fill): void {
        this.fills.push(fill);
      }
    }
    const c = new Cerebro();
    c.addL2Data(tinyFeed());
    c.broker.setCash(10_000);
    c.addStrategy(Taker);
    const [r] = c.runTicks();
    const s = r!.strategy as Taker;
    expect(s.log).toEqual(['book 1', 'quote 1', 'book 3', 'quote 3', 'tick 3 99.9', 'tick 4 99.8', 'bar 99.8']);
    expect(s.fills.map((f) => [f.size, f.price])).toEqual([[5, 100.1], [4, 100.2]]);
    expect(r!.orders[0]!.getStatusName()).toBe('Completed');
    expect(r!.finalCash).toBeCloseTo(10_000 - 5 * 100.1 - 4 * 100.2, 9);
    expect(c.broker.getPosition(0).size).toBe(9);
    expect(() => new Cerebro().run()).toThrow();
  });

  it('rests limit orders in the queue and honours latency', () => {
    class Maker extends Strategy {
      override onOrderBook(): void {
        if (this.len === 1) this.buy({ size: 3, exectype: 'Limit', price: 99.9 });
      }
    }
    const c = new Cerebro();
    c.addL2Data(tinyFeed());
    c.addStrategy(Maker);
    const [r] = c.runTicks();
    const fills = r!.orders[0]!.history.filter((h) => h.fill).map((h) => [h.bar, h.fill!.price]);
    expect(fills).toEqual([[3, 99.9]]); // behind 10, 6 traded at tick 2, filled by the trade through at tick 3

    class Late extends Strategy {
      override onOrderBook(): void {
        if (this.len === 1) this.buy({ size: 1 });
      }
    }
    const c2 = new Cerebro();
    c2.addL2Data(tinyFeed(150));
    c2.addStrategy(Late);
    const [r2] = c2.runTicks();
    expect(r2!.orders[0]!.history.find((h) => h.fill)!.bar).toBe(2);
  });
});
