/**
 * An in-process venue for tests and rehearsals: deterministic matching on prices the test sets,
 * an account, positions, and faults on demand — a submit lost on the way (`dropNextSubmit`), an
 * acknowledgement lost on the way back (`timeoutNextSubmit`), a connection that drops while
 * orders keep filling (`disconnect`). With `statePath` its whole state is written to a file after
 * every change (synchronously, fsynced), so it outlives a trading process killed with `kill -9`,
 * as a real venue does; a restarted process opens the same file and finds its orders there.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { ParamError, VenueError } from '../errors.js';
import type {
  BrokerAdapter, VenueAccount, VenueCapabilities, VenueEvent, VenueFill, VenueOrder, VenueOrderRequest, VenuePosition,
} from './broker-adapter.js';

/** Options of {@link SimulatedVenue}. */
export interface SimulatedVenueOptions {
  /** Starting cash (default 100,000). */
  cash?: number;
  /** Commission per fill as a fraction of its notional (default 0). */
  commission?: number;
  /** Where the venue keeps its state across processes (default: in memory only). */
  statePath?: string;
  /** How long the adapter waits for an acknowledgement before rejecting with VENUE_TIMEOUT, ms (default 200). */
  timeoutMs?: number;
  /** Native order types (default Market, Limit, Stop; the engine emulates the rest). */
  capabilities?: Partial<VenueCapabilities>;
  /** The venue's clock (default Date.now). */
  now?: () => number;
  /** At most this many units fill per match (a price move or a bar); the rest waits (default: all). */
  liquidity?: number;
  /** Prices of Limit and Stop orders must be whole multiples of this (default: any price). */
  tickSize?: number;
  /**
   * Refuse buys whose cost (size × limit price, or the last price) is more than the cash, as
   * insufficient funds (default true).
   */
  checkFunds?: boolean;
}

/** One bar of prices for {@link SimulatedVenue.setBar}. */
export interface VenueBar {
  /** When the bar ends (ms): GTD orders that expire before it expire instead of meeting it (default: none expire). */
  time?: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

interface VenueState {
  cash: number;
  prices: Record<string, number>;
  orders: VenueOrder[];
  fills: VenueFill[];
  positions: Record<string, VenuePosition>;
  nextId: number;
  /** Symbols driven by bars: orders received between bars wait for the next bar. */
  barDriven?: Record<string, boolean>;
}

const ALIVE = new Set(['submitted', 'accepted', 'partial']);

/** The simulated venue (see the module comment). */
export class SimulatedVenue {
  private state: VenueState;
  private readonly commission: number;
  private readonly statePath: string | undefined;
  readonly timeoutMs: number;
  private readonly caps: VenueCapabilities;
  private readonly now: () => number;
  private readonly liquidity: number;
  private readonly tickSize: number | undefined;
  private readonly checkFunds: boolean;
  private connected = false;
  private handlers = new Set<(e: VenueEvent) => void>();
  private faults: ('drop' | 'timeout' | 'silent')[] = [];
  private muted = false;
  /** Requests the venue received (submits, cancels, modifies), for tests to count. */
  readonly received: { kind: 'submit' | 'cancel' | 'modify'; clientOrderId: string }[] = [];

  constructor(options: SimulatedVenueOptions = {}) {
    const cash = options.cash ?? 100_000;
    if (!(Number.isFinite(cash) && cash >= 0)) throw new ParamError(`SimulatedVenue: cash must be a number >= 0, got ${cash}`);
    this.commission = options.commission ?? 0;
    this.statePath = options.statePath;
    this.timeoutMs = options.timeoutMs ?? 200;
    this.now = options.now ?? Date.now;
    this.liquidity = options.liquidity ?? Infinity;
    if (!(this.liquidity > 0)) throw new ParamError(`SimulatedVenue: liquidity must be > 0, got ${options.liquidity}`);
    this.tickSize = options.tickSize;
    if (this.tickSize !== undefined && !(Number.isFinite(this.tickSize) && this.tickSize > 0)) throw new ParamError(`SimulatedVenue: tickSize must be a number > 0, got ${options.tickSize}`);
    this.checkFunds = options.checkFunds ?? true;
    this.caps = {
      orderTypes: ['Market', 'Limit', 'Stop'], timeInForce: ['GTC', 'DAY', 'GTD'], modify: true, brackets: false, oco: false,
      ...options.capabilities,
    };
    this.state = this.statePath && existsSync(this.statePath)
      ? (JSON.parse(readFileSync(this.statePath, 'utf8')) as VenueState)
      : { cash, prices: {}, orders: [], fills: [], positions: {}, nextId: 1 };
    // JSON has no NaN: an order without fills reads back with a null average.
    for (const o of this.state.orders) if (o.avgPrice === null) o.avgPrice = NaN;
  }

  /** A new adapter onto this venue (one per trading process). */
  adapter(name = 'simulated'): BrokerAdapter {
    return new SimulatedAdapter(this, name);
  }

  /** Moves the market: resting orders that the price reaches fill at it. */
  setPrice(symbol: string, price: number): void {
    if (!(Number.isFinite(price) && price > 0)) throw new ParamError(`setPrice: price must be a number > 0, got ${price}`);
    this.state.prices[symbol] = price;
    for (const o of this.state.orders) if (o.symbol === symbol && ALIVE.has(o.status)) this.match(o);
    this.save();
  }

  /**
   * Replays one bar: the orders resting at the venue meet it as a bar-by-bar market does, the
   * way the engine's paper broker fills (so a strategy routed here fills where its paper run
   * does): Market orders at the open; a Limit at the open when the open is already through
   * its price, else at its price when the bar's range reaches it; a Stop at the open when the
   * open is through its trigger, else at the trigger when the range reaches it. The last price
   * is then the close. From the first bar on, orders received between bars wait for the next
   * bar (as orders placed on a bar's close meet the next bar in a backtest).
   */
  setBar(symbol: string, bar: VenueBar): void {
    const { open, high, low, close } = bar;
    if (![open, high, low, close].every((p) => Number.isFinite(p) && p > 0) || high < low) {
      throw new ParamError(`setBar: open, high, low and close must be numbers > 0 with high >= low, got ${JSON.stringify(bar)}`);
    }
    (this.state.barDriven ??= {})[symbol] = true;
    this.state.prices[symbol] = open;
    for (const o of this.state.orders) {
      if (o.symbol !== symbol || !ALIVE.has(o.status)) continue;
      if (bar.time !== undefined && o.expireAt !== undefined && bar.time > o.expireAt) {
        o.status = 'expired';
        o.updatedAt = this.now();
        this.emit({ type: 'order', order: { ...o } });
        continue;
      }
      const at = barFill(o, open, high, low);
      if (at !== undefined) this.fill(o, at);
    }
    this.state.prices[symbol] = close;
    this.save();
  }

  /** The next submit is lost before the venue sees it (the adapter times out). */
  dropNextSubmit(): void {
    this.faults.push('drop');
  }

  /**
   * The next submit reaches the venue, but its acknowledgement is lost (the adapter times out);
   * with `silent`, the order's events are lost too, so only reconciliation learns its fate.
   */
  timeoutNextSubmit(options: { silent?: boolean } = {}): void {
    this.faults.push(options.silent ? 'silent' : 'timeout');
  }

  /** Drops the connection: events are lost and requests refused until `reconnect()`; orders still fill. */
  disconnect(detail = 'connection lost'): void {
    this.emit({ type: 'connection', state: 'disconnected', detail });
    this.connected = false;
  }

  reconnect(): void {
    this.connected = true;
    this.emit({ type: 'connection', state: 'connected' });
  }

  /** Everything the venue holds (a copy). */
  snapshot(): VenueState {
    return structuredClone(this.state);
  }

  // ---- what the adapter calls ----

  /** @internal */
  _connect(handler: (e: VenueEvent) => void): () => void {
    this.handlers.add(handler);
    this.connected = true;
    return () => this.handlers.delete(handler);
  }
  /** @internal */
  _setConnected(on: boolean): void {
    this.connected = on;
  }
  /** @internal */
  _check(): void {
    if (!this.connected) throw new VenueError('VENUE_DISCONNECTED', 'the simulated venue is not connected; connect() first');
  }
  /** @internal */
  get _caps(): VenueCapabilities {
    return this.caps;
  }
  /** @internal */
  get _state(): VenueState {
    return this.state;
  }

  /** @internal receives a submit; returns the order, or 'drop'/'timeout' for an injected fault. */
  _submit(req: VenueOrderRequest): VenueOrder | 'drop' | 'timeout' {
    const fault = this.faults.shift();
    if (fault === 'drop') return 'drop';
    this.muted = fault === 'silent';
    try {
      const order = this.receive(req);
      return fault === undefined ? order : 'timeout';
    } finally {
      this.muted = false;
    }
  }

  private receive(req: VenueOrderRequest): VenueOrder {
    this.received.push({ kind: 'submit', clientOrderId: req.clientOrderId });
    const existing = this.state.orders.find((o) => o.clientOrderId === req.clientOrderId);
    if (existing) return { ...existing };
    const order: VenueOrder = {
      clientOrderId: req.clientOrderId, venueOrderId: `V${this.state.nextId++}`, symbol: req.symbol, side: req.side, size: req.size,
      type: req.type, status: 'accepted', filled: 0, avgPrice: NaN, updatedAt: this.now(),
      ...(req.price === undefined ? {} : { price: req.price }), ...(req.stopPrice === undefined ? {} : { stopPrice: req.stopPrice }),
      ...(req.tif === 'GTD' && req.expireAt !== undefined ? { expireAt: req.expireAt } : {}),
    };
    const refusal = this.refuse(req);
    if (refusal) {
      order.status = 'rejected';
      order.reason = refusal.reason;
      order.rejection = refusal.rejection;
    }
    const reason = refusal?.reason;
    this.state.orders.push(order);
    this.emit({ type: 'order', order: { ...order } });
    if (!reason && !this.state.barDriven?.[req.symbol]) this.match(order);
    this.save();
    return { ...order };
  }

  /** @internal */
  _cancel(clientOrderId: string): VenueOrder {
    this.received.push({ kind: 'cancel', clientOrderId });
    const o = this.find(clientOrderId);
    if (ALIVE.has(o.status)) {
      o.status = 'canceled';
      o.updatedAt = this.now();
      this.emit({ type: 'order', order: { ...o } });
      this.save();
    }
    return { ...o };
  }

  /** @internal */
  _modify(clientOrderId: string, changes: { size?: number; price?: number; stopPrice?: number }): VenueOrder {
    this.received.push({ kind: 'modify', clientOrderId });
    const o = this.find(clientOrderId);
    if (!ALIVE.has(o.status)) throw new VenueError('VENUE_REJECTED', `order ${clientOrderId} is ${o.status}; only open orders can be modified`);
    if (changes.size !== undefined) {
      if (!(changes.size > o.filled)) throw new VenueError('VENUE_REJECTED', `modify: size ${changes.size} must exceed the ${o.filled} filled`);
      o.size = changes.size;
    }
    if (changes.price !== undefined) o.price = changes.price;
    if (changes.stopPrice !== undefined) o.stopPrice = changes.stopPrice;
    o.updatedAt = this.now();
    this.emit({ type: 'order', order: { ...o } });
    this.match(o);
    this.save();
    return { ...o };
  }

  private find(clientOrderId: string): VenueOrder {
    const o = this.state.orders.find((x) => x.clientOrderId === clientOrderId);
    if (!o) throw new VenueError('VENUE_UNKNOWN_ORDER', `the venue has no order '${clientOrderId}'`);
    return o;
  }

  private refuse(req: VenueOrderRequest): { reason: string; rejection: 'Margin' | 'Rejected' } | undefined {
    const no = (reason: string) => ({ reason, rejection: 'Rejected' as const });
    if (!(Number.isFinite(req.size) && req.size > 0)) return no(`size must be a number > 0, got ${req.size}`);
    if (!this.caps.orderTypes.includes(req.type)) return no(`${req.type} orders are not supported by this venue`);
    if ((req.type === 'Limit' || req.type === 'StopLimit') && !(Number.isFinite(req.price) && req.price! > 0)) return no(`${req.type} needs a price > 0`);
    if ((req.type === 'Stop' || req.type === 'StopLimit') && !(Number.isFinite(req.stopPrice) && req.stopPrice! > 0)) return no(`${req.type} needs a stopPrice > 0`);
    if (req.type === 'Market' && this.state.prices[req.symbol] === undefined) return no(`no market in ${req.symbol} yet`);
    const tick = this.tickSize;
    if (tick !== undefined) {
      for (const [name, p] of [['price', req.price], ['stopPrice', req.stopPrice]] as const) {
        if (p !== undefined && Math.abs(Math.round(p / tick) * tick - p) > 1e-9 * Math.max(1, p)) return no(`invalid price: ${name} ${p} is not a multiple of the tick size ${tick}`);
      }
    }
    if (this.checkFunds && req.side === 'buy') {
      const px = req.price ?? req.stopPrice ?? this.state.prices[req.symbol];
      const cost = px === undefined ? 0 : req.size * px * (1 + this.commission);
      if (cost > this.state.cash) return { reason: `insufficient funds: the order costs ${cost.toFixed(2)}, the cash is ${this.state.cash.toFixed(2)}`, rejection: 'Margin' };
    }
    return undefined;
  }

  /** Fills `o` at the market price when the price allows it (up to the liquidity). */
  private match(o: VenueOrder): void {
    const px = this.state.prices[o.symbol];
    if (px === undefined) return;
    const buy = o.side === 'buy';
    let fillAt: number | undefined;
    if (o.type === 'Market') fillAt = px;
    else if (o.type === 'Limit') fillAt = (buy ? px <= o.price! : px >= o.price!) ? px : undefined;
    else if (o.type === 'Stop') fillAt = (buy ? px >= o.stopPrice! : px <= o.stopPrice!) ? px : undefined;
    if (fillAt === undefined) return;
    this.fill(o, fillAt);
  }

  /** One execution of `o` at `fillAt`: as much as the liquidity allows. */
  private fill(o: VenueOrder, fillAt: number): void {
    const buy = o.side === 'buy';
    const size = Math.min(o.size - o.filled, this.liquidity);
    // size × rate × price, in the order the engine computes a percentage commission.
    const commission = size * this.commission * fillAt;
    const fill: VenueFill = {
      fillId: `F${this.state.fills.length + 1}`, clientOrderId: o.clientOrderId, venueOrderId: o.venueOrderId, symbol: o.symbol,
      side: o.side, size, price: fillAt, commission, time: this.now(),
    };
    this.state.fills.push(fill);
    o.avgPrice = Number.isNaN(o.avgPrice) ? fillAt : (o.avgPrice * o.filled + fillAt * size) / (o.filled + size);
    o.filled += size;
    o.status = o.filled >= o.size ? 'filled' : 'partial';
    o.updatedAt = fill.time;
    const signed = buy ? size : -size;
    const pos = (this.state.positions[o.symbol] ??= { symbol: o.symbol, size: 0, avgPrice: 0 });
    const next = pos.size + signed;
    if (next === 0) pos.avgPrice = 0;
    else if (Math.sign(next) !== Math.sign(pos.size) || Math.abs(next) > Math.abs(pos.size)) {
      pos.avgPrice = Math.sign(next) !== Math.sign(pos.size) ? fillAt : (pos.avgPrice * pos.size + fillAt * signed) / next;
    }
    pos.size = next;
    this.state.cash -= signed * fillAt + commission;
    this.emit({ type: 'fill', fill: { ...fill } });
    this.emit({ type: 'order', order: { ...o } });
  }

  /** @internal the account now. */
  _account(): VenueAccount {
    let value = 0;
    for (const p of Object.values(this.state.positions)) value += p.size * (this.state.prices[p.symbol] ?? p.avgPrice);
    return { cash: this.state.cash, equity: this.state.cash + value, margin: 0 };
  }

  private emit(e: VenueEvent): void {
    if (!this.connected || this.muted) return; // lost: the client must reconcile
    for (const h of this.handlers) queueMicrotask(() => h(structuredClone(e)));
  }

  private save(): void {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
  }
}

/** The adapter onto a {@link SimulatedVenue}. */
class SimulatedAdapter implements BrokerAdapter {
  private off: (() => void) | null = null;
  private readonly listeners = new Set<(e: VenueEvent) => void>();

  constructor(private readonly venue: SimulatedVenue, readonly name: string) {}

  capabilities(): VenueCapabilities {
    return structuredClone(this.venue._caps);
  }
  async connect(): Promise<void> {
    this.off ??= this.venue._connect((e) => {
      for (const l of this.listeners) l(e);
    });
    this.venue._setConnected(true);
    for (const l of this.listeners) l({ type: 'connection', state: 'connected' });
  }
  async disconnect(): Promise<void> {
    this.off?.();
    this.off = null;
  }
  async account(): Promise<VenueAccount> {
    this.venue._check();
    return this.venue._account();
  }
  async positions(): Promise<VenuePosition[]> {
    this.venue._check();
    return Object.values(this.venue._state.positions).filter((p) => p.size !== 0).map((p) => ({ ...p }));
  }
  async openOrders(): Promise<VenueOrder[]> {
    this.venue._check();
    return this.venue._state.orders.filter((o) => ALIVE.has(o.status)).map((o) => ({ ...o }));
  }
  async order(clientOrderId: string): Promise<VenueOrder | undefined> {
    this.venue._check();
    const o = this.venue._state.orders.find((x) => x.clientOrderId === clientOrderId);
    return o ? { ...o } : undefined;
  }
  async fillsSince(time: number): Promise<VenueFill[]> {
    this.venue._check();
    return this.venue._state.fills.filter((f) => f.time >= time).map((f) => ({ ...f }));
  }
  async submit(request: VenueOrderRequest): Promise<VenueOrder> {
    this.venue._check();
    const got = this.venue._submit(structuredClone(request));
    if (got === 'drop' || got === 'timeout') {
      await new Promise((r) => setTimeout(r, this.venue.timeoutMs));
      throw new VenueError('VENUE_TIMEOUT', `no acknowledgement of order '${request.clientOrderId}' within ${this.venue.timeoutMs} ms; its state is unknown until reconciled`);
    }
    return got;
  }
  async cancel(clientOrderId: string): Promise<VenueOrder> {
    this.venue._check();
    return this.venue._cancel(clientOrderId);
  }
  async modify(clientOrderId: string, changes: { size?: number; price?: number; stopPrice?: number }): Promise<VenueOrder> {
    this.venue._check();
    return this.venue._modify(clientOrderId, changes);
  }
  events(handler: (event: VenueEvent) => void): () => void {
    this.listeners.add(handler);
    return () => this.listeners.delete(handler);
  }
}

/** Where a resting order fills on a bar (see {@link SimulatedVenue.setBar}), or undefined. */
function barFill(o: VenueOrder, open: number, high: number, low: number): number | undefined {
  const buy = o.side === 'buy';
  if (o.type === 'Market') return open;
  if (o.type === 'Limit') {
    const p = o.price!;
    if (buy) return open <= p ? open : low <= p ? p : undefined;
    return open >= p ? open : high >= p ? p : undefined;
  }
  if (o.type === 'Stop') {
    const p = o.stopPrice!;
    if (buy) return open >= p ? open : high >= p ? p : undefined;
    return open <= p ? open : low <= p ? p : undefined;
  }
  return undefined;
}
