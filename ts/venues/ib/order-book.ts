/**
 * The IB adapter's order state: the orders it tracks (by client order id and by IB order id),
 * what TWS says about them (openOrder, orderStatus, errors), and executions joined with their
 * commission reports into fills, each delivered once (by IB's execution id) with the order's new
 * state after it.
 */
import { VenueError } from '../../errors.js';
import type { VenueEvent, VenueFill, VenueOrder, VenueOrderStatus } from '../../live/broker-adapter.js';
import type { IbContract, IbExecution, IbOrder } from './api.js';
import type { IbConnection } from './client.js';
import { isMarginText, isOrderRefusal, ORDER_CANCELLED } from './errors.js';
import { fromIbOrderType, parseExecTime, type IbOrderRequest } from './orders.js';
import type { IbContracts } from './resolver.js';

/** Orders still working at the venue, and those that are done. */
export const ALIVE = new Set<VenueOrderStatus>(['submitted', 'accepted', 'partial']);
export const FINAL = new Set<VenueOrderStatus>(['filled', 'canceled', 'rejected', 'expired']);

/** One order the adapter follows. */
export interface Tracked {
  order: VenueOrder;
  ibId: number;
  request?: IbOrderRequest;
  fills: Map<string, VenueFill>;
  /** TWS has said something about the order (openOrder / orderStatus). */
  ackSeen?: boolean;
}

export class IbOrderBook {
  readonly handlers = new Set<(e: VenueEvent) => void>();
  readonly byCid = new Map<string, Tracked>();
  readonly byIbId = new Map<number, Tracked>();
  /** Executions waiting for their commission report, by execution id. */
  readonly pendingExec = new Map<string, { fill: VenueFill; timer: NodeJS.Timeout }>();
  readonly commissions = new Map<string, number>();
  readonly seenFills = new Set<string>();
  readonly waiters = new Set<() => void>();
  readonly extra = { reconciledFills: 0, unknownOrderEvents: 0 };

  constructor(private readonly connection: IbConnection, private readonly contracts: IbContracts) {}

  track(request: IbOrderRequest, ibId: number): Tracked {
    const order: VenueOrder = {
      clientOrderId: request.clientOrderId, venueOrderId: String(ibId), symbol: request.symbol, side: request.side, size: request.size, type: request.type,
      ...(request.price !== undefined ? { price: request.price } : {}), ...(request.stopPrice !== undefined ? { stopPrice: request.stopPrice } : {}),
      status: 'submitted', filled: 0, avgPrice: Number.NaN, updatedAt: Date.now(),
    };
    const t: Tracked = { order, ibId, request, fills: new Map() };
    this.byCid.set(request.clientOrderId, t);
    this.byIbId.set(ibId, t);
    return t;
  }

  /** Waits for TWS's first word on the order; without one in time the order stays `submitted` (reconciliation resolves it). */
  onOpenOrder(orderId: number, contract: IbContract, o: IbOrder, state: { status?: string }): void {
    let t = this.byIbId.get(orderId);
    if (!t && o.orderRef) t = this.byCid.get(o.orderRef);
    if (!t) {
      if (!Number.isInteger(orderId) || !o.orderRef) {
        this.extra.unknownOrderEvents++;
        return;
      }
      // An order of this client the adapter did not place in this process (placed before a restart).
      t = this.adopt(orderId, contract, o);
    }
    t.ackSeen = true;
    const order = t.order;
    if (o.totalQuantity !== undefined && Number.isFinite(o.totalQuantity) && o.totalQuantity > 0) order.size = o.totalQuantity;
    if (o.orderType === 'LMT' || o.orderType === 'STP LMT' || o.orderType === 'TRAIL LIMIT') if (Number.isFinite(o.lmtPrice)) order.price = o.lmtPrice!;
    if (o.orderType === 'STP' || o.orderType === 'STP LMT') if (Number.isFinite(o.auxPrice)) order.stopPrice = o.auxPrice!;
    if (state?.status) this.applyStatus(t, state.status);
    else this.wake();
  }

  adopt(orderId: number, contract: IbContract, o: IbOrder): Tracked {
    const order: VenueOrder = {
      clientOrderId: o.orderRef!, venueOrderId: String(orderId), symbol: this.contracts.nameOf(contract), side: o.action === 'SELL' ? 'sell' : 'buy',
      size: Number(o.totalQuantity) || 0, type: fromIbOrderType(o.orderType ?? 'MKT'), status: 'accepted', filled: 0, avgPrice: Number.NaN, updatedAt: Date.now(),
    };
    const t: Tracked = { order, ibId: orderId, fills: new Map() };
    this.byCid.set(order.clientOrderId, t);
    this.byIbId.set(orderId, t);
    return t;
  }

  onOrderStatus(orderId: number, status: string, filled: number, _remaining: number, avgFillPrice: number): void {
    const t = this.byIbId.get(orderId);
    if (!t) {
      this.extra.unknownOrderEvents++;
      if (!Number.isInteger(orderId)) this.connection.stats.malformed++;
      return;
    }
    t.ackSeen = true;
    if (Number.isFinite(filled) && filled > t.order.filled && t.fills.size === 0) {
      // Fills arrive as executions; a status ahead of them only moves the average when none came.
      t.order.avgPrice = avgFillPrice;
    }
    this.applyStatus(t, status, Number.isFinite(filled) ? filled : undefined);
  }

  applyStatus(t: Tracked, ibStatus: string, filled?: number): void {
    const order = t.order;
    if (order.status === 'rejected' || order.status === 'filled') return this.wake();
    let next: VenueOrderStatus | undefined;
    switch (ibStatus) {
      case 'ApiPending': case 'PendingSubmit': case 'PendingCancel': case 'PreSubmitted': case 'Submitted':
        next = (filled ?? order.filled) > 0 ? 'partial' : 'accepted';
        break;
      case 'Filled':
        // Final only once the executions are in (their fill events carry the prices).
        next = order.filled >= order.size ? 'filled' : undefined;
        break;
      case 'ApiCancelled': case 'Cancelled':
        next = 'canceled';
        break;
      case 'Inactive':
        next = 'rejected';
        order.rejection ??= 'Rejected';
        order.reason ??= 'IB: the order is inactive (TWS did not accept it)';
        break;
      default:
        this.connection.log?.debug({ ibStatus }, 'ib: unknown order status');
    }
    if (next && next !== order.status) {
      order.status = next;
      order.updatedAt = Date.now();
      this.emit({ type: 'order', order: { ...order } });
    }
    this.wake();
  }

  onOrderError(id: number, code: number, text: string): void {
    const t = this.byIbId.get(id);
    if (!t) return;
    if (code === ORDER_CANCELLED) {
      return this.applyStatus(t, 'Cancelled');
    }
    if (!isOrderRefusal(code) || FINAL.has(t.order.status)) return;
    if (code === 104 || (code === 110 && t.order.status !== 'submitted')) return; // a refused modification leaves the order as it was
    const order = t.order;
    order.status = 'rejected';
    order.rejection = isMarginText(text) ? 'Margin' : 'Rejected';
    order.reason = `IB ${code}: ${text}`;
    order.updatedAt = Date.now();
    this.emit({ type: 'order', order: { ...order } });
    this.wake();
  }

  /** An execution: held until its commission report (or 1 s) so the fill carries the commission. */
  onExecution(contract: IbContract, exec: IbExecution, live: boolean): VenueFill | undefined {
    const execId = exec.execId;
    if (!execId || !Number.isFinite(exec.shares) || !Number.isFinite(exec.price)) {
      this.connection.stats.malformed++;
      return undefined;
    }
    let t = (exec.orderId !== undefined ? this.byIbId.get(exec.orderId) : undefined) ?? (exec.orderRef ? this.byCid.get(exec.orderRef) : undefined);
    if (!t && exec.orderRef) {
      t = this.adopt(exec.orderId ?? -1, contract, { orderRef: exec.orderRef, action: exec.side === 'SLD' ? 'SELL' : 'BUY', totalQuantity: exec.cumQty ?? exec.shares, orderType: 'MKT' });
      t.order.status = 'accepted';
    }
    const fill: VenueFill = {
      fillId: execId, clientOrderId: t?.order.clientOrderId ?? exec.orderRef ?? '', venueOrderId: String(exec.orderId ?? ''),
      symbol: t?.order.symbol ?? this.contracts.nameOf(contract), side: exec.side === 'SLD' ? 'sell' : 'buy', size: exec.shares!, price: exec.price!,
      commission: this.commissions.get(execId) ?? Number.NaN, time: parseExecTime(exec.time ?? ''),
    };
    if (live && !this.seenFills.has(execId) && !this.pendingExec.has(execId)) {
      if (Number.isFinite(fill.commission)) this.deliverFill(fill);
      else this.pendingExec.set(execId, { fill, timer: setTimeout(() => this.releaseExec(execId), 1000) });
    }
    return fill;
  }

  onCommission(report: { execId?: string; commission?: number }): void {
    if (!report?.execId) return;
    const c = Number(report.commission);
    if (Number.isFinite(c)) this.commissions.set(report.execId, c);
    const pending = this.pendingExec.get(report.execId);
    if (pending) {
      clearTimeout(pending.timer);
      this.pendingExec.delete(report.execId);
      this.deliverFill({ ...pending.fill, commission: Number.isFinite(c) ? c : 0 });
    }
  }

  releaseExec(execId: string): void {
    const pending = this.pendingExec.get(execId);
    if (!pending) return;
    this.pendingExec.delete(execId);
    this.deliverFill({ ...pending.fill, commission: this.commissions.get(execId) ?? 0 });
  }

  /** Delivers a fill once (by execution id), then the order's new state. */
  deliverFill(fill: VenueFill): void {
    if (this.seenFills.has(fill.fillId)) return;
    this.seenFills.add(fill.fillId);
    const t = this.byCid.get(fill.clientOrderId);
    if (t && !t.fills.has(fill.fillId)) {
      t.fills.set(fill.fillId, fill);
      const o = t.order;
      const notional = (Number.isFinite(o.avgPrice) && o.filled > 0 ? o.avgPrice * o.filled : 0) + fill.price * fill.size;
      o.filled += fill.size;
      o.avgPrice = notional / o.filled;
      if (o.filled > o.size) o.size = o.filled;
    }
    this.emit({ type: 'fill', fill });
    if (t && t.order.status !== 'rejected' && t.order.status !== 'filled') {
      const next: VenueOrderStatus = t.order.filled >= t.order.size ? 'filled' : 'partial';
      if (next !== t.order.status) {
        t.order.status = next;
        t.order.updatedAt = Date.now();
        this.emit({ type: 'order', order: { ...t.order } });
      }
    }
    this.wake();
  }


  emit(e: VenueEvent): void {
    for (const h of [...this.handlers]) {
      try {
        h(e);
      } catch (err) {
        this.connection.log?.error({ err }, 'ib: an event handler failed');
      }
    }
  }

  wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `done()` holds (checked on each order change), or fails with VENUE_TIMEOUT. */
  until(done: () => boolean, what: string, timeoutMs = this.connection.timeoutMs): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new VenueError('VENUE_TIMEOUT', `ib: no answer from TWS for the ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}
