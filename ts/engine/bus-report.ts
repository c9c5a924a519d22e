/**
 * Reports a strategy's orders, fills and closed trades on the session's event bus. Installed
 * only when the cerebro has a bus: the strategy's own `notifyOrder`/`notifyTrade` are wrapped on
 * the instance, so the bar loop and strategies without a bus are untouched.
 */
import type { EventBus, OrderSnapshot } from '../events/index.js';
import { OrderStatus, type Order } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import type { Strategy } from './strategy.js';

/** The event form of an order. */
export function orderSnapshot(order: Order, symbol: string): OrderSnapshot {
  const executed = order.executed;
  const size = order.created.size;
  const snapshot: OrderSnapshot = {
    ref: order.ref,
    symbol,
    side: size >= 0 ? 'buy' : 'sell',
    orderType: order.getOrdertypeName(),
    size: Math.abs(size),
    status: order.getStatusName(),
    filled: Math.abs(executed.size),
    avgPrice: executed.size !== 0 ? executed.price : NaN,
  };
  const price = order.created.price;
  if (order.getOrdertypeName() !== 'Market' && Number.isFinite(price)) snapshot.price = price;
  const reason = order.reason;
  if (reason) snapshot.reason = reason;
  return snapshot;
}

/** Wraps `strategy`'s order and trade callbacks so each also emits `order`, `fill` and `trade` events on `bus`. */
export function reportToBus(strategy: Strategy, bus: EventBus): void {
  const source = strategy.constructor.name;
  const notifyOrder = strategy.notifyOrder.bind(strategy);
  const notifyTrade = strategy.notifyTrade.bind(strategy);
  const symbolOf = (order: Order) => strategy.datas[order.dataIndex]?.name ?? String(order.dataIndex);
  strategy.notifyOrder = (order: Order) => {
    const time = strategy._eventTime();
    const snapshot = orderSnapshot(order, symbolOf(order));
    const fill = order.lastFill();
    if (fill && (order.status === OrderStatus.Partial || order.status === OrderStatus.Completed)) {
      bus.emit({ type: 'fill', time, source, order: snapshot, size: Math.abs(fill.size), price: fill.price, commission: fill.comm });
    }
    bus.emit({ type: 'order', time, source, order: snapshot });
    notifyOrder(order);
  };
  strategy.notifyTrade = (trade: Trade) => {
    if (trade.isClosed) {
      bus.emit({
        type: 'trade', time: strategy._eventTime(), source, symbol: strategy.datas[trade.dataIndex]?.name ?? String(trade.dataIndex),
        pnl: trade.pnl, pnlComm: trade.pnlcomm, barLength: trade.barlen, openPrice: trade.price,
      });
    }
    notifyTrade(trade);
  };
}

/**
 * Reports a run stopped by an exception as a `strategy.error` event (action `halted`); the run
 * still throws it. The event names the strategy only when the run has one.
 */
export function reportHalt(bus: EventBus, error: unknown, strategies: readonly Strategy[]): void {
  const e = error instanceof Error ? error : new Error(String(error));
  const s = strategies.length === 1 ? strategies[0]! : undefined;
  bus.emit({
    type: 'strategy.error', time: s ? s._eventTime() : Date.now(), callback: 'run', message: `${e.name}: ${e.message}`,
    action: 'halted', ...(s ? { source: s.constructor.name } : {}), ...(e.stack ? { stack: e.stack } : {}),
  });
}
