/**
 * The risk engine in a backtest (`cerebro.setRisk(config)`): the same checks as live, asked
 * when a strategy places an order, with the account read from the simulated broker. A refused
 * order becomes a Rejected order with its `reason`, notified to `notifyOrder` like any broker
 * rejection (see `Broker.submitRefused`); it is never dropped.
 *
 * Times: a bar's time is wall-clock time in its data's zone (`data.tz`; UTC when none), turned
 * into the UTC instant the engine reads. An order's time is the one the broker stamps it with
 * (the bar's time plus the data's session end), so on daily bars the trading-hours check sees
 * the session's end.
 */
import type { Broker } from '../broker/broker.js';
import type { OrderSpec } from '../broker/options.js';
import { ExecType } from '../broker/order.js';
import type { EventBus } from '../events/bus.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { SimulatedClock } from '../time/clock.js';
import { wallToUtc } from '../time/timezone.js';
import type { RiskConfig } from './config.js';
import { RiskEngine } from './engine.js';
import type { RiskDecision } from './types.js';

/** The instant (ms UTC) of a data's wall-clock time. */
function instant(data: DataFeed, wall: number): number {
  return data.tz === undefined || data.tz === 'UTC' ? wall : wallToUtc(wall, data.tz);
}

/** @internal one run's risk engine and the simulated account it reads. */
export class BacktestRisk {
  readonly engine: RiskEngine;
  private readonly clock: SimulatedClock;

  /** `broker` has been started on the run's datas. */
  constructor(config: RiskConfig, private readonly broker: Broker, bus?: EventBus) {
    const first = broker.datas[0];
    const t0 = first?.brokerColumns.datetime[0];
    this.clock = new SimulatedClock(first && t0 !== undefined ? instant(first, t0) : 0);
    this.engine = new RiskEngine(config, { clock: this.clock, ...(bus ? { bus } : {}) });
  }

  /** Called by the bar loop once per bar with the account's value: the daily loss limit follows equity. */
  onBar(value: number): void {
    const data = this.broker.datas[0];
    if (!data) return;
    const bar = data.brokerBar();
    const time = instant(data, data.brokerColumns.datetime[bar]!);
    this.clock.set(time);
    this.engine.updateEquity(value, time);
  }

  /** Asks the engine about an order a strategy is placing (`size` signed). */
  review(dataIndex: number, size: number, spec: OrderSpec): RiskDecision {
    const broker = this.broker;
    const data = broker.datas[dataIndex]!;
    const bar = data.brokerBar();
    const time = instant(data, data.brokerColumns.datetime[bar]! + data.brokerSessionEnd);
    this.clock.set(time);
    const equity = broker.getValue();
    this.engine.updateEquity(equity, time);
    let position = broker.getPosition(dataIndex).size;
    // A bracket's child protects the position its parent opens: it is checked against that.
    if (!Number.isNaN(spec.parent)) position += broker.order(spec.parent).size;
    const open = broker.getOrdersOpen();
    let forSymbol = 0;
    for (const o of open) if (o.dataIndex === dataIndex) forSymbol++;
    const last = data.brokerColumns.close[bar];
    return this.engine.check(
      {
        symbol: data.name, side: size > 0 ? 'buy' : 'sell', size: Math.abs(size), price: spec.price,
        orderType: ExecType[spec.exectype] ?? String(spec.exectype), kind: 'submit', ref: broker.table.count + 1,
      },
      {
        position, openOrders: open.length, openOrdersForSymbol: forSymbol,
        lastPrice: last !== undefined && Number.isFinite(last) ? last : undefined,
        equity, dayStartEquity: Number.isNaN(this.engine.dayStartEquity) ? equity : this.engine.dayStartEquity, time,
      },
    );
  }
}
