/**
 * Rolling a position from one contract to the next: the old contract is closed with a market
 * order and the new one opened with an order that waits for the close to fill (an order
 * dependency, docs/broker.md#order-dependencies): if the close is refused or canceled, the new leg
 * is canceled with it, so the position is never doubled.
 */
import { ParamError } from '../errors.js';
import type { Order } from '../broker/order.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { OrderOptions, Strategy } from '../engine/strategy.js';

/** Options of {@link rollPosition}. */
export interface RollPositionOptions {
  /** Options of the opening leg on the new contract (e.g. a Limit price); default Market. */
  open?: Omit<OrderOptions, 'data' | 'size' | 'after'>;
  /** Attached to both legs' `order.info` (with `roll: 'close' | 'open'`). */
  info?: Record<string, unknown>;
}

/**
 * Closes the position in `from` and, once that fills, opens the same position in `to`. Returns
 * `[close, open]`, or `null` when there is no position in `from`.
 *
 * ```ts
 * notifyRoll(roll: RollEvent) {
 *   if (roll.fromData && roll.toData) rollPosition(this, roll.fromData, roll.toData);
 * }
 * ```
 */
export function rollPosition(strategy: Strategy, from: DataFeed, to: DataFeed, options: RollPositionOptions = {}): [Order, Order] | null {
  if (from === to) throw new ParamError('rollPosition: the old and the new contract are the same data');
  const size = strategy.getPosition(from).size;
  if (size === 0) return null;
  const close = strategy.close({ data: from, info: { ...options.info, roll: 'close' } })!;
  const leg: OrderOptions = { ...options.open, data: to, size: Math.abs(size), info: { ...options.info, roll: 'open' } };
  const open = size > 0 ? strategy.thenBuy(close, leg) : strategy.thenSell(close, leg);
  return [close, open!];
}
