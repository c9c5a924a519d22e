/**
 * What the dashboard shows, folded from the session's events: open orders, recent fills,
 * positions (from the fills), equity points, the risk state and each connection's state. The
 * page gets a snapshot on connect and then the same events, and folds them the same way.
 */
import type { FerroEvent, OrderSnapshot } from '../events/types.js';

/** A position as the fills built it. */
export interface DashboardPosition {
  symbol: string;
  /** Signed: negative for a short. */
  size: number;
  /** Average entry price of the open size. */
  price: number;
}

/** A fill as the dashboard lists it. */
export interface DashboardFill {
  time: number;
  ref: number;
  clientOrderId?: string;
  symbol: string;
  side: 'buy' | 'sell';
  size: number;
  price: number;
  commission: number;
}

/** Everything the page shows, at one moment. */
export interface DashboardSnapshot {
  session: { state: string; mode: string } | null;
  /** Orders not yet completed, cancelled, expired or rejected, by ref. */
  openOrders: OrderSnapshot[];
  /** Every order seen, newest last (bounded). */
  orders: OrderSnapshot[];
  fills: DashboardFill[];
  positions: DashboardPosition[];
  equity: { time: number; value: number }[];
  risk: { state: string; reason: string; killSwitch: boolean } | null;
  connections: { component: string; state: string; detail?: string; time: number }[];
}

const DONE = new Set(['Completed', 'Canceled', 'Cancelled', 'Expired', 'Rejected', 'Margin']);

/** Keeps the last `limit` items of a list. */
function bounded<T>(list: T[], limit: number): void {
  if (list.length > limit) list.splice(0, list.length - limit);
}

/** The dashboard's state: feed it events with {@link DashboardState.apply}, read it with {@link DashboardState.snapshot}. */
export class DashboardState {
  private session: DashboardSnapshot['session'] = null;
  private readonly orders = new Map<string, OrderSnapshot>();
  private readonly fills: DashboardFill[] = [];
  private readonly positions = new Map<string, DashboardPosition>();
  private readonly equity: { time: number; value: number }[] = [];
  private risk: DashboardSnapshot['risk'] = null;
  private readonly connections = new Map<string, DashboardSnapshot['connections'][number]>();

  /** @param limit how many orders, fills and equity points are kept (oldest dropped first). */
  constructor(private readonly limit = 500) {}

  /** Folds one event in; returns whether the page should hear about it. */
  apply(event: FerroEvent): boolean {
    switch (event.type) {
      case 'order':
        this.order(event.order);
        return true;
      case 'fill':
        this.order(event.order);
        this.fill({ time: event.time, ref: event.order.ref, ...(event.order.clientOrderId ? { clientOrderId: event.order.clientOrderId } : {}), symbol: event.order.symbol, side: event.order.side, size: event.size, price: event.price, commission: event.commission });
        return true;
      case 'summary':
        this.addEquity(event.time, event.equity);
        return true;
      case 'risk':
        this.risk = { state: event.state, reason: event.reason, killSwitch: event.killSwitch };
        return true;
      case 'connection':
        this.connections.set(event.component, { component: event.component, state: event.state, time: event.time, ...(event.detail ? { detail: event.detail } : {}) });
        return true;
      case 'session':
        this.session = { state: event.state, mode: event.mode };
        return true;
      default:
        return event.type === 'message' || event.type === 'strategy.error' || event.type === 'data.stale' || event.type === 'risk.refused' || event.type === 'trade';
    }
  }

  /** An equity point (from a summary event, or the host's periodic reading of the account). */
  addEquity(time: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const last = this.equity[this.equity.length - 1];
    if (last && time <= last.time) last.value = value;
    else this.equity.push({ time, value });
    bounded(this.equity, this.limit);
  }

  snapshot(): DashboardSnapshot {
    const orders = [...this.orders.values()];
    return {
      session: this.session,
      openOrders: orders.filter((o) => !DONE.has(o.status)),
      orders,
      fills: [...this.fills],
      positions: [...this.positions.values()].filter((p) => p.size !== 0),
      equity: [...this.equity],
      risk: this.risk,
      connections: [...this.connections.values()],
    };
  }

  private order(o: OrderSnapshot): void {
    const key = o.clientOrderId ?? `#${o.ref}`;
    this.orders.delete(key);
    this.orders.set(key, { ...o });
    if (this.orders.size > this.limit) this.orders.delete(this.orders.keys().next().value!);
  }

  private fill(f: DashboardFill): void {
    this.fills.push(f);
    bounded(this.fills, this.limit);
    const p = this.positions.get(f.symbol) ?? { symbol: f.symbol, size: 0, price: 0 };
    const signed = f.side === 'buy' ? f.size : -f.size;
    const next = p.size + signed;
    if (p.size === 0 || Math.sign(p.size) === Math.sign(signed)) {
      // Adding to the position: the entry price is the size-weighted mean.
      p.price = (p.price * Math.abs(p.size) + f.price * f.size) / Math.abs(next);
    } else if (Math.sign(next) !== Math.sign(p.size) && next !== 0) {
      // Reversed through zero: what is left was opened at this fill's price.
      p.price = f.price;
    }
    p.size = next;
    if (next === 0) p.price = 0;
    this.positions.set(f.symbol, p);
  }
}
