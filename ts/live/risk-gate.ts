/**
 * The risk engine in front of the paper broker: every order a strategy places is checked before
 * the broker takes it; a refusal is a Rejected order carrying the check's reason (reported to
 * `notifyOrder` like any rejection) and a `risk.refused` event. The engine is anything with the
 * `RiskEngine`'s `check` (and, optionally, `updateEquity`).
 * @internal
 */
import type { Broker } from '../broker/broker.js';
import { ExecType } from '../broker/order.js';
import type { OrderSpec } from '../broker/options.js';
import type { EventBus } from '../events/bus.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Clock } from '../time/clock.js';
import type { LiveRisk } from './options.js';

const DAY = 86_400_000;

/** Installs `risk` as the broker's gate; returns what the session calls per bar (equity updates). */
export function installRiskGate(risk: LiveRisk, broker: Broker, datas: readonly DataFeed[], clock: Clock, bus: EventBus | null): () => void {
  let day = NaN;
  let dayStartEquity = NaN;
  const equityNow = () => (datas.every((d) => d.cursor.i >= 0) ? broker.getValue() : broker.getCash());
  const onBar = () => {
    const t = clock.now();
    const equity = equityNow();
    const d = Math.floor(t / DAY);
    if (d !== day) {
      day = d;
      dayStartEquity = equity;
    }
    risk.updateEquity?.(equity, t);
  };
  broker.gate = (dataIndex: number, size: number, spec: OrderSpec) => {
    const data = datas[dataIndex]!;
    const last = data.cursor.i >= 0 ? data.close.get(0) : NaN;
    const open = broker.getOrdersOpen();
    const equity = equityNow();
    if (Number.isNaN(dayStartEquity)) dayStartEquity = equity;
    const order = {
      symbol: data.name, side: size > 0 ? ('buy' as const) : ('sell' as const), size: Math.abs(size),
      price: Number.isFinite(spec.price) ? spec.price : last, orderType: ExecType[spec.exectype] ?? String(spec.exectype), kind: 'submit' as const,
    };
    const verdict = risk.check(order, {
      position: broker.getPosition(dataIndex).size, openOrders: open.length, openOrdersForSymbol: open.filter((o) => o.dataIndex === dataIndex).length,
      lastPrice: last, equity, dayStartEquity, time: clock.now(),
    });
    if (verdict.ok) return undefined;
    const reason = `${verdict.check}: ${verdict.reason}`;
    bus?.emit({
      type: 'risk.refused', time: clock.now(), check: verdict.check, reason: verdict.reason,
      order: { ref: broker.table.count + 1, symbol: order.symbol, side: order.side, orderType: order.orderType, size: order.size, status: 'Rejected', filled: 0, avgPrice: NaN, reason, ...(Number.isFinite(order.price) ? { price: order.price } : {}) },
    });
    return reason;
  };
  return onBar;
}
