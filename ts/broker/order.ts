import { OrderError } from '../errors.js';
import type { DependencyCondition, DependencySpec, OrderPriceOptions } from './order-spec.js';

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
 * An order. The object returned by `buy()`/`sell()` is live: it tracks the latest status. The
 * object passed to `notifyOrder` is a snapshot at that notification, as in backtrader.
 */
export class Order {
  /** Reference, unique per run, starting at 1. */
  readonly ref: number;
  /** Index of the strategy that placed the order. */
  readonly ownerIndex: number;
  /** Index of the data traded. */
  readonly dataIndex: number;
  /** Requested size (signed: negative for sells). */
  readonly size: number;
  readonly exectype: ExecType;
  readonly tradeid: number;
  /** Bar index, time, reference price (requested price or close), size, limit price and
   * expiry (ms; NaN = good till canceled) at creation. */
  readonly created: OrderCreated;
  status: OrderStatus = OrderStatus.Created;
  executed: OrderExecuted;
  /** Every notification so far. */
  readonly history: OrderEvent[];
  /** Ref of the bracket parent, if this order is a bracket child. */
  parentRef: number | undefined = undefined;
  /** Ref of the OCO partner given at creation, if any. */
  ocoRef: number | undefined = undefined;
  /** @internal the strategy that placed the order (for `then`). */
  _strategy: { buy(o: object): Order | null; sell(o: object): Order | null } | undefined = undefined;
  /** Why the broker rejected the order (exchange rules) or canceled it (dependencies). */
  reason: string | undefined = undefined;
  /** Free-form information attached with `addInfo` (backtrader's `order.info`). */
  readonly info: Record<string, unknown>;

  constructor(
    ref: number,
    ownerIndex: number,
    dataIndex: number,
    size: number,
    exectype: ExecType,
    tradeid: number,
    created: OrderCreated,
    info: Record<string, unknown> = {},
    history: OrderEvent[] = [],
  ) {
    this.ref = ref;
    this.ownerIndex = ownerIndex;
    this.dataIndex = dataIndex;
    this.size = size;
    this.exectype = exectype;
    this.tradeid = tradeid;
    this.created = created;
    this.executed = { size: 0, price: 0, value: 0, comm: 0, pnl: 0, remsize: size, bar: -1, dt: NaN };
    this.history = history;
    this.info = info;
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
    const s = this._strategy;
    if (!s) throw new OrderError('then() works on orders placed by a strategy');
    const chain = (options: OrderOptions = {}) => ({ ...options, after: [...toList(options.after), { order: this, when }] });
    return { buy: (o) => s.buy(chain(o)), sell: (o) => s.sell(chain(o)) };
  }

  /** Attaches information to the order. */
  addInfo(info: Record<string, unknown>): void {
    Object.assign(this.info, info);
  }

  /**
   * @internal a copy for a notification: status and fills as they are now. The copy shares the
   * `history` array with the live order (it only ever grows).
   */
  snapshot(): Order {
    const copy = new Order(this.ref, this.ownerIndex, this.dataIndex, this.size, this.exectype, this.tradeid, this.created, this.info, this.history);
    copy.status = this.status;
    copy.reason = this.reason;
    copy._strategy = this._strategy;
    copy.parentRef = this.parentRef;
    copy.ocoRef = this.ocoRef;
    // Fills into the copy's own `executed` (made by the constructor) rather than a new object:
    // strategies that listen get one snapshot per notification, several per order.
    const e = this.executed;
    const c = copy.executed;
    c.size = e.size;
    c.price = e.price;
    c.value = e.value;
    c.comm = e.comm;
    c.pnl = e.pnl;
    c.remsize = e.remsize;
    c.bar = e.bar;
    c.dt = e.dt;
    return copy;
  }
}
