import { native } from '../native.js';
import type { OrderStatus } from './order.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { Slot, type OrderTable } from './order-table.js';
import { TradeStatus, type Trade } from './trade.js';

/** @internal record layout shared with the addon (see crates/node/src/broker.rs). */
export const RECORD = native.EVENT_RECORD_SIZE;
const KIND_ORDER = native.EVENT_KIND_ORDER;

/** @internal what knows why an order was rejected or canceled (the addon's broker). */
export interface OrderReasons {
  orderReason(ref: number): string | null | undefined;
}

/**
 * @internal applies the order record at `at` to the order's row in `table`: status, cumulative
 * fills, and a history entry. Returns the order's ref. Takes data, not callbacks: a callback
 * made per run would be a new function to the compiled code of every run.
 */
export function applyOrderRecord(
  r: Float64Array,
  at: number,
  table: OrderTable,
  bar: number,
  /** Per data, the times of the bars the broker fills against. */
  times: readonly Float64Array[],
  /** Where a rejection's or cancellation's reason is asked for. */
  reasons: OrderReasons,
): number {
  // `| 0`: numbers read from a Float64Array are floats to V8; as indexes they must be ints.
  const ref = r[at + 1]! | 0;
  const row = table.chunkOf(ref);
  const o = table.offsetOf(ref);
  const status = r[at + 3]! as OrderStatus;
  row[o + Slot.Status] = status;
  // Rejected (exchange rules), Margin (not enough cash) and Canceled (dependencies) may carry
  // a reason.
  if (status === 8 || status === 7 || status === 5) {
    const reason = reasons.orderReason(ref);
    if (reason !== null && reason !== undefined) table.setReason(ref, reason);
  }
  row[o + Slot.ExSize] = r[at + 11]!;
  row[o + Slot.ExPrice] = r[at + 12]!;
  row[o + Slot.ExValue] = r[at + 13]!;
  row[o + Slot.ExComm] = r[at + 14]!;
  row[o + Slot.ExPnl] = r[at + 15]!;
  row[o + Slot.ExRemsize] = r[at + 16]!;
  const last = row[o + Slot.Last]!;
  if (r[at + 4] === 1) {
    const fillBar = r[at + 5]!;
    row[o + Slot.ExBar] = fillBar;
    row[o + Slot.ExDt] = times[row[o + Slot.Data]! | 0]![r[at + 21]! | 0]!;
    row[o + Slot.Last] = table.log.fill(last, status, bar, fillBar, r[at + 6]!, r[at + 7]!, r[at + 8]!, r[at + 9]!, r[at + 10]!);
  } else {
    row[o + Slot.Last] = table.log.status(last, status, bar);
  }
  return ref;
}

/** @internal the strategy an order record belongs to. */
export function orderOwner(r: Float64Array, at: number): number {
  return r[at + 2]! | 0;
}

/** @internal decodes one trade record; `times[d]` are the bar times of data `d`, `datas` the run's datas. */
export function decodeTrade(r: Float64Array, at: number, times: readonly Float64Array[], datas: readonly DataFeed[]): Trade {
  const status = r[at + 3]! as TradeStatus;
  const openBar = r[at + 13]!;
  const closeBar = r[at + 14]!;
  const data = r[at + 4]! | 0;
  const isClosed = status === TradeStatus.Closed;
  const trade = {
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
    dtopen: times[data]![openBar | 0]!,
    dtclose: isClosed ? times[data]![closeBar | 0]! : NaN,
  } as Trade;
  // Not enumerable: a trade written as JSON or CSV, or copied with a spread, stays a row of
  // numbers rather than carrying the whole data along.
  Object.defineProperty(trade, 'data', { value: datas[data], enumerable: false });
  return trade;
}

/** @internal whether the trade record at `at` is a closed trade. */
export function isClosedTradeRecord(r: Float64Array, at: number): boolean {
  return r[at + 3] === TradeStatus.Closed;
}

/** @internal the strategy a trade record belongs to. */
export function tradeOwner(r: Float64Array, at: number): number {
  return r[at + 2]! | 0;
}

/** @internal whether the record at `at` is an order notification. */
export function isOrderRecord(r: Float64Array, at: number): boolean {
  return r[at] === KIND_ORDER;
}
