import { native } from '../native.js';
import type { Order, OrderStatus } from './order.js';
import { TradeStatus, type Trade } from './trade.js';

/** @internal record layout shared with the addon (see crates/node/src/broker.rs). */
export const RECORD = native.EVENT_RECORD_SIZE;
const KIND_ORDER = native.EVENT_KIND_ORDER;

/**
 * @internal applies the order record at `at` to the live order: status, cumulative fills, and
 * a history entry. Returns the order.
 */
export function applyOrderRecord(
  r: Float64Array,
  at: number,
  orders: readonly Order[],
  bar: number,
  dtOf: (data: number, bar: number) => number,
  reasonOf: (ref: number) => string | null | undefined,
): Order {
  const order = orders[r[at + 1]! - 1]!;
  const status = r[at + 3]! as OrderStatus;
  order.status = status;
  // Rejected (exchange rules) and Canceled (dependencies) may carry a reason.
  if (status === 8 || status === 5) order.reason = reasonOf(order.ref) ?? order.reason;
  const ex = order.executed;
  ex.size = r[at + 11]!;
  ex.price = r[at + 12]!;
  ex.value = r[at + 13]!;
  ex.comm = r[at + 14]!;
  ex.pnl = r[at + 15]!;
  ex.remsize = r[at + 16]!;
  if (r[at + 4] === 1) {
    const fillBar = r[at + 5]!;
    ex.bar = fillBar;
    ex.dt = dtOf(order.dataIndex, r[at + 21]!);
    order.history.push({
      status,
      bar,
      fill: { bar: fillBar, size: r[at + 6]!, price: r[at + 7]!, value: r[at + 8]!, comm: r[at + 9]!, pnl: r[at + 10]! },
    });
  } else {
    order.history.push({ status, bar });
  }
  return order;
}

/** @internal decodes one trade record; `dt` maps a bar index of the data to its time. */
export function decodeTrade(r: Float64Array, at: number, dt: (data: number, bar: number) => number): Trade {
  const status = r[at + 3]! as TradeStatus;
  const openBar = r[at + 13]!;
  const closeBar = r[at + 14]!;
  const data = r[at + 4]!;
  const isClosed = status === TradeStatus.Closed;
  return {
    ref: r[at + 1]!,
    dataIndex: data,
    tradeid: r[at + 5]!,
    status,
    size: r[at + 6]!,
    price: r[at + 7]!,
    value: r[at + 8]!,
    commission: r[at + 9]!,
    pnl: r[at + 10]!,
    pnlcomm: r[at + 11]!,
    long: r[at + 12] === 1,
    isOpen: status === TradeStatus.Open,
    isClosed,
    justOpened: r[at + 15] === 1,
    openBar,
    closeBar: isClosed ? closeBar : -1,
    baropen: openBar + 1,
    barclose: isClosed ? closeBar + 1 : 0,
    barlen: r[at + 16]!,
    dtopen: dt(data, openBar),
    dtclose: isClosed ? dt(data, closeBar) : NaN,
  };
}

/** @internal whether the trade record at `at` is a closed trade. */
export function isClosedTradeRecord(r: Float64Array, at: number): boolean {
  return r[at + 3] === TradeStatus.Closed;
}

/** @internal the strategy a trade record belongs to. */
export function tradeOwner(r: Float64Array, at: number): number {
  return r[at + 2]!;
}

/** @internal whether the record at `at` is an order notification. */
export function isOrderRecord(r: Float64Array, at: number): boolean {
  return r[at] === KIND_ORDER;
}
