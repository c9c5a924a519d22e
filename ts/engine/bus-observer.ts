/**
 * Order, fill and trade events on the event bus, from the broker's notification records: one
 * observer for backtests (`cerebro.events`) and live sessions alike.
 * @internal
 */
import type { Broker } from '../broker/broker.js';
import { decodeTrade, isClosedTradeRecord } from '../broker/events.js';
import type { EventBus } from '../events/bus.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { orderSnapshot } from '../live/order-snapshot.js';
import type { Clock } from '../time/clock.js';
import type { DeliveryObserver } from './loop.js';
import type { Strategy } from './strategy.js';

export function busObserver(bus: EventBus, broker: Broker, datas: readonly DataFeed[], strategies: readonly Strategy[], clock: Clock, times: () => readonly Float64Array[]): DeliveryObserver {
  return {
    order(ref, owner, fill) {
      const order = broker.order(ref);
      const snap = orderSnapshot(order, datas);
      const time = clock.now();
      const source = strategies[owner]!.constructor.name;
      bus.emit({ type: 'order', time, source, order: snap });
      const f = fill ? order.lastFill() : undefined;
      if (f) bus.emit({ type: 'fill', time, source, order: snap, size: Math.abs(f.size), price: f.price, commission: f.comm });
    },
    trade(owner, records, at) {
      if (!isClosedTradeRecord(records, at)) return;
      const t = decodeTrade(records, at, times());
      bus.emit({
        type: 'trade', time: clock.now(), source: strategies[owner]!.constructor.name,
        symbol: datas[t.dataIndex]?.name ?? String(t.dataIndex), pnl: t.pnl, pnlComm: t.pnlcomm, barLength: t.barlen, openPrice: t.price,
      });
    },
  };
}
