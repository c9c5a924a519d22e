/**
 * Orders and trades as the event bus describes them: plain, JSON-serialisable records.
 * @internal
 */
import { ExecType, OrderStatus, type Order } from '../broker/order.js';
import type { OrderSnapshot } from '../events/types.js';
import type { DataFeed } from '../feeds/datafeed.js';

/** The bus's record of `order` as it is now. */
export function orderSnapshot(order: Order, datas: readonly DataFeed[], clientOrderId?: string): OrderSnapshot {
  const ex = order.executed;
  const exectype = order.exectype;
  const snap: OrderSnapshot = {
    ref: order.ref,
    symbol: datas[order.dataIndex]?.name ?? String(order.dataIndex),
    side: order.size > 0 ? 'buy' : 'sell',
    orderType: ExecType[exectype] ?? String(exectype),
    size: Math.abs(order.size),
    status: OrderStatus[order.status] ?? String(order.status),
    filled: Math.abs(ex.size),
    avgPrice: ex.size === 0 ? NaN : ex.price,
  };
  const price = order.created.price;
  if (exectype !== ExecType.Market && exectype !== ExecType.Close && Number.isFinite(price)) snap.price = price;
  if (clientOrderId !== undefined) snap.clientOrderId = clientOrderId;
  const reason = order.reason;
  if (reason !== undefined) snap.reason = reason;
  return snap;
}
