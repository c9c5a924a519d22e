/**
 * The options a strategy places orders with: `buy()` / `sell()` and their relatives, and
 * brackets (backtrader's keyword arguments), with the type a bracket call returns.
 */
import type { DataFeed } from '../feeds/datafeed.js';
import type { ExecType, Order } from '../broker/order.js';
import type { OrderPriceOptions } from '../broker/order-spec.js';

/** Options of `buy()` / `sell()` (backtrader's keyword arguments). */
export interface OrderOptions extends OrderPriceOptions {
  /** Data to trade (default: the first data). */
  data?: DataFeed;
  /** Positive size; default from the sizer. */
  size?: number;
  /** Attached to `order.info`. */
  info?: Record<string, unknown>;
}

/** A child of a bracket: `null` when its exec type is `null` (left out), else an order. */
type BracketSide<O, K extends 'stopexec' | 'limitexec'> = O extends { [P in K]: infer E }
  ? [E] extends [null] ? null : null extends E ? Order | null : Order
  : Order;

/**
 * What `buyBracket(options)` / `sellBracket(options)` return: `[main, stop, limit]`, tightened
 * by the options: the main order is there when `size` is given (without it the sizer may decide
 * on 0 units, and then nothing is placed: `[null, null, null]`); a side is `null` when its exec
 * type is `null`.
 */
export type BracketOrders<O extends BracketOptions = BracketOptions> = O extends { size: number }
  ? [main: Order, stop: BracketSide<O, 'stopexec'>, limit: BracketSide<O, 'limitexec'>]
  : [main: Order, stop: BracketSide<O, 'stopexec'>, limit: BracketSide<O, 'limitexec'>] | [main: null, stop: null, limit: null];

/** Options of `buyBracket()` / `sellBracket()` (backtrader's `buy_bracket` arguments). */
export interface BracketOptions extends Omit<OrderOptions, 'parent' | 'transmit' | 'oco' | 'exectype'> {
  /** Main order type (default Limit). */
  exectype?: ExecType | keyof typeof ExecType;
  /** Extra options of the main order only. */
  oargs?: OrderOptions;
  /** Price of the stop side; `stopexec` its type (default Stop, `null` leaves it out). */
  stopprice?: number;
  stopexec?: ExecType | keyof typeof ExecType | null;
  stopargs?: OrderOptions;
  /** Price of the take-profit side; `limitexec` its type (default Limit, `null` leaves it out). */
  limitprice?: number;
  limitexec?: ExecType | keyof typeof ExecType | null;
  limitargs?: OrderOptions;
}
