import type { Order } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import type { Strategy } from './strategy.js';

/** What one strategy's run produced. */
export interface RunResult<S extends Strategy = Strategy> {
  /** The strategy instance, with whatever state it kept. */
  strategy: S;
  /** Every order the strategy placed, in creation order, with its notification history. */
  orders: Order[];
  /** Closed trades, as snapshots at their close. */
  trades: Trade[];
  /** Trades still open after the last bar. */
  openTrades: Trade[];
  /** Broker cash and value per bar, as the strategy saw them in `next()`/`prenext()`. */
  cash: Float64Array;
  value: Float64Array;
  /** Value and cash after the last bar. */
  finalValue: number;
  finalCash: number;
  /** Bars processed. */
  bars: number;
}
