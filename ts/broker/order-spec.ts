import { OrderError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { OrderSpec } from './broker.js';
import { ExecType, type Order } from './order.js';

const DAY_MS = 86_400_000;

/** A span of time for `valid`. */
export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

/**
 * How long an order stays valid (backtrader's `valid`):
 * - omitted / `null`: good till canceled;
 * - `'DAY'` or `0`: until the end of the creation day's session;
 * - a `Date` or an ISO string: until that time (the data's own clock);
 * - a {@link Duration} (`{ days: 3 }`) or a number of days: that long after the creation bar.
 */
export type Validity = null | 'DAY' | 0 | Date | string | number | Duration;

/** Price-related options of `buy()`/`sell()`. */
export interface OrderPriceOptions {
  /** Execution type (default Market). */
  exectype?: ExecType | keyof typeof ExecType;
  /** Limit price (Limit), stop price (Stop, StopLimit), reference price (trailing stops). */
  price?: number;
  /** Limit price of StopLimit orders. */
  plimit?: number;
  /** Trailing distance of StopTrail/StopTrailLimit, in price units... */
  trailamount?: number;
  /** ...or as a fraction of price (0.02 = 2 %). */
  trailpercent?: number;
  valid?: Validity;
  /** Trades with different ids are tracked separately. */
  tradeid?: number;
  /** Bracket parent: this order stays inactive until the parent completes, and is canceled if
   * the parent is canceled, expires or is refused. */
  parent?: Order;
  /** `false` holds the order until a later member of its bracket transmits (default true). */
  transmit?: boolean;
  /** One-cancels-others: joins the group of that order. */
  oco?: Order;
  /**
   * Hold this order until other orders reach a state: `{ order: a }` waits for `a` to fill;
   * several entries wait for all. The order is not sent to the broker while it waits; if a
   * parent can no longer reach its state (or a timeout passes) it is canceled with a reason
   * naming the parent.
   */
  after?: DependencySpec | DependencySpec[];
}

/** The state a parent order must reach. */
export type DependencyCondition =
  | 'submitted'
  | 'accepted'
  | 'partial'
  | 'filled'
  | 'canceled'
  | 'rejected'
  | 'expired'
  | 'terminal';

/** One dependency of an order on another. */
export interface DependencySpec {
  /** The parent order. */
  order: Order;
  /** What the parent must reach (default 'filled'). */
  when?: DependencyCondition;
  /** If the parent can no longer reach it: 'cancel' this order (default) or 'keep' waiting. */
  onParentFailure?: 'cancel' | 'keep';
  /** Cancel this order if the condition is not met within so many bars or milliseconds. */
  timeout?: { bars: number } | { ms: number };
}

function finiteOrNaN(value: number | undefined, name: string): number {
  if (value === undefined) return NaN;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new OrderError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function durationMs(d: Duration): number {
  const ms =
    (d.days ?? 0) * DAY_MS + (d.hours ?? 0) * 3_600_000 + (d.minutes ?? 0) * 60_000 + (d.seconds ?? 0) * 1000 + (d.milliseconds ?? 0);
  if (!Number.isFinite(ms) || ms < 0) throw new OrderError(`valid: the duration must be a finite span >= 0, got ${JSON.stringify(d)}`);
  return ms;
}

/** Expiry time (ms) of an order created on a bar whose session ends at `createdEnd`. */
export function expiryMs(valid: Validity | undefined, createdEnd: number): number {
  if (valid === undefined || valid === null) return NaN;
  if (valid === 'DAY' || valid === 0) return Math.floor(createdEnd / DAY_MS) * DAY_MS + DAY_MS - 1;
  if (valid instanceof Date) {
    const t = valid.getTime();
    if (Number.isNaN(t)) throw new OrderError('valid: the Date is invalid');
    return t;
  }
  if (typeof valid === 'string') {
    const t = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(valid) ? valid : /^\d{4}-\d{2}-\d{2}$/.test(valid) ? `${valid}T00:00:00Z` : `${valid}Z`);
    if (Number.isNaN(t)) throw new OrderError(`valid: '${valid}' is not a date; use YYYY-MM-DD[THH:MM:SS], a Date, a duration or 'DAY'`);
    return t;
  }
  if (typeof valid === 'number') {
    if (!Number.isFinite(valid) || valid < 0) throw new OrderError(`valid: a number of days must be finite and >= 0, got ${valid}`);
    return createdEnd + valid * DAY_MS;
  }
  if (typeof valid === 'object') return createdEnd + durationMs(valid);
  throw new OrderError(`valid: unsupported value ${String(valid)}`);
}

/** @internal a spec to fill with {@link buildOrderSpec} (every field is written). */
export function blankOrderSpec(): OrderSpec {
  return {
    exectype: ExecType.Market, price: NaN, plimit: NaN, trailamount: NaN, trailpercent: NaN, valid: NaN, tradeid: 0, parent: NaN, oco: NaN,
    transmit: true,
  };
}

/**
 * @internal turns `buy()`/`sell()` options into what the broker takes, written into `into` (a
 * spec the caller reuses: placing an order then makes no object of ten numbers, most of them
 * boxed, for the garbage collector) or into a new one.
 */
export function buildOrderSpec(options: OrderPriceOptions, data: DataFeed, into: OrderSpec = blankOrderSpec()): OrderSpec {
  const exectype =
    typeof options.exectype === 'string' ? ExecType[options.exectype] : (options.exectype ?? ExecType.Market);
  if (exectype === undefined || ExecType[exectype] === undefined) {
    const names = Object.keys(ExecType).filter((k) => Number.isNaN(Number(k)));
    throw new OrderError(`unknown exectype '${String(options.exectype)}'; use one of ${names.join(', ')}`);
  }
  if (options.price !== undefined && (typeof options.price !== 'number' || !Number.isFinite(options.price))) {
    throw new OrderError(`order price must be a finite number, got ${String(options.price)}`);
  }
  const plimit = finiteOrNaN(options.plimit, 'plimit');
  if (options.price === undefined && (exectype === ExecType.Limit || exectype === ExecType.Stop || exectype === ExecType.StopLimit)) {
    // backtrader silently uses the close here; a limit or stop at an accidental price is a
    // costly mistake, so the price is required.
    throw new OrderError(`a ${ExecType[exectype]} order needs a price: pass { price }`);
  }
  if (options.price !== undefined && options.price <= 0) {
    throw new OrderError(`order price must be > 0, got ${options.price}`);
  }
  const bar = data.cursor.i;
  const tradeid = options.tradeid ?? 0;
  if (!Number.isInteger(tradeid) || tradeid < 0) throw new OrderError(`tradeid must be a whole number >= 0, got ${tradeid}`);
  const trailamount = finiteOrNaN(options.trailamount, 'trailamount');
  const trailpercent = finiteOrNaN(options.trailpercent, 'trailpercent');
  // Good till canceled needs no session end (most orders).
  const valid = options.valid === undefined || options.valid === null
    ? NaN
    : expiryMs(options.valid, data.columns.datetime[bar]! + data.brokerSessionEnd);
  // Checked above, written only now: a refused order leaves `into` as it was.
  into.exectype = exectype;
  // backtrader: without a price the reference is the limit price, else the bar's close.
  into.price = options.price ?? (Number.isNaN(plimit) ? data.columns.close[bar]! : plimit);
  into.plimit = plimit;
  into.trailamount = trailamount;
  into.trailpercent = trailpercent;
  into.valid = valid;
  into.tradeid = tradeid;
  into.parent = options.parent ? options.parent.ref : NaN;
  into.oco = options.oco ? options.oco.ref : NaN;
  into.transmit = options.transmit ?? true;
  return into;
}
