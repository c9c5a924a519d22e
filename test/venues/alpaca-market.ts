/**
 * The simulated market behind the local Alpaca server (./alpaca-server.ts): one cash account,
 * orders as Alpaca's Trading API keeps them (statuses, order classes with legs, replacement),
 * fills when the test prints a trade, positions and FILL activities. It knows nothing of HTTP:
 * the server turns its answers and refusals into Alpaca's JSON, and its changes into
 * `trade_updates` events.
 */
import { randomUUID } from 'node:crypto';

/** An order as the market keeps it (numbers; the server formats them as Alpaca's strings). */
export interface SimOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
  timeInForce: string;
  qty: number;
  filledQty: number;
  /** Sum of price × qty of the fills (for the average). */
  filledNotional: number;
  limitPrice?: number;
  stopPrice?: number;
  trailPrice?: number;
  trailPercent?: number;
  /** Trailing stops: the best price since placement. */
  hwm?: number;
  status: 'new' | 'accepted' | 'held' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'replaced' | 'rejected';
  orderClass: '' | 'simple' | 'bracket' | 'oco' | 'oto';
  legs: string[];
  /** A leg's parent (brackets, OTO) or sibling group (OCO). */
  parent?: string;
  replaces?: string;
  replacedBy?: string;
  createdAt: number;
  updatedAt: number;
  filledAt?: number;
  canceledAt?: number;
}

/** One execution, as the FILL activity reports it. */
export interface SimFill {
  /** Alpaca's activity id: `<yyyymmddhhmmssSSS>::<execution id>`. */
  activityId: string;
  executionId: string;
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  time: number;
  /** Leaves and cumulative quantity of the order after this fill. */
  leaves: number;
  cum: number;
  partial: boolean;
}

/** A refusal in Alpaca's terms: HTTP status, Alpaca's error code and message. */
export class AlpacaRefusal extends Error {
  constructor(readonly http: number, readonly code: number, message: string) {
    super(message);
  }
}

/** What the market did: each becomes a `trade_updates` event. */
export type MarketEvent = { event: 'new' | 'fill' | 'partial_fill' | 'canceled' | 'expired' | 'replaced' | 'rejected'; order: SimOrder; fill?: SimFill; at: number };

const OPEN = new Set<SimOrder['status']>(['new', 'accepted', 'partially_filled']);

/** Submit parameters, as parsed from Alpaca's POST /v2/orders body. */
export interface SubmitParams {
  symbol: string; qty: number; side: 'buy' | 'sell'; type: SimOrder['type']; timeInForce: string; clientOrderId?: string;
  limitPrice?: number; stopPrice?: number; trailPrice?: number; trailPercent?: number;
  orderClass?: SimOrder['orderClass']; takeProfit?: { limitPrice: number }; stopLoss?: { stopPrice: number; limitPrice?: number };
}

/** The simulated account and order book. */
export class AlpacaMarket {
  cash: number;
  readonly orders = new Map<string, SimOrder>();
  readonly fills: SimFill[] = [];
  readonly positions = new Map<string, { qty: number; cost: number }>();
  readonly last = new Map<string, number>();
  /** Symbols that trade (others are refused as unknown assets). */
  readonly symbols: Set<string>;
  listener: ((e: MarketEvent) => void) | undefined;
  /**
   * Whether an order that can execute at the last price does so as soon as it is placed (Alpaca's
   * behaviour, the default), or waits for the next trade: a market replayed bar by bar, whose next
   * trade is the next bar's open, as a backtest fills.
   */
  fillOnSubmit = true;

  constructor(cash: number, symbols: string[], private readonly now: () => number) {
    this.cash = cash;
    this.symbols = new Set(symbols);
  }

  byClientId(cid: string): SimOrder | undefined {
    for (const o of this.orders.values()) if (o.clientOrderId === cid) return o;
    return undefined;
  }

  /** Buying power of the cash account: cash less what open buy orders hold. */
  buyingPower(): number {
    let held = 0;
    for (const o of this.orders.values()) {
      if (o.side === 'buy' && (OPEN.has(o.status) || o.status === 'held') && !o.parent) held += (o.qty - o.filledQty) * (o.limitPrice ?? o.stopPrice ?? this.last.get(o.symbol) ?? 0);
    }
    return this.cash - held;
  }

  submit(p: SubmitParams): SimOrder {
    if (!this.symbols.has(p.symbol)) throw new AlpacaRefusal(422, 40010001, `asset "${p.symbol}" not found`);
    if (!(p.qty > 0)) throw new AlpacaRefusal(422, 40010001, 'qty must be > 0');
    if (p.clientOrderId !== undefined && this.byClientId(p.clientOrderId)) throw new AlpacaRefusal(422, 40010001, 'client_order_id must be unique');
    if (p.clientOrderId !== undefined && p.clientOrderId.length > 128) throw new AlpacaRefusal(422, 40010001, 'client_order_id must be no more than 128 characters');
    for (const [name, v] of [['limit_price', p.limitPrice], ['stop_price', p.stopPrice]] as const) {
      if (v === undefined) continue;
      if (!(v > 0)) throw new AlpacaRefusal(422, 42210000, `invalid ${name} ${v}`);
      // Alpaca's pricing rule: at or above $1, whole cents only
      if (v >= 1 && Math.abs(Math.round(v * 100) - v * 100) > 1e-6) throw new AlpacaRefusal(422, 42210000, `invalid ${name} ${v}. sub-penny increment does not fulfill minimum pricing criteria`);
    }
    if ((p.type === 'limit' || p.type === 'stop_limit') && p.limitPrice === undefined) throw new AlpacaRefusal(422, 40010001, 'limit_price is required');
    if ((p.type === 'stop' || p.type === 'stop_limit') && p.stopPrice === undefined) throw new AlpacaRefusal(422, 40010001, 'stop_price is required');
    if (p.type === 'trailing_stop' && p.trailPrice === undefined && p.trailPercent === undefined) throw new AlpacaRefusal(422, 40010001, 'trail_price or trail_percent is required');
    const cls = p.orderClass ?? 'simple';
    if ((cls === 'bracket' || cls === 'oco') && (!p.takeProfit || !p.stopLoss)) throw new AlpacaRefusal(422, 40010001, `${cls} orders require take_profit and stop_loss`);
    if (cls === 'oto' && !p.takeProfit && !p.stopLoss) throw new AlpacaRefusal(422, 40010001, 'oto orders require take_profit or stop_loss');
    if (p.side === 'buy') {
      const px = p.limitPrice ?? p.stopPrice ?? this.last.get(p.symbol) ?? 0;
      if (p.qty * px > this.buyingPower() + 1e-9) throw new AlpacaRefusal(403, 40310000, 'insufficient buying power');
    }
    const t = this.now();
    const make = (o: Partial<SimOrder> & Pick<SimOrder, 'side' | 'type'>): SimOrder => ({
      id: randomUUID(), clientOrderId: randomUUID(), symbol: p.symbol, timeInForce: p.timeInForce, qty: p.qty, filledQty: 0, filledNotional: 0,
      status: 'accepted', orderClass: cls === 'simple' ? '' : cls, legs: [], createdAt: t, updatedAt: t, ...o,
    });
    // OCO: the take-profit limit is the order, its stop-loss the leg; both work at once
    const main = cls === 'oco'
      ? make({ side: p.side, type: 'limit', limitPrice: p.takeProfit!.limitPrice, ...(p.clientOrderId ? { clientOrderId: p.clientOrderId } : {}) })
      : make({
        side: p.side, type: p.type, ...(p.clientOrderId ? { clientOrderId: p.clientOrderId } : {}),
        ...(p.limitPrice === undefined ? {} : { limitPrice: p.limitPrice }), ...(p.stopPrice === undefined ? {} : { stopPrice: p.stopPrice }),
        ...(p.trailPrice === undefined ? {} : { trailPrice: p.trailPrice }), ...(p.trailPercent === undefined ? {} : { trailPercent: p.trailPercent }),
      });
    this.orders.set(main.id, main);
    const exit = cls === 'oco' ? p.side : p.side === 'buy' ? 'sell' : 'buy';
    const legStatus: SimOrder['status'] = cls === 'oco' ? 'accepted' : 'held';
    if (cls !== 'oco' && p.takeProfit) this.addLeg(main, make({ side: exit, type: 'limit', limitPrice: p.takeProfit.limitPrice, status: legStatus, parent: main.id }));
    if (p.stopLoss) {
      const type = p.stopLoss.limitPrice === undefined ? 'stop' : 'stop_limit';
      this.addLeg(main, make({ side: exit, type, stopPrice: p.stopLoss.stopPrice, ...(p.stopLoss.limitPrice === undefined ? {} : { limitPrice: p.stopLoss.limitPrice }), status: legStatus, parent: main.id }));
    }
    if (p.type === 'trailing_stop') main.hwm = this.last.get(p.symbol);
    return main;
  }

  private addLeg(main: SimOrder, leg: SimOrder): void {
    this.orders.set(leg.id, leg);
    main.legs.push(leg.id);
  }

  /** After the acknowledgement: `new` events, and a market order fills at the last price. */
  afterSubmit(o: SimOrder): void {
    if (o.status !== 'accepted') return; // a trade already worked it
    o.status = 'new';
    this.emit('new', o);
    for (const id of o.legs) {
      const leg = this.orders.get(id)!;
      if (leg.status === 'accepted') {
        leg.status = 'new';
        this.emit('new', leg);
      }
    }
    const px = this.last.get(o.symbol);
    if (px !== undefined && this.fillOnSubmit) this.work(o.symbol, px, Infinity);
  }

  cancel(o: SimOrder): void {
    if (!OPEN.has(o.status) && o.status !== 'held') throw new AlpacaRefusal(422, 42210000, `order is already in "${o.status}" state`);
    this.close(o, 'canceled');
    for (const id of o.legs) {
      const leg = this.orders.get(id)!;
      if (OPEN.has(leg.status) || leg.status === 'held') this.close(leg, 'canceled');
    }
  }

  replace(o: SimOrder, changes: { qty?: number; limitPrice?: number; stopPrice?: number; trail?: number; timeInForce?: string; clientOrderId?: string }): SimOrder {
    if (!OPEN.has(o.status)) throw new AlpacaRefusal(422, 42210000, `order is already in "${o.status}" state`);
    if (o.filledQty > 0) throw new AlpacaRefusal(422, 42210000, 'order is partially filled and cannot be replaced');
    if (changes.clientOrderId !== undefined && this.byClientId(changes.clientOrderId)) throw new AlpacaRefusal(422, 40010001, 'client_order_id must be unique');
    for (const v of [changes.limitPrice, changes.stopPrice]) if (v !== undefined && !(v > 0)) throw new AlpacaRefusal(422, 42210000, `invalid price ${v}`);
    const t = this.now();
    const next: SimOrder = {
      ...o, id: randomUUID(), clientOrderId: changes.clientOrderId ?? randomUUID(), qty: changes.qty ?? o.qty, status: 'new', legs: [], replaces: o.id,
      createdAt: t, updatedAt: t, timeInForce: changes.timeInForce ?? o.timeInForce,
      ...(changes.limitPrice === undefined ? {} : { limitPrice: changes.limitPrice }), ...(changes.stopPrice === undefined ? {} : { stopPrice: changes.stopPrice }),
      ...(changes.trail === undefined ? {} : o.trailPercent !== undefined ? { trailPercent: changes.trail } : { trailPrice: changes.trail }),
    };
    delete next.replacedBy;
    o.status = 'replaced';
    o.replacedBy = next.id;
    o.updatedAt = t;
    this.orders.set(next.id, next);
    this.emit('replaced', o);
    this.emit('new', next);
    return next;
  }

  /** A trade printed at `price`: works the open orders of `symbol`, up to `qty` in all. */
  work(symbol: string, price: number, qty: number): void {
    this.last.set(symbol, price);
    let left = qty;
    for (const o of [...this.orders.values()]) {
      if (left <= 0) break;
      if (o.symbol !== symbol || !OPEN.has(o.status) || !this.executable(o, price)) continue;
      const q = Math.min(left, o.qty - o.filledQty);
      left -= q;
      this.fill(o, q, price);
    }
  }

  /** Expires the open DAY orders (the session's close). */
  closeDay(): void {
    for (const o of [...this.orders.values()]) if (OPEN.has(o.status) && o.timeInForce === 'day') this.close(o, 'expired');
  }

  private executable(o: SimOrder, px: number): boolean {
    const buy = o.side === 'buy';
    if (o.type === 'trailing_stop') {
      o.hwm = o.hwm === undefined ? px : buy ? Math.min(o.hwm, px) : Math.max(o.hwm, px);
      const off = o.trailPrice ?? (o.hwm * (o.trailPercent ?? 0)) / 100;
      o.stopPrice = buy ? o.hwm + off : o.hwm - off;
    }
    const limitOk = o.limitPrice === undefined || (buy ? px <= o.limitPrice : px >= o.limitPrice);
    const stopOk = o.stopPrice === undefined || (buy ? px >= o.stopPrice : px <= o.stopPrice);
    if (o.type === 'market') return true;
    if (o.type === 'limit') return limitOk;
    if (o.type === 'stop' || o.type === 'trailing_stop') return stopOk;
    return stopOk && limitOk;
  }

  private fill(o: SimOrder, qty: number, price: number): void {
    const t = this.now();
    o.filledQty += qty;
    o.filledNotional += qty * price;
    o.updatedAt = t;
    const done = o.filledQty >= o.qty - 1e-9;
    o.status = done ? 'filled' : 'partially_filled';
    if (done) o.filledAt = t;
    const sign = o.side === 'buy' ? 1 : -1;
    this.cash -= sign * qty * price;
    const pos = this.positions.get(o.symbol) ?? { qty: 0, cost: 0 };
    const nq = pos.qty + sign * qty;
    // the average entry price changes only when the position grows
    if (Math.sign(pos.qty) === sign || pos.qty === 0) pos.cost += sign * qty * price;
    else pos.cost = nq === 0 || Math.sign(nq) === Math.sign(pos.qty) ? (pos.cost * nq) / pos.qty : nq * price;
    pos.qty = nq;
    this.positions.set(o.symbol, pos);
    const executionId = randomUUID();
    const stamp = new Date(t).toISOString().replace(/\D/g, '').slice(0, 17);
    const f: SimFill = {
      activityId: `${stamp}::${executionId}`, executionId, orderId: o.id, symbol: o.symbol, side: o.side, qty, price, time: t,
      leaves: o.qty - o.filledQty, cum: o.filledQty, partial: !done,
    };
    this.fills.push(f);
    this.emit(done ? 'fill' : 'partial_fill', o, f);
    if (!done) return;
    // order classes: the main order's fill frees its exits; one exit's fill cancels the others
    for (const id of o.legs) {
      const leg = this.orders.get(id)!;
      if (o.orderClass === 'oco') {
        if (OPEN.has(leg.status)) this.close(leg, 'canceled');
      } else if (leg.status === 'held') {
        leg.status = 'new';
        this.emit('new', leg);
      }
    }
    if (o.parent) {
      const parent = this.orders.get(o.parent)!;
      const siblings = parent.orderClass === 'oco' ? [parent, ...parent.legs.map((id) => this.orders.get(id)!)] : parent.legs.map((id) => this.orders.get(id)!);
      for (const s of siblings) if (s !== o && (OPEN.has(s.status) || s.status === 'held')) this.close(s, 'canceled');
    }
  }

  private close(o: SimOrder, status: 'canceled' | 'expired'): void {
    o.status = status;
    o.updatedAt = this.now();
    if (status === 'canceled') o.canceledAt = o.updatedAt;
    this.emit(status, o);
  }

  private emit(event: MarketEvent['event'], order: SimOrder, fill?: SimFill): void {
    this.listener?.({ event, order, ...(fill ? { fill } : {}), at: this.now() });
  }
}
