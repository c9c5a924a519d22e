import type { Broker } from '../broker/broker.js';
import { stepBroker } from './broker-step.js';
import { ordersOf, type Order, type OrderEvent } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import { ClosedTradeLog } from '../broker/trade-log.js';
import { RECORD, applyOrderRecord, orderOwner, decodeTrade, isClosedTradeRecord, isOrderRecord, tradeOwner } from '../broker/events.js';
import { TICK_BOOK, TICK_QUOTE, TICK_TRADE, type Level2Feed } from '../feeds/level2.js';
import { Strategy } from './strategy.js';
import { placeCursors, type Timeline } from './timeline.js';

/** One fill, as `onFill` receives it. */
export type Fill = NonNullable<OrderEvent['fill']>;

/** What one strategy's tick backtest produced. */
export interface TickRunResult<S extends Strategy = Strategy> {
  strategy: S;
  /** Every order the strategy placed, with its notification history (fills included). */
  orders: Order[];
  /** Closed trades. */
  trades: Trade[];
  /** Trades still open after the last tick. */
  openTrades: Trade[];
  /** Account value before the first tick (the starting cash). */
  startValue: number;
  /** Value (positions at the mid) and cash after the last tick. */
  finalValue: number;
  finalCash: number;
  /** Ticks processed (distinct timestamps across the datas). */
  ticks: number;
}

/**
 * @internal The tick loop of Level2 backtests. Per tick: the broker (entered only when it has
 * orders or notifications) fills against the book and notifications are delivered (`onFill`
 * for every fill, then `notifyOrder`, then `notifyTrade`); then, for each data with a new tick,
 * `onBar` (when a bar of its trades completed), `onOrderBook` (any level changed), `onQuote`
 * (best bid/ask changed), `onTick` (a trade printed); then `next()`. Only the callbacks a
 * strategy defines are called, and the loop allocates nothing per tick.
 */
export function runTicks(datas: Level2Feed[], broker: Broker, strategies: Strategy[], timeline: Timeline): TickRunResult[] {
  const n = timeline.ticks;
  const state = broker.state;
  const core = broker.core!;
  const startValue = broker.getCash();
  const closed = strategies.map(() => new ClosedTradeLog());
  const has = (s: Strategy, m: keyof Strategy) => s[m] !== Strategy.prototype[m];
  const wants = strategies.map((s) => ({
    order: has(s, 'notifyOrder'), trade: has(s, 'notifyTrade'), fill: has(s, 'onFill'), bar: has(s, 'onBar'),
    book: has(s, 'onOrderBook'), quote: has(s, 'onQuote'), tick: has(s, 'onTick'), next: has(s, 'next'),
  }));
  const shared = timeline.shared;
  const cursors = shared ? null : new Float64Array(2 * datas.length);
  if (cursors) core.bindCursors(cursors);
  const times = datas.map((d) => d.columns.datetime);
  const lastBar = new Int32Array(datas.length).fill(-1);
  const tick = { i: -1 };
  for (const s of strategies) s._tick = tick;
  for (const s of strategies) s.start();

  const deliver = (i: number, got: number) => {
    const buf = broker.events;
    for (let k = 0; k < got; k++) {
      const at = k * RECORD;
      if (!isOrderRecord(buf, at)) continue;
      const ref = applyOrderRecord(buf, at, broker.table, i, times, core);
      const owner = orderOwner(buf, at);
      const s = strategies[owner]!;
      const w = wants[owner]!;
      if (!w.fill && !w.order) continue;
      const order = broker.order(ref);
      const fill = buf[at + 4] === 1 && w.fill ? order.lastFill() : undefined;
      if (fill && w.fill) s.onFill(order, fill);
      if (w.order) s.notifyOrder(order.snapshot());
    }
    for (let k = 0; k < got; k++) {
      const at = k * RECORD;
      if (isOrderRecord(buf, at)) continue;
      const owner = tradeOwner(buf, at);
      if (isClosedTradeRecord(buf, at)) closed[owner]!.push(buf, at);
      if (wants[owner]!.trade) strategies[owner]!.notifyTrade(decodeTrade(buf, at, times, datas));
    }
  };

  /** The callbacks of data `d` at its row `at`. */
  const callbacks = (d: number, at: number) => {
    const data = datas[d]!;
    const f = data.flags[at]!;
    const bar = data.completedBar[at]!;
    const newBar = bar !== lastBar[d];
    if (newBar) {
      lastBar[d] = bar;
      data.bars.cursor.i = bar;
    }
    for (let k = 0; k < strategies.length; k++) {
      const s = strategies[k]!;
      const w = wants[k]!;
      if (newBar && w.bar) s.onBar(data);
      if (f & TICK_BOOK && w.book) s.onOrderBook(data);
      if (f & TICK_QUOTE && w.quote) s.onQuote(data);
      if (f & TICK_TRADE && w.tick) s.onTick(data);
    }
  };

  const single = datas.length === 1 ? datas[0]! : null;
  for (let i = 0; i < n; i++) {
    tick.i = i;
    if (single) single.cursor.i = i;
    else placeCursors(datas, timeline, cursors, i);
    if (state[1] !== 0 || state[2] !== 0 || state[3] !== 0) deliver(i, stepBroker(broker, cursors, i));
    if (single || shared) for (let d = 0; d < datas.length; d++) callbacks(d, i);
    else for (let d = 0; d < datas.length; d++) if (timeline.fresh[d]![i]) callbacks(d, timeline.index[d]![i]!);
    for (let k = 0; k < strategies.length; k++) if (wants[k]!.next) strategies[k]!.next();
  }
  // The last bar of each data completes with its last tick.
  for (let d = 0; d < datas.length; d++) {
    const data = datas[d]!;
    if (data.bars.size - 1 > lastBar[d]!) {
      data.bars.cursor.i = data.bars.size - 1;
      for (let k = 0; k < strategies.length; k++) if (wants[k]!.bar) strategies[k]!.onBar(data);
    }
  }
  for (const s of strategies) s.stop();

  const open = core.openTrades();
  const openBuf = Float64Array.from(open);
  const openTrades: { owner: number; trade: Trade }[] = [];
  for (let at = 0; at < openBuf.length; at += RECORD) openTrades.push({ owner: tradeOwner(openBuf, at), trade: decodeTrade(openBuf, at, times, datas) });
  return strategies.map((strategy, k) => ({
    strategy,
    orders: ordersOf(broker.table, k),
    trades: closed[k]!.decode(times, datas),
    openTrades: openTrades.filter((t) => t.owner === k).map((t) => t.trade),
    startValue,
    finalValue: n > 0 ? broker.getValue() : broker.getCash(),
    finalCash: broker.getCash(),
    ticks: n,
  }));
}
