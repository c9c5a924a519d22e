/** Orders kept together under a name: read them, see whether they are done, cancel them at once. */
import type { Order } from '../broker/order.js';
import type { Strategy } from '../engine/strategy.js';

/**
 * A named set of orders (`algo.group('breakout')`): `add` orders as they are placed, `cancel()`
 * every one still open, `open` the ones that can still fill.
 */
export class OrderGroup {
  private readonly members: Order[] = [];

  constructor(
    readonly name: string,
    private readonly strategy: Strategy,
  ) {}

  /** Adds orders (nulls, as `buy()` may return, are skipped); returns the group. */
  add(...orders: (Order | null | undefined)[]): this {
    for (const o of orders) if (o) this.members.push(o);
    return this;
  }

  /** Every order of the group, in the order added. */
  get orders(): readonly Order[] {
    return this.members;
  }

  /** The orders that can still fill. */
  get open(): Order[] {
    return this.members.filter((o) => o.alive());
  }

  /** Whether every order of the group has reached a final status. */
  get done(): boolean {
    return this.members.every((o) => !o.alive());
  }

  /** Cancels every open order of the group; returns how many were canceled. */
  cancel(): number {
    let n = 0;
    for (const o of this.open) if (this.strategy.cancel(o)) n++;
    return n;
  }
}
