/**
 * What a live session reports at its end, per strategy: its orders, closed and open trades, the
 * final value and cash, the bars and sources, and the summary line the CLI prints.
 */
import type { Broker } from '../broker/broker.js';
import { RECORD, decodeTrade, tradeOwner } from '../broker/events.js';
import { ordersOf } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import type { ClosedTradeLog } from '../broker/trade-log.js';
import type { Strategy } from '../engine/strategy.js';
import { LiveFeed } from './live-feed.js';
import type { LiveLevel2Feed } from './live-level2-feed.js';
import type { LiveResult, SourceStats, StopReason, StrategyFailure } from './options.js';

/** What a session knows at its end (its broker's prices synced). @internal */
export interface SessionEnd {
  broker: Broker;
  strategies: readonly Strategy[];
  feeds: readonly (LiveFeed | LiveLevel2Feed)[];
  /** The datas' time columns, as the broker's bar indexes refer to them. */
  times: readonly Float64Array[];
  /** Closed trades per strategy. */
  closed: readonly ClosedTradeLog[];
  /** The broker's open-trade records. */
  openRecords: Float64Array;
  /** Orders still open at the end. */
  openLeft: number;
  sources: Record<string, SourceStats>;
  startValue: number;
  bars: number;
  errors: StrategyFailure[];
  reason: StopReason;
  mode: 'paper' | 'live';
  canceledOnStop: number;
  reconciliation?: LiveResult['reconciliation'];
}

/** One result per strategy (see the module comment). @internal */
export function sessionResults(end: SessionEnd): LiveResult[] {
  const { broker, feeds, times, openRecords, startValue, bars, mode } = end;
  const openTrades: { owner: number; trade: Trade }[] = [];
  for (let at = 0; at < openRecords.length; at += RECORD) openTrades.push({ owner: tradeOwner(openRecords, at), trade: decodeTrade(openRecords, at, times, feeds) });
  const finalValue = feeds.every((f) => f.count > 0) ? broker.getValue() : broker.getCash();
  const finalCash = broker.getCash();
  const historyBars = feeds.reduce((a, f) => a + (f instanceof LiveFeed ? f.historyBars : 0), 0);
  return end.strategies.map((strategy, k): LiveResult => {
    const orders = ordersOf(broker.table, k);
    const trades = end.closed[k]!.decode(times, feeds);
    const fills = orders.reduce((a, o) => a + o.history.filter((e) => e.fill).length, 0);
    return {
      strategy, orders, trades,
      openTrades: openTrades.filter((t) => t.owner === k).map((t) => t.trade),
      startValue, finalValue, finalCash,
      bars, historyBars, sources: end.sources, errors: end.errors, reason: end.reason,
      openOrdersLeft: end.openLeft, canceledOnStop: end.canceledOnStop,
      ...(end.reconciliation ? { reconciliation: end.reconciliation } : {}),
      summary: {
        mode, strategy: strategy.constructor.name, bars, orders: orders.length, fills,
        trades: trades.length, openOrders: orders.filter((o) => o.alive()).length,
        startValue, finalValue, finalCash, pnl: finalValue - startValue,
      },
    };
  });
}
