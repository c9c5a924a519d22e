import { native } from '../native.js';
import type { OrderStatus } from './order.js';
import { TradeStatus, type Trade } from './trade.js';

/** @internal record layout shared with the addon (see crates/node/src/broker.rs). */
export const RECORD = native.EVENT_RECORD_SIZE;
const KIND_ORDER = native.EVENT_KIND_ORDER;

/** @internal a decoded order notification. */
export interface OrderRecord {
  ref: number;
  owner: number;
  status: OrderStatus;
  fill?: { bar: number; size: number; price: number; value: number; comm: number; pnl: number };
  executed: { size: number; price: number; value: number; comm: number; pnl: number; remsize: number };
}

/** @internal decodes one order record at `at`. */
export function decodeOrder(r: Float64Array, at: number): OrderRecord {
  const rec: OrderRecord = {
    ref: r[at + 1]!,
    owner: r[at + 2]!,
    status: r[at + 3]! as OrderStatus,
    executed: {
      size: r[at + 11]!,
      price: r[at + 12]!,
      value: r[at + 13]!,
      comm: r[at + 14]!,
      pnl: r[at + 15]!,
      remsize: r[at + 16]!,
    },
  };
  if (r[at + 4] === 1) {
    rec.fill = {
      bar: r[at + 5]!,
      size: r[at + 6]!,
      price: r[at + 7]!,
      value: r[at + 8]!,
      comm: r[at + 9]!,
      pnl: r[at + 10]!,
    };
  }
  return rec;
}

/** @internal decodes one trade record; `dt` maps a bar index of the data to its time. */
export function decodeTrade(r: Float64Array, at: number, dt: (data: number, bar: number) => number): Trade & { owner: number } {
  const status = r[at + 3]! as TradeStatus;
  const openBar = r[at + 13]!;
  const closeBar = r[at + 14]!;
  const data = r[at + 4]!;
  const isClosed = status === TradeStatus.Closed;
  return {
    ref: r[at + 1]!,
    owner: r[at + 2]!,
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

/** @internal whether the record at `at` is an order notification. */
export function isOrderRecord(r: Float64Array, at: number): boolean {
  return r[at] === KIND_ORDER;
}
