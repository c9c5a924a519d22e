import { callNative, DependencyError, fromNative, OrderError } from '../errors.js';
import type { Broker } from './broker.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { OrderSpec } from './options.js';
import { blankOrderSpec, buildOrderSpec, type DependencySpec, type OrderPriceOptions } from './order-spec.js';
import { ExecType, Order, OrderStatus } from './order.js';
import { Slot, type OrderPlacer } from './order-table.js';

/** Most orders have no dependency: they share one empty list rather than making one each. */
const NO_DEPENDENCIES: readonly DependencySpec[] = Object.freeze([]);
/** Specs reused by {@link enterOrder}, one per depth of nested placing; and the depth now. */
const SPECS: OrderSpec[] = [];
let placing = 0;

/**
 * @internal the broker's side of a strategy's `buy()`/`sell()` once the size is known: the spec,
 * the dependencies' checks, the risk checks, then the order (or a refused one). `size` is signed.
 */
export function enterOrder(
  broker: Broker, placer: OrderPlacer, owner: number, data: DataFeed, dataIndex: number, size: number,
  options: OrderPriceOptions & { info?: Record<string, unknown> },
): Order {
  // One spec per depth of nested placing (a risk event's listener may place an order while
  // this one is being placed), reused from order to order.
  const depth = placing++;
  try {
    const spec = buildOrderSpec(options, data, SPECS[depth] ??= blankOrderSpec());
    const after = options.after === undefined ? NO_DEPENDENCIES : Array.isArray(options.after) ? options.after : [options.after];
    if (after.length > 0) {
      after.forEach((dep, k) => checkDependencySpec(dep, k));
      for (const dep of after) {
        if (!dep || !broker.owns(dep.order)) {
          throw new DependencyError('`after` names an order that was not placed in this run');
        }
      }
    }
    broker.table.placers[owner] = placer;
    // With cerebro.setRisk, a refused order is a Rejected order with its reason, never a drop.
    const risk = broker.risk?.review(dataIndex, size, spec);
    if (risk && !risk.ok) return broker.submitRefused(owner, dataIndex, size, spec, options.info, `risk ${risk.check}: ${risk.reason}`);
    return broker.submit(owner, dataIndex, size, spec, options.info, after);
  } finally {
    placing--;
  }
}

/**
 * @internal how orders enter the broker: plain orders through the submission queue (no call of
 * their own), the others (brackets, OCO groups, dependencies, trailing and stop-limit orders) by
 * a call; each gets its row in the order table. The `Broker` methods of the same names call these.
 */

/** @internal makes held order `child` wait on `dep`. */
export function addDependency(broker: Broker, child: Order, dep: DependencySpec): void {
  const core = broker.core;
  if (!core) throw new OrderError('dependencies can only be added while the cerebro runs');
  const parent = dep.order;
  if (!(parent instanceof Order)) throw new DependencyError('a dependency needs { order } with an order of this run');
  if (parent.ownerIndex !== child.ownerIndex) {
    throw new DependencyError(`order ${parent.ref} belongs to another strategy; dependencies stay within one strategy`);
  }
  const t = dep.timeout as { bars?: number; ms?: number } | undefined;
  callNative(() =>
    core.addDependency(
      child.ref,
      parent.ref,
      dep.when ?? 'filled',
      dep.onParentFailure === 'keep',
      t?.bars ?? NaN,
      t?.ms ?? NaN,
    ),
  );
}

/** @internal submits an order for a strategy. */
export function submitOrder(
  broker: Broker, owner: number, dataIndex: number, size: number, spec: OrderSpec, info: Record<string, unknown> | undefined,
  after: readonly DependencySpec[],
): Order {
  const core = broker.core;
  if (!core) throw new OrderError('orders can only be placed while the cerebro runs');
  for (let k = 0; k < after.length; k++) checkDependencySpec(after[k]!, k);
  const data = broker.datas[dataIndex]!;
  const bar = data.brokerBar();
  if (bar < 0) {
    throw new OrderError(`'${data.name}' has no bar yet: an order needs one to be placed at (in a live session, send warm-up history or wait for the first bar)`);
  }
  const { exectype, price: createdPrice, plimit, trailamount, trailpercent, valid, tradeid, parent, transmit, oco } = spec;
  const t = broker.table;
  // Trailing and stop-limit orders have price checks of their own in the broker; they, and
  // orders in brackets, OCO groups or dependencies, are submitted by a call.
  const plain = after.length === 0 && transmit && Number.isNaN(parent) && Number.isNaN(oco) && exectype <= ExecType.Stop;
  let ref: number;
  if (plain) {
    ref = t.count + 1;
    broker.submissions!.push(ref, owner, dataIndex, size, spec, bar);
    // The bar loop steps the broker while it has open orders; the broker rewrites this slot
    // with its own count when it runs.
    broker.state[1]! += 1;
  } else {
    try {
      ref = core.submit(
        owner, dataIndex, size, exectype, bar, createdPrice, plimit, trailamount, trailpercent, valid, tradeid,
        parent, transmit, oco, after.length > 0,
      );
    } catch (err) {
      throw fromNative(err);
    }
  }
  // Held bracket members (transmit: false) and orders waiting on dependencies stay Created
  // until they are sent.
  const held = after.length > 0;
  const status = held || !transmit ? OrderStatus.Created : broker.checksubmitEnabled ? OrderStatus.Submitted : OrderStatus.Accepted;
  // Positional, not an object: this runs once per order, and the row is all numbers.
  const added = t.addRow(
    owner, dataIndex, size, exectype, tradeid, bar, data.brokerColumns.datetime[bar]!, createdPrice, plimit, valid, parent, oco,
    status,
  );
  if (added !== ref) throw new OrderError(`the broker numbered order ${added} as ${ref}; the order table and the broker disagree`);
  if (info !== undefined) t.setInfo(ref, info);
  if (transmit && !Number.isNaN(parent)) {
    // The group (the parent and the children after it) is sent now.
    for (let k = parent; k < ref; k++) {
      if (k === parent || t.get(k, Slot.Parent) === parent) t.setStatus(k, status);
    }
  }
  const order = new Order(t, ref);
  if (held) {
    try {
      for (const dep of after) addDependency(broker, order, dep);
    } catch (err) {
      // Placing is all or nothing: the order, the dependencies added before the one that
      // failed, and its ref go back, as if the call had never been made.
      callNative(() => core.retractHeld(ref));
      t.pop(ref);
      throw err;
    }
    callNative(() => core.releaseIfReady(order.ref));
  }
  return order;
}

/** @internal see `Broker.submitRefused`. */
export function submitRefused(
  broker: Broker, owner: number, dataIndex: number, size: number, spec: OrderSpec, info: Record<string, unknown> | undefined, reason: string,
): Order {
  const core = broker.core;
  if (!core) throw new OrderError('orders can only be placed while the cerebro runs');
  const data = broker.datas[dataIndex]!;
  const bar = data.brokerBar();
  const { exectype, price, plimit, valid, tradeid } = spec;
  const ref = callNative(() => core.submitRefused(owner, dataIndex, size, exectype, bar, price, plimit, valid, tradeid, spec.parent, reason));
  const t = broker.table;
  const added = t.add(
    {
      owner, data: dataIndex, size, exectype, tradeid, createdBar: bar, createdDt: data.brokerColumns.datetime[bar]!,
      createdPrice: price, createdPlimit: plimit, createdValid: valid, parent: NaN, oco: NaN,
    },
    OrderStatus.Rejected,
  );
  if (added !== ref) throw new OrderError(`the broker numbered order ${added} as ${ref}; the order table and the broker disagree`);
  t.setReason(ref, reason);
  if (info !== undefined) t.setInfo(ref, info);
  return new Order(t, ref);
}

const CONDITIONS: readonly string[] = ['submitted', 'accepted', 'partial', 'filled', 'canceled', 'rejected', 'expired', 'terminal'];

/**
 * A dependency checked before anything is placed (so a bad one refuses the order whole): an
 * @internal `{ order }` (not an Order itself), a known condition, a timeout of whole bars >= 1 or ms > 0.
 */
export function checkDependencySpec(dep: DependencySpec, k: number): void {
  const at = `after[${k}]`;
  if (dep instanceof Order) {
    throw new DependencyError(`${at} is an Order; give { order } (e.g. after: { order: entry, when: 'filled' }) or use entry.then('filled').sell(...)`);
  }
  if (dep === null || typeof dep !== 'object' || !(dep.order instanceof Order)) {
    throw new DependencyError(`${at} needs { order } with an order of this run, got ${dep === null ? 'null' : typeof dep}`);
  }
  if (dep.when !== undefined && !CONDITIONS.includes(dep.when)) {
    throw new DependencyError(`${at}: when '${String(dep.when)}' is not a condition; use one of ${CONDITIONS.join(', ')}`);
  }
  if (dep.onParentFailure !== undefined && dep.onParentFailure !== 'cancel' && dep.onParentFailure !== 'keep') {
    throw new DependencyError(`${at}: onParentFailure must be 'cancel' or 'keep', got '${String(dep.onParentFailure)}'`);
  }
  const t = dep.timeout as { bars?: unknown; ms?: unknown } | undefined;
  if (t !== undefined) {
    const bars = t?.bars;
    const ms = t?.ms;
    const okBars = typeof bars === 'number' && Number.isInteger(bars) && bars >= 1;
    const okMs = typeof ms === 'number' && Number.isFinite(ms) && ms > 0;
    if (t === null || typeof t !== 'object' || (bars !== undefined) === (ms !== undefined) || (bars !== undefined ? !okBars : !okMs)) {
      throw new DependencyError(`${at}: timeout must be { bars: n } with a whole n >= 1 or { ms: n } with a finite n > 0, got ${JSON.stringify(t)}`);
    }
  }
}
