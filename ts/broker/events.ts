import { native } from '../native.js';
import type { OrderStatus } from './order.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { OrderTable } from './order-table.js';
import { TradeStatus, type Trade } from './trade.js';

/** @internal record layout shared with the addon (see crates/node/src/broker.rs). */
export const RECORD = native.EVENT_RECORD_SIZE;
const KIND_ORDER = native.EVENT_KIND_ORDER;

/** @internal what knows why an order was rejected or canceled (the addon's broker). */
export interface OrderReasons {
  orderReason(ref: number): string | null | undefined;
}

/**
 * @internal applies the order record at `at` to order's row in `table`: its status, and one
 * history entry (with the fill, if the record has one). Returns the order's ref. Takes data,
 * not callbacks: a callback made per run would be a new function to the compiled code of every
 * run.
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
  const status = r[at + 3]! as OrderStatus;
  // Rejected (exchange rules), Margin (not enough cash) and Canceled (dependencies) may carry
  // a reason.
  if (status === 8 || status === 7 || status === 5) {
    const reason = reasons.orderReason(ref);
    if (reason !== null && reason !== undefined) table.setReason(ref, reason);
  }
  const log = table.log;
  const last = table.last(ref);
  const size = table.size(ref);
  const fill = r[at + 4] === 1;
  const entry = fill
    ? log.fill(last, status, bar, size, r, at, times[table.data(ref)]!)
    : log.status(last, status, bar);
  const fresh = table.notified(ref, status, entry, fill);
  // The cumulative fills (slots 11-16) are derived from the log; this checks that they are.
  if (log.check(entry, size, r, at + 11, fresh)) table.kept(ref);
  return ref;
}

/** @internal the strategy an order record belongs to. */
export function orderOwner(r: Float64Array, at: number): number {
  return r[at + 2]! | 0;
}

/**
 * `x` as an int where it is one (not -0): read from a Float64Array, a whole number is a double
 * to V8, and an object field holding doubles keeps each in a box of its own (16 B); as an int it
 * is stored in the field.
 */
function whole(x: number): number {
  const i = x | 0;
  return i === x && (i !== 0 || 1 / x > 0) ? i : x;
}

/** @internal decodes one trade record; `times[d]` are the bar times of data `d`, `datas` the run's datas. */
export function decodeTrade(r: Float64Array, at: number, times: readonly Float64Array[], datas: readonly DataFeed[]): Trade {
  const status = whole(r[at + 3]!) as TradeStatus;
  const openBar = whole(r[at + 13]!);
  const closeBar = whole(r[at + 14]!);
  const data = r[at + 4]! | 0;
  const isClosed = status === TradeStatus.Closed;
  const trade = {
    ref: whole(r[at + 1]!),
    dataIndex: data,
    tradeid: whole(r[at + 5]!),
    status,
    size: whole(r[at + 6]!),
    price: r[at + 7]!,
    value: whole(r[at + 8]!),
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
    barlen: whole(r[at + 16]!),
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
