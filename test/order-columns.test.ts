/**
 * Orders and closed trades kept in columns: what a notification record said is what the order
 * and the trade read back, whether the short form implies it or the record is kept as sent.
 */
import { describe, expect, it } from 'vitest';
import { Order, OrderStatus } from '../ts/index.js';
import { applyOrderRecord, decodeTrade, RECORD } from '../ts/broker/events.js';
import { OrderTable } from '../ts/broker/order-table.js';
import { ClosedTradeLog } from '../ts/broker/trade-log.js';
import type { DataFeed } from '../ts/feeds/datafeed.js';

const times = [Float64Array.from({ length: 10 }, (_, i) => 1_000 + i)];
const noReasons = { orderReason: () => null };

/** An order record: status, the fill (if any) and the cumulative fills as the broker sends them. */
function orderRecord(
  ref: number,
  status: OrderStatus,
  fill: { bar: number; size: number; price: number; value: number; comm: number; pnl: number; dtBar: number } | null,
  ex: [size: number, price: number, value: number, comm: number, pnl: number, remsize: number],
): Float64Array {
  const r = new Float64Array(RECORD);
  r[0] = 1;
  r[1] = ref;
  r[3] = status;
  if (fill) {
    r[4] = 1;
    [r[5], r[6], r[7], r[8], r[9], r[10], r[21]] = [fill.bar, fill.size, fill.price, fill.value, fill.comm, fill.pnl, fill.dtBar];
  }
  for (let j = 0; j < 6; j++) r[11 + j] = ex[j]!;
  return r;
}

function newOrder(table: OrderTable, size: number): number {
  return table.addRow(0, 0, size, 0, 0, 1, 1_001, 10, NaN, NaN, NaN, NaN, OrderStatus.Submitted);
}

describe('orders in columns', () => {
  it('derives the cumulative fills of partial fills as the broker sums them, for the live order and each snapshot', () => {
    const t = new OrderTable();
    const ref = newOrder(t, 5);
    const order = new Order(t, ref);
    const snaps: Order[] = [];
    const apply = (r: Float64Array, bar: number) => {
      applyOrderRecord(r, 0, t, bar, times, noReasons);
      snaps.push(order.snapshot());
    };
    apply(orderRecord(ref, OrderStatus.Accepted, null, [0, 0, 0, 0, 0, 5]), 2);
    apply(orderRecord(ref, OrderStatus.Partial, { bar: 2, size: 3, price: 10, value: 30, comm: 0.3, pnl: 0, dtBar: 2 }, [3, 10, 30, 0.3, 0, 2]), 2);
    apply(orderRecord(ref, OrderStatus.Completed, { bar: 3, size: 2, price: 11, value: 22, comm: 0.2, pnl: 0, dtBar: 3 }, [5, 10.4, 52, 0.5, 0, 0]), 3);

    expect(order.executed).toEqual({ size: 5, price: 10.4, value: 52, comm: 0.5, pnl: 0, remsize: 0, bar: 3, dt: 1_003 });
    expect(snaps.map((s) => [s.getStatusName(), s.executed.size, s.executed.remsize, s.executed.bar])).toEqual([
      ['Accepted', 0, 5, -1], ['Partial', 3, 2, 2], ['Completed', 5, 0, 3],
    ]);
    expect(snaps[1]!.executed.dt).toBe(1_002);
    expect(order.history).toEqual([
      { status: OrderStatus.Accepted, bar: 2 },
      { status: OrderStatus.Partial, bar: 2, fill: { bar: 2, size: 3, price: 10, value: 30, comm: 0.3, pnl: 0 } },
      { status: OrderStatus.Completed, bar: 3, fill: { bar: 3, size: 2, price: 11, value: 22, comm: 0.2, pnl: 0 } },
    ]);
  });

  it('reads an order filled in many parts as the broker summed it, at every notification', () => {
    const t = new OrderTable();
    const ref = newOrder(t, 100);
    const order = new Order(t, ref);
    // backtrader's addbit, as the broker applies it.
    const ex = [0, 0, 0, 0, 0, 100];
    const snaps: [Order, number[]][] = [];
    for (let k = 0; k < 100; k++) {
      const price = 10 + (k % 3) / 4;
      const [size0, price0] = ex as [number, number];
      ex[5]! -= 1;
      ex[0] = size0 + 1;
      ex[1] = (size0 * price0 + 1 * price) / ex[0]!;
      ex[2]! += price;
      ex[3]! += 0.01;
      const status = k === 99 ? OrderStatus.Completed : OrderStatus.Partial;
      const fill = { bar: k % 10, size: 1, price, value: price, comm: 0.01, pnl: 0, dtBar: k % 10 };
      applyOrderRecord(orderRecord(ref, status, fill, ex as never), 0, t, k % 10, times, noReasons);
      snaps.push([order.snapshot(), [...ex]]);
    }
    for (const [snap, want] of snaps) {
      const e = snap.executed;
      expect([e.size, e.price, e.value, e.comm, e.pnl, e.remsize]).toEqual(want);
    }
    expect(order.history).toHaveLength(100);
    expect(order.executed.remsize).toBe(0);
  });

  it('keeps a fill\'s numbers exactly, a -0 and values its order does not imply included', () => {
    const t = new OrderTable();
    const ref = newOrder(t, -4);
    const fill = { bar: 4, size: -4, price: 12.5, value: -37, comm: -0, pnl: 13, dtBar: 3 };
    applyOrderRecord(orderRecord(ref, OrderStatus.Completed, fill, [-4, 12.5, -37, -0, 13, 0]), 0, t, 4, times, noReasons);
    const got = new Order(t, ref).lastFill()!;
    expect(got).toEqual({ bar: 4, size: -4, price: 12.5, value: -37, comm: -0, pnl: 13 });
    expect(Object.is(got.comm, -0)).toBe(true);
    // The fill's time is the one of the bar it carries, not of the bar it was made on.
    expect(new Order(t, ref).executed.dt).toBe(1_003);
  });

  it('reads back cumulative fills that differ from the sum of the fills as the broker sent them', () => {
    const t = new OrderTable();
    const ref = newOrder(t, 2);
    const order = new Order(t, ref);
    // A broker that reports something other than its own sums (here: a remsize and a price).
    applyOrderRecord(orderRecord(ref, OrderStatus.Accepted, null, [0, 0, 0, 0, 0, 7]), 0, t, 1, times, noReasons);
    const accepted = order.snapshot();
    applyOrderRecord(
      orderRecord(ref, OrderStatus.Completed, { bar: 2, size: 2, price: 9, value: 18, comm: 0, pnl: 0, dtBar: 2 }, [2, 9.5, 18, 0, 0, 0]),
      0, t, 2, times, noReasons,
    );
    expect(accepted.executed.remsize).toBe(7);
    expect(order.executed).toEqual({ size: 2, price: 9.5, value: 18, comm: 0, pnl: 0, remsize: 0, bar: 2, dt: 1_002 });
  });

  it('keeps the fields most orders leave at their default for those that set them', () => {
    const t = new OrderTable();
    const plain = newOrder(t, 1);
    const limit = t.addRow(1, 0, -3, 4, 7, 2, 1_002, 10, 9.5, 5_000, plain, NaN, OrderStatus.Created);
    const a = new Order(t, plain);
    const b = new Order(t, limit);
    expect([a.tradeid, a.created.pricelimit, a.created.valid, a.parentRef, a.ocoRef]).toEqual([0, NaN, NaN, undefined, undefined]);
    expect([b.ownerIndex, b.exectype, b.tradeid, b.created.pricelimit, b.created.valid, b.parentRef, b.ocoRef, b.status])
      .toEqual([1, 4, 7, 9.5, 5_000, plain, undefined, OrderStatus.Created]);
  });
});

describe('closed trades in columns', () => {
  const datas = [{ name: 'd' }] as unknown as DataFeed[];
  function tradeRecord(values: Partial<Record<number, number>>): Float64Array {
    const r = new Float64Array(RECORD);
    // A closed long trade: ref 3, data 0, tradeid 0, flat, price 10, comm 0.4, pnl 2.5.
    Object.assign(r, { 0: 2, 1: 3, 2: 0, 3: 2, 4: 0, 5: 0, 6: 0, 7: 10, 8: 0, 9: 0.4, 10: 2.5, 11: 2.5 - 0.4, 12: 1, 13: 2, 14: 6, 15: 0, 16: 4 }, values);
    return r;
  }

  it('gives back each closed trade as the broker sent it, in the short form or kept whole', () => {
    const records = [
      tradeRecord({}),
      tradeRecord({ 1: 4, 12: 0, 7: 11.25, 10: -1 / 3, 11: -1 / 3 - 0.4 }),
      // Not what a closed trade implies: kept whole.
      tradeRecord({ 6: -0 }),
      tradeRecord({ 5: 1.5 }),
      tradeRecord({ 11: 7 }),
      tradeRecord({ 1: 2 ** 40 }),
    ];
    const log = new ClosedTradeLog();
    for (const r of records) log.push(r, 0);
    const got = log.decode(times, datas);
    expect(got).toHaveLength(records.length);
    got.forEach((trade, k) => {
      const want = decodeTrade(records[k]!, 0, times, datas);
      expect(trade).toEqual(want);
      expect(Object.is(trade.size, want.size)).toBe(true);
      expect(trade.data).toBe(datas[0]);
    });
  });
});
