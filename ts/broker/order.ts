import { OrderError } from '../errors.js';
import type { DependencyCondition, DependencySpec, OrderPriceOptions } from './order-spec.js';
import { Slot, type OrderPlacer, type OrderTable } from './order-table.js';

/** The options `then().buy()` takes (those of `Strategy.buy`). */
type OrderOptions = OrderPriceOptions & { size?: number; info?: Record<string, unknown>; data?: unknown; after?: DependencySpec | DependencySpec[] };

function toList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Order status, numbered as backtrader's `Order.Status`. */
export enum OrderStatus {
  Created = 0,
  Submitted = 1,
  Accepted = 2,
  Partial = 3,
  Completed = 4,
  Canceled = 5,
  Expired = 6,
  Margin = 7,
  Rejected = 8,
}

/** Execution types, numbered as backtrader's `Order.ExecTypes`. */
export enum ExecType {
  Market = 0,
  Close = 1,
  Limit = 2,
  Stop = 3,
  StopLimit = 4,
  StopTrail = 5,
  StopTrailLimit = 6,
}

/** Cumulative fills of an order (backtrader's `order.executed`). */
export interface OrderExecuted {
  /** Filled size (signed: negative for sells). */
  size: number;
  /** Size-weighted average fill price. */
  price: number;
  /** Value of the fills (cost basis for closing fills). */
  value: number;
  comm: number;
  pnl: number;
  /** Size still to fill (signed). */
  remsize: number;
  /** Bar index of the last fill, -1 before any. */
  bar: number;
  /** Time of the last fill (ms), NaN before any. */
  dt: number;
}

/** What an order was created with. */
export interface OrderCreated {
  bar: number;
  dt: number;
  price: number;
  size: number;
  pricelimit: number;
  valid: number;
}

/** One notification of an order, as delivered to `notifyOrder`. */
export interface OrderEvent {
  status: OrderStatus;
  /** Bar index at which the notification was delivered. */
  bar: number;
  /** The fill behind the notification, if any. */
  fill?: { bar: number; size: number; price: number; value: number; comm: number; pnl: number };
}

/**
 * An order. The object returned by `buy()`/`sell()` is live: it reads the order's latest status
 * and fills from the broker's order table. The object passed to `notifyOrder` is a snapshot at
 * that notification, as in backtrader. Two live objects of the same order are equal in `ref`,
 * not necessarily in identity.
 */
export class Order {
  /** Reference, unique per run, starting at 1. */
  readonly ref: number;
  // Private (#) fields: hidden from test-runner diffs and console output, which would
  // otherwise print the table's chunks.
  readonly #table: OrderTable;
  /**
   * A snapshot's status and latest history entry; `null` for a live order, which reads the
   * table. Everything else of an order is either fixed at creation or derived from its history.
   */
  readonly #frozen: { status: number; last: number } | null;

  /** @internal orders are made by the broker; `frozen` makes a snapshot. */
  constructor(table: OrderTable, ref: number, frozen?: { status: number; last: number }) {
    this.ref = ref;
    this.#table = table;
    this.#frozen = frozen ?? null;
  }

  /** One field of the order (the table's chunk is looked up on each read: it may grow). */
  #get(slot: Slot): number {
    return this.#table.get(this.ref, slot);
  }

  /** The order's latest history entry (as of the snapshot, for a snapshot). */
  #last(): number {
    const f = this.#frozen;
    return f !== null ? f.last : this.#table.last(this.ref);
  }

  /** @internal the run's order table. */
  get _table(): OrderTable {
    return this.#table;
  }

  /** Index of the strategy that placed the order. */
  get ownerIndex(): number {
    return this.#get(Slot.Owner);
  }

  /** Index of the data traded. */
  get dataIndex(): number {
    return this.#get(Slot.Data);
  }

  /** Requested size (signed: negative for sells). */
  get size(): number {
    return this.#get(Slot.Size);
  }

  get exectype(): ExecType {
    return this.#get(Slot.Exectype);
  }

  get tradeid(): number {
    return this.#get(Slot.Tradeid);
  }

  get status(): OrderStatus {
    const f = this.#frozen;
    return f !== null ? f.status : this.#table.status(this.ref);
  }

  /** Cumulative fills (a copy: read it again after the next notification). */
  get executed(): OrderExecuted {
    return this.#table.log.executed(this.#last(), this.#table.size(this.ref));
  }

  /** Bar index, time, reference price (requested price or close), size, limit price and
   * expiry (ms; NaN = good till canceled) at creation. */
  get created(): OrderCreated {
    return {
      bar: this.#get(Slot.CreatedBar),
      dt: this.#get(Slot.CreatedDt),
      price: this.#get(Slot.CreatedPrice),
      size: this.#get(Slot.Size),
      pricelimit: this.#get(Slot.CreatedPlimit),
      valid: this.#get(Slot.CreatedValid),
    };
  }

  /** Ref of the bracket parent, if this order is a bracket child. */
  get parentRef(): number | undefined {
    const p = this.#get(Slot.Parent);
    return Number.isNaN(p) ? undefined : p;
  }

  /** Ref of the OCO partner given at creation, if any. */
  get ocoRef(): number | undefined {
    const o = this.#get(Slot.Oco);
    return Number.isNaN(o) ? undefined : o;
  }

  /** Why the broker rejected the order (exchange rules) or canceled it (dependencies). */
  get reason(): string | undefined {
    return this.#table.reason(this.ref);
  }

  /** Free-form information attached with `addInfo` (backtrader's `order.info`). */
  get info(): Record<string, unknown> {
    return this.#table.info(this.ref);
  }

  /** @internal the strategy that placed the order (for `then`). */
  get _strategy(): OrderPlacer | undefined {
    return this.#table.placers[this.ownerIndex];
  }

  /** Every notification so far (up to this snapshot, for the object given to `notifyOrder`). */
  get history(): OrderEvent[] {
    return this.#table.log.events(this.#last(), this.#table.size(this.ref));
  }

  /** @internal the fill of the latest notification, if it had one. */
  lastFill(): OrderEvent['fill'] {
    return this.#table.log.fillOf(this.#last(), this.#table.size(this.ref));
  }

  isBuy(): boolean {
    return this.size > 0;
  }

  isSell(): boolean {
    return this.size < 0;
  }

  /** Whether the order can still fill. */
  alive(): boolean {
    return this.status <= OrderStatus.Partial;
  }

  /** Name of the current status (`Completed`, `Margin`, ...). */
  getStatusName(): string {
    return OrderStatus[this.status];
  }

  /** Name of the execution type. */
  getOrdertypeName(): string {
    return ExecType[this.exectype];
  }

  /**
   * Chains an order after this one: `order.then('filled').sell({ size: 10, exectype: 'Limit', price })`
   * places a sell that waits until this order fills (default condition 'filled').
   */
  then(when: DependencyCondition = 'filled'): { buy(options?: OrderOptions): Order | null; sell(options?: OrderOptions): Order | null } {
    const s = this._strategy as { buy(o: object): Order | null; sell(o: object): Order | null } | undefined;
    if (!s) throw new OrderError('then() works on orders placed by a strategy');
    const chain = (options: OrderOptions = {}) => ({ ...options, after: [...toList(options.after), { order: this, when }] });
    return { buy: (o) => s.buy(chain(o)), sell: (o) => s.sell(chain(o)) };
  }

  /** Attaches information to the order. */
  addInfo(info: Record<string, unknown>): void {
    Object.assign(this.info, info);
  }

  /** @internal a copy for a notification: status, fills and history as they are now. */
  snapshot(): Order {
    // The status and where the history ends are all that change: the rest is fixed at
    // creation, and the fills as of the snapshot are derived from its history.
    return new Order(this.#table, this.ref, { status: this.status, last: this.#last() });
  }

  /** Shows as a plain record in `console.log` and `JSON.stringify`. */
  toJSON(): object {
    return {
      ref: this.ref, ownerIndex: this.ownerIndex, dataIndex: this.dataIndex, size: this.size, exectype: this.exectype,
      tradeid: this.tradeid, status: this.status, created: this.created, executed: this.executed, reason: this.reason,
    };
  }
}

/** @internal live views of the orders of `table` placed by strategy `owner`, oldest first. */
export function ordersOf(table: OrderTable, owner: number): Order[] {
  const out: Order[] = [];
  for (let ref = 1; ref <= table.count; ref++) if (table.owner(ref) === owner) out.push(new Order(table, ref));
  return out;
}
