/**
 * Orders placed without a call into the addon (plain orders are queued in a shared buffer and
 * submitted by the broker's next step), orders kept as rows of a table, and notifications in a
 * log: the behaviour a strategy sees must be the one of a direct submit.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, OrderError, OrderStatus, Strategy, type Order } from '../ts/index.js';
import { native } from '../ts/native.js';
import { ChunkedRecords } from '../ts/broker/chunked.js';

function bars(n: number, price = (i: number) => 100 + (i % 7), checkBars = true) {
  const t0 = Date.UTC(2022, 0, 3);
  const idx = Array.from({ length: n }, (_, i) => i);
  return feeds.fromColumns({
    datetime: idx.map((i) => t0 + i * 86_400_000),
    open: idx.map(price),
    high: idx.map((i) => price(i) + 1),
    low: idx.map((i) => price(i) - 1),
    close: idx.map(price),
  }, { checkBars });
}

function run(strategy: new () => Strategy, n = 20) {
  const cerebro = new Cerebro();
  cerebro.addData(bars(n));
  cerebro.broker.setCash(1e7);
  cerebro.addStrategy(strategy);
  return cerebro.run()[0]!;
}

describe('queued orders', () => {
  it('numbers, fills and notifies several hundred orders placed on one bar, in order', () => {
    const seen: [number, string][] = [];
    const placed: Order[] = [];
    class Burst extends Strategy {
      override next() {
        if (this.len === 2) for (let k = 0; k < 300; k++) placed.push(this.buy({ size: 1 })!);
      }
      override notifyOrder(o: Order) {
        seen.push([o.ref, o.getStatusName()]);
      }
    }
    const r = run(Burst);
    expect(placed.map((o) => o.ref)).toEqual(Array.from({ length: 300 }, (_, k) => k + 1));
    // Every order: Submitted, Accepted, Completed, delivered in ref order per status round.
    expect(seen.length).toBe(900);
    expect(seen.slice(0, 3)).toEqual([[1, 'Submitted'], [2, 'Submitted'], [3, 'Submitted']]);
    expect(seen.filter(([, s]) => s === 'Completed').map(([ref]) => ref)).toEqual(placed.map((o) => o.ref));
    expect(placed.every((o) => o.status === OrderStatus.Completed && o.executed.size === 1)).toBe(true);
    expect(r.orders.length).toBe(300);
    const fills = placed[299]!.history.filter((h) => h.fill);
    expect(fills).toHaveLength(1);
    expect(fills[0]!.fill!.bar).toBe(2);
  });

  it('refuses a plain order without a reference price at submit time and queues nothing', () => {
    class NoPrice extends Strategy {
      error: unknown;
      override next() {
        if (this.len === 2) {
          try {
            this.buy({ size: 1 });
          } catch (e) {
            this.error = e;
          }
        }
      }
    }
    const cerebro = new Cerebro();
    // A bar without a close: a Market order there has no reference price for the cash test.
    cerebro.addData(bars(5, (i) => (i === 1 ? NaN : 100), false));
    cerebro.addStrategy(NoPrice);
    const r = cerebro.run()[0]!;
    const error = (r.strategy as NoPrice).error;
    expect(error).toBeInstanceOf(OrderError);
    expect((error as Error).message).toMatch(/reference price is NaN/);
    expect(r.orders).toHaveLength(0);
  });

  it('keeps the live order current and the notified copy as it was', () => {
    const copies: Order[] = [];
    let live: Order | null = null;
    class Watch extends Strategy {
      override next() {
        if (this.len === 1) live = this.buy({ size: 2 });
      }
      override notifyOrder(o: Order) {
        copies.push(o);
      }
    }
    const r = run(Watch);
    expect(copies.map((c) => c.getStatusName())).toEqual(['Submitted', 'Accepted', 'Completed']);
    expect(copies.map((c) => c.history.length)).toEqual([1, 2, 3]);
    expect(copies[0]!.executed.size).toBe(0);
    expect(live!.getStatusName()).toBe('Completed');
    expect(live!.executed.size).toBe(2);
    // The result's orders are views of the same rows.
    expect(r.orders[0]!.ref).toBe(live!.ref);
    expect(r.orders[0]!.executed).toEqual(live!.executed);
    live!.addInfo({ why: 'entry' });
    expect(r.orders[0]!.info).toEqual({ why: 'entry' });
  });

  it('lists open orders oldest first as they fill or stay resting', () => {
    let open: number[][] = [];
    class Rest extends Strategy {
      override next() {
        if (this.len === 1) {
          this.buy({ size: 1 }); // fills on bar 2
          this.buy({ size: 1, exectype: 'Limit', price: 1 }); // never fills
          this.sell({ size: 1, exectype: 'Stop', price: 2 }); // never fills
        }
        open.push(this.broker.getOrdersOpen().map((o) => o.ref));
      }
    }
    run(Rest, 4);
    expect(open).toEqual([[1, 2, 3], [2, 3], [2, 3], [2, 3]]);
    open = [];
  });

  it('keeps results of an earlier run when the broker runs again', () => {
    class Once extends Strategy {
      override next() {
        if (this.len === 1) this.buy({ size: 1 });
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars(5));
    cerebro.addStrategy(Once);
    const first = cerebro.run()[0]!;
    const second = cerebro.run()[0]!;
    expect(first.orders.map((o) => [o.ref, o.getStatusName()])).toEqual([[1, 'Completed']]);
    expect(second.orders.map((o) => [o.ref, o.getStatusName()])).toEqual([[1, 'Completed']]);
    expect(first.orders[0]!._table === second.orders[0]!._table).toBe(false);
  });

  it('releases the addon\'s orders and trades when the run ends; the result keeps its own', () => {
    class Hold extends Strategy {
      override next() {
        if (this.len === 1) this.buy({ size: 3 });
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars(5));
    cerebro.addStrategy(Hold);
    const r = cerebro.run()[0]!;
    expect(r.openTrades.map((t) => t.size)).toEqual([3]);
    expect(r.orders[0]!.executed.size).toBe(3);
    expect(cerebro.broker.core!.openTrades()).toEqual([]);
    expect(cerebro.broker.getPosition(0).size).toBe(3);
  });

  it('a step with an unknown broker handle is an error, not a crash', () => {
    expect(() => native.brokerStep(1_000_000, 0)).toThrow(/no broker with handle/);
  });
});

describe('chunked records', () => {
  it('keeps every record while the first chunk grows and later chunks are added', () => {
    const store = new ChunkedRecords((n) => new Float64Array(n), 3, 8); // 256 records per chunk
    for (let k = 0; k < 1000; k++) {
      const c = store.reserve(k);
      const at = store.offset(k);
      c[at] = k;
      c[at + 1] = -k;
      c[at + 2] = k * 0.5;
    }
    for (let k = 0; k < 1000; k++) {
      const at = store.offset(k);
      expect([store.chunk(k)[at], store.chunk(k)[at + 1], store.chunk(k)[at + 2]]).toEqual([k, -k, k * 0.5]);
    }
    // Full chunks are 256 records; the first began at 64 and doubled.
    expect(store.chunk(0).length).toBe(256 * 3);
    expect(store.chunk(999).length).toBe(256 * 3);
  });
});

describe('the per-bar broker entry', () => {
  it('refuses an unknown handle and arguments that are not unsigned integers, with what it takes', () => {
    expect(() => native.brokerStep(987_654, 0)).toThrow(/no broker with handle 987654/);
    expect(() => (native.brokerStep as (...a: unknown[]) => number)('1', 0)).toThrow(/brokerStep\(handle, bar\) takes 2 unsigned integer/);
    expect(() => (native.brokerStep as (...a: unknown[]) => number)(1)).toThrow(/takes 2 unsigned integer/);
    expect(() => (native.brokerStepCursors as (...a: unknown[]) => number)()).toThrow(/brokerStepCursors\(handle\) takes 1/);
  });

  it('steps the running broker: a strategy reading its own fills bar by bar sees each one', () => {
    const sizes: number[] = [];
    class Flip extends Strategy {
      override next() {
        sizes.push(this.position.size);
        if (this.position.size > 0) this.sell({ size: 1 });
        else this.buy({ size: 1 });
      }
    }
    const r = run(Flip, 12);
    // An order placed on a bar fills at the next bar's open: the position alternates 0, 1, 0, ...
    expect(sizes).toEqual(Array.from({ length: 12 }, (_, i) => i % 2));
    expect(r.orders.length).toBe(12);
    expect(r.trades.length).toBe(5);
    expect(r.trades.every((t) => t.isClosed && t.barlen === 1)).toBe(true);
  });
});
