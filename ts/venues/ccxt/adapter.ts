/**
 * A `BrokerAdapter` over a ccxt exchange (spot, or a futures venue such as `binanceusdm`): orders
 * through `createOrder` / `cancelOrder`, state through `fetchOrder`, `fetchOpenOrders`,
 * `fetchMyTrades` and `fetchBalance` (`fetchPositions` on a derivatives venue). The venue's order
 * events come from its websocket user stream when the exchange has one (ccxt pro's `watchOrders`
 * and `watchMyTrades`, see ./user-stream.ts), else from REST polling (open orders and the
 * account's trades every `pollMs`). Either way a fill is delivered once by its trade id, and after
 * an outage or a dropped socket a REST pass (reconciliation) finds the fills made meanwhile. Orders carry the engine's client order id as the exchange's client id
 * (`clientOrderId`, which ccxt sends as Binance's `newClientOrderId`), and a submit first asks the
 * venue for that id, so a resend after a crash or a lost acknowledgement is never a second order.
 *
 * Before a request is sent, the market's rules from `loadMarkets` apply (minimum size, lot, tick,
 * minimum notional; rounding as ccxt rounds). The venue's refusals map to the engine's reasons:
 * insufficient funds → `rejection: 'Margin'`, an invalid order → `rejection: 'Rejected'` with the
 * venue's text. Rate limits: ccxt's `enableRateLimit` spaces the calls; an HTTP 429 (or 418) is
 * retried with exponential backoff and jitter, never sooner than the answer's `Retry-After`. Answers of the wrong shape are logged and counted, never fatal.
 */
import { ParamError, VenueError } from '../../errors.js';
import type {
  BrokerAdapter, VenueAccount, VenueCapabilities, VenueEvent, VenueFill, VenueOrder, VenueOrderRequest, VenuePosition,
} from '../../live/broker-adapter.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import { backoffDelay, ConnectionMachine } from '../connection.js';
import type { CcxtBrokerOptions, CcxtBrokerStats } from './adapter-options.js';
import { redact, type CcxtCredentials } from './credentials.js';
import { isCcxtError, isMarginRefusal, isTransient, keepRawBodies, venueText } from './errors.js';
import type { CcxtExchange, CcxtOrder, CcxtTrade } from './exchange.js';
import { makeCcxtExchange } from './load.js';
import { fillOf, isTrade, refusedOrder, venueOrderOf } from './venue-orders.js';
import { spotAccount, VenueCalls } from './venue-calls.js';
import { isContract, marginAccount, signedPositions, type CcxtDerivativesExchange, type CcxtPosition } from './derivatives.js';
import { applyMarketRules } from './market-rules.js';
import { startUserStream, type CcxtWatchingExchange, type UserStream } from './user-stream.js';
import { canWatch, guardSockets } from './watch.js';

export type { CcxtBrokerOptions, CcxtBrokerStats } from './adapter-options.js';

const ALIVE = new Set(['submitted', 'accepted', 'partial']);

/** A `BrokerAdapter` over a ccxt exchange (see the module comment). */
export function ccxtBroker(options: CcxtBrokerOptions): CcxtBroker {
  return new CcxtBroker(options);
}

export class CcxtBroker implements BrokerAdapter {
  readonly name: string;
  readonly stats: CcxtBrokerStats = { requests: 0, rateLimited: 0, malformed: 0, reconnects: 0, streamed: 0 };
  private ex: CcxtExchange | undefined;
  private readonly conn: ConnectionMachine;
  private readonly handlers = new Set<(e: VenueEvent) => void>();
  private readonly known = new Map<string, VenueOrder>();
  private readonly byVenueId = new Map<string, string>();
  private readonly seenFills = new Set<string>();
  private readonly fillCursor = new Map<string, number>();
  private readonly log: Logger | undefined;
  private readonly pollMs: number;
  private credentials: CcxtCredentials = {};
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stream: UserStream | undefined;
  /** Contract symbols (swaps, futures): positions and the account come from the venue's margin records. */
  private derivatives = false;
  private unguard: (() => void) | undefined;
  private readonly calls: VenueCalls;

  constructor(private readonly options: CcxtBrokerOptions) {
    if (!Array.isArray(options.symbols) || options.symbols.length === 0) throw new ParamError('ccxtBroker: give the symbols traded, e.g. symbols: [\'BTC/USDT\']');
    this.pollMs = options.pollMs ?? 1000;
    if (!(this.pollMs > 0)) throw new ParamError(`ccxtBroker: pollMs must be > 0, got ${options.pollMs}`);
    const id = typeof options.exchange === 'string' ? options.exchange : options.exchange.id;
    this.name = `ccxt:${id}`;
    if (typeof options.exchange !== 'string') {
      const e = options.exchange as unknown as CcxtCredentials;
      this.credentials = { ...(e.apiKey ? { apiKey: e.apiKey } : {}), ...(e.secret ? { secret: e.secret } : {}) };
    }
    this.conn = new ConnectionMachine(`broker:${this.name}`, options.bus);
    this.conn.onChange((state, detail) => {
      if (state === 'connected' || state === 'reconnecting') this.emit({ type: 'connection', state, ...(detail ? { detail } : {}) });
      if (state === 'stopped') this.emit({ type: 'connection', state: 'disconnected' });
    });
    this.log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component: this.name });
    this.calls = new VenueCalls(this.name, options, this.stats, this.log, () => this.ex, () => this.credentials);
  }

  /** Whether the account's events come over websockets (known after `connect`). */
  get streaming(): boolean {
    return this.stream !== undefined;
  }

  /** The connection's state: idle, connecting, connected, reconnecting or stopped. */
  get connectionState() {
    return this.conn.state;
  }

  /** The ccxt exchange (after `connect`). */
  get exchange(): CcxtExchange {
    if (!this.ex) throw new VenueError('VENUE_DISCONNECTED', `${this.name}: connect() first`);
    return this.ex;
  }

  capabilities(): VenueCapabilities {
    // editOrder is not used: Binance's cancel-replace gives the new order a new client id, which
    // would break the engine's one-id-per-order rule; the engine cancels and replaces instead.
    return { orderTypes: ['Market', 'Limit'], timeInForce: ['GTC', 'IOC', 'FOK'], modify: false, brackets: false, oco: false };
  }

  async connect(): Promise<void> {
    this.conn.to('connecting');
    if (!this.ex) {
      this.ex = await this.makeExchange();
      keepRawBodies(this.ex); // so that a body that is not JSON is seen (see call())
    }
    await this.calls.call('loadMarkets', () => this.exchange.loadMarkets());
    for (const s of this.options.symbols) {
      if (!this.exchange.markets?.[s]) throw new ParamError(`${this.name}: no market '${s}' (loadMarkets lists ${Object.keys(this.exchange.markets ?? {}).slice(0, 5).join(', ')}, ...)`);
      // events are for what happens from now on; earlier fills are in fillsSince()
      this.fillCursor.set(s, Date.now());
    }
    const contracts = this.options.symbols.filter((s) => isContract(this.exchange, s));
    if (contracts.length > 0 && contracts.length < this.options.symbols.length) {
      throw new ParamError(`${this.name}: trade spot and contract symbols with two adapters (contracts: ${contracts.join(', ')})`);
    }
    this.derivatives = contracts.length > 0;
    if (this.derivatives && this.options.leverage !== undefined) {
      const ex = this.exchange as unknown as CcxtDerivativesExchange;
      if (typeof ex.setLeverage !== 'function') throw new ParamError(`${this.name}: the exchange cannot set leverage`);
      for (const s of contracts) await this.calls.call('setLeverage', () => ex.setLeverage!(this.options.leverage!, s));
    }
    const transport = this.options.transport ?? 'auto';
    const watchable = canWatch(this.exchange, 'watchOrders', 'watchMyTrades');
    if (transport === 'websocket' && !watchable) {
      throw new ParamError(`${this.name}: the exchange has no watchOrders/watchMyTrades (use ccxt.pro.${this.exchange.id}, or transport: 'poll')`);
    }
    if (transport !== 'poll' && watchable) {
      this.unguard = guardSockets(this.exchange, {
        onMalformed: (frame, err) => {
          this.stats.malformed++;
          this.log?.warn({ frame: redact(String(typeof frame === 'string' ? frame : JSON.stringify(frame)).slice(0, 200), this.credentials), err: err ? String(err) : undefined }, 'malformed websocket frame dropped');
        },
        onOpen: () => this.stream?.socketOpened(),
      });
      this.stream = await startUserStream(this.exchange as unknown as CcxtWatchingExchange, this.conn, {
        onOrders: (list) => this.onStreamOrders(list),
        onTrades: (list) => this.onStreamTrades(list),
        onReconnect: () => {
          this.stats.reconnects++;
          this.log?.info('user stream back; reconciling');
          this.pollSoon();
          // once more after the venue has confirmed the new subscription: a fill between the first
          // pass and that confirmation is on neither
          setTimeout(() => this.pollSoon(), 1000).unref?.();
        },
        onFailure: (err, what) => {
          this.stats.malformed++;
          this.log?.warn({ call: what, err: redact(String((err as Error)?.message ?? err), this.credentials) }, 'user stream failure');
        },
      }, this.options.backoff);
    }
    this.conn.to('connected');
    this.schedule(this.idlePollMs());
  }

  async disconnect(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.stop();
    this.unguard?.();
    this.unguard = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    this.conn.to('stopped');
  }

  /** The poll interval: `pollMs` when polling is how events come, `reconcileMs` beside a websocket stream. */
  private idlePollMs(): number {
    return this.stream ? (this.options.reconcileMs ?? 30_000) : this.pollMs;
  }

  private async onStreamOrders(list: CcxtOrder[]): Promise<void> {
    if (!Array.isArray(list)) return void this.calls.malformed('watchOrders', list);
    for (const o of list) {
      const v = this.toVenueOrder(o, o && o.clientOrderId ? this.known.get(o.clientOrderId) : undefined);
      if (!v || !this.options.symbols.includes(v.symbol)) continue;
      this.stats.streamed++;
      this.publishOrder(v);
    }
  }

  private async onStreamTrades(list: CcxtTrade[]): Promise<void> {
    if (!Array.isArray(list)) return void this.calls.malformed('watchMyTrades', list);
    for (const t of list) {
      if (!t || !this.options.symbols.includes(t.symbol)) continue;
      const f = await this.toFill(t).catch((err: unknown) => {
        this.log?.warn({ err: String(err) }, 'a streamed execution could not be matched to its order');
        return undefined;
      });
      if (!f) continue;
      this.stats.streamed++;
      this.deliverFill(f);
    }
  }

  /** Emits a fill once (by its id) and moves the symbol's reconciliation cursor. */
  private deliverFill(f: VenueFill): void {
    if (this.seenFills.has(f.fillId)) return;
    this.seenFills.add(f.fillId);
    this.fillCursor.set(f.symbol, Math.max(this.fillCursor.get(f.symbol) ?? 0, f.time));
    this.emit({ type: 'fill', fill: f });
  }

  events(handler: (event: VenueEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async account(): Promise<VenueAccount> {
    const ex = this.exchange;
    if (this.derivatives) {
      const currency = this.options.currency ?? (ex.markets![this.options.symbols[0]!] as { settle?: string }).settle ?? ex.markets![this.options.symbols[0]!]!.quote;
      const balance = await this.calls.call('fetchBalance', () => ex.fetchBalance());
      if (!balance || typeof balance.total !== 'object' || balance.total === null) throw this.calls.malformed('fetchBalance', balance);
      return marginAccount(balance, await this.fetchContractPositions(), currency);
    }
    const currency = this.options.currency ?? ex.markets![this.options.symbols[0]!]!.quote;
    return spotAccount(ex, this.options.symbols, currency, await this.balances(), this.calls);
  }

  async positions(): Promise<VenuePosition[]> {
    const ex = this.exchange;
    if (this.derivatives) {
      const out = signedPositions(this.options.symbols, await this.fetchContractPositions());
      if (!out) throw this.calls.malformed('fetchPositions', out);
      return out.filter((p) => p.size !== 0);
    }
    const total = await this.balances();
    // spot: a position is the base currency held (long only); its average price is not kept by the
    // venue. Symbols with nothing held are left out, as a venue lists no empty position.
    return this.options.symbols.map((symbol) => ({ symbol, size: total[ex.markets![symbol]!.base] ?? 0, avgPrice: NaN })).filter((p) => p.size !== 0);
  }

  /** The venue's positions of the symbols traded (a derivatives venue). */
  private async fetchContractPositions(): Promise<CcxtPosition[]> {
    const ex = this.exchange as unknown as CcxtDerivativesExchange;
    const list = await this.calls.call('fetchPositions', () => ex.fetchPositions(this.options.symbols));
    if (!Array.isArray(list)) throw this.calls.malformed('fetchPositions', list);
    return list;
  }

  /** Total balance by currency; an answer without the venue's raw body (unparseable) is malformed. */
  private async balances(): Promise<Record<string, number>> {
    const balance = await this.calls.call('fetchBalance', () => this.exchange.fetchBalance());
    const b = balance as { info?: unknown; total?: Record<string, number> } | undefined;
    if (!b || typeof b.info !== 'object' || b.info === null || typeof b.total !== 'object' || b.total === null) throw this.calls.malformed('fetchBalance', balance);
    return b.total;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const s of this.options.symbols) {
      const list = await this.calls.call('fetchOpenOrders', () => this.exchange.fetchOpenOrders(s));
      if (!Array.isArray(list)) throw this.calls.malformed('fetchOpenOrders', list);
      for (const o of list) {
        const v = this.toVenueOrder(o);
        if (v) out.push(this.remember(v));
      }
    }
    return out;
  }

  async order(clientOrderId: string): Promise<VenueOrder | undefined> {
    const local = this.known.get(clientOrderId);
    if (local && local.status === 'rejected' && !local.venueOrderId) return local;
    const symbols = local ? [local.symbol] : this.options.symbols;
    for (const s of symbols) {
      const o = await this.fetchByClientId(s, clientOrderId);
      if (o) return o;
    }
    return undefined;
  }

  async fillsSince(time: number): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    for (const s of this.options.symbols) out.push(...(await this.tradesSince(s, time)));
    return out.sort((a, b) => a.time - b.time);
  }

  async submit(request: VenueOrderRequest): Promise<VenueOrder> {
    const ex = this.exchange;
    const id = request.clientOrderId;
    const local = this.known.get(id);
    if (local) return local;
    if (!ex.markets?.[request.symbol]) return this.refuse(request, 'Rejected', `unknown market '${request.symbol}' on ${ex.id}`);
    // idempotence across processes: the venue may already have this client id
    const existing = await this.fetchByClientId(request.symbol, id);
    if (existing) return existing;
    if (!this.capabilities().orderTypes.includes(request.type)) return this.refuse(request, 'Rejected', `${this.name} does not take ${request.type} orders natively`);
    const rules = applyMarketRules(ex, request.symbol, request);
    if ('refused' in rules) return this.refuse(request, 'Rejected', rules.refused);
    const params: Record<string, unknown> = { clientOrderId: id };
    if (request.type === 'Limit') params.timeInForce = request.tif && request.tif !== 'DAY' && request.tif !== 'GTD' ? request.tif : 'GTC';
    let placed: CcxtOrder;
    try {
      placed = await this.calls.call('createOrder', () => ex.createOrder(request.symbol, request.type === 'Market' ? 'market' : 'limit', request.side, rules.size, rules.price, params));
    } catch (err) {
      if (isMarginRefusal(err)) return this.refuse(request, 'Margin', venueText(err, ex.id));
      if (isCcxtError(err, 'InvalidOrder') || isCcxtError(err, 'BadRequest') || isCcxtError(err, 'BadSymbol')) {
        // a duplicate client id means the order is there after all (a resend raced the first)
        const again = await this.fetchByClientId(request.symbol, id).catch(() => undefined);
        if (again) return again;
        return this.refuse(request, 'Rejected', venueText(err, ex.id));
      }
      if (isTransient(err)) throw new VenueError('VENUE_TIMEOUT', `${this.name}: no acknowledgement for ${id}: ${redact(venueText(err, ex.id), this.credentials)}`);
      throw err;
    }
    const v = this.toVenueOrder(placed, request);
    if (!v) throw this.calls.malformed('createOrder', placed);
    this.publishOrder(v);
    // the user stream brings the rest; without one, look soon
    if (!this.stream) this.pollSoon();
    return v;
  }

  async cancel(clientOrderId: string): Promise<VenueOrder> {
    const ex = this.exchange;
    const known = this.known.get(clientOrderId) ?? (await this.order(clientOrderId));
    if (!known) throw new VenueError('VENUE_UNKNOWN_ORDER', `${this.name}: no order with client id ${clientOrderId}`);
    if (!ALIVE.has(known.status)) return known;
    try {
      const o = await this.calls.call('cancelOrder', () => ex.cancelOrder(undefined, known.symbol, { origClientOrderId: clientOrderId, clientOrderId }));
      const v = this.toVenueOrder(o, known);
      if (!v) throw this.calls.malformed('cancelOrder', o);
      const out: VenueOrder = { ...v, status: v.status === 'filled' ? 'filled' : 'canceled' };
      this.publishOrder(out);
      return out;
    } catch (err) {
      if (isCcxtError(err, 'OrderNotFound')) {
        // already closed at the venue (filled meanwhile): report what it is
        const now = await this.fetchByClientId(known.symbol, clientOrderId);
        if (now) return now;
        throw new VenueError('VENUE_UNKNOWN_ORDER', `${this.name}: ${venueText(err, ex.id)}`);
      }
      throw err;
    }
  }

  async modify(clientOrderId: string): Promise<VenueOrder> {
    throw new VenueError('VENUE_UNSUPPORTED', `${this.name}: modify is not native here (capabilities().modify is false): cancel ${clientOrderId} and submit a new order`);
  }

  // ---- polling: the venue's events ----

  private schedule(ms: number): void {
    if (this.conn.state === 'stopped') return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.pollOnce().finally(() => {
        this.polling = undefined;
      });
    }, ms);
    this.timer.unref?.();
  }

  private pollSoon(): void {
    if (!this.polling) this.schedule(0);
  }

  private async pollOnce(): Promise<void> {
    try {
      for (const s of this.options.symbols) {
        const since = this.fillCursor.get(s) ?? Date.now();
        for (const f of await this.tradesSince(s, since)) this.deliverFill(f);
        // orders the engine knows as alive: report each change of status or filled size
        for (const o of [...this.known.values()]) {
          if (o.symbol !== s || !ALIVE.has(o.status)) continue;
          await this.fetchByClientId(s, o.clientOrderId);
        }
      }
      if (this.conn.state === 'reconnecting') {
        this.stats.reconnects++;
        this.log?.info({ attempts: this.conn.attempts }, 'venue reachable again');
      }
      this.conn.to('connected');
      this.schedule(this.idlePollMs());
    } catch (err) {
      if (isTransient(err) || (err instanceof VenueError && err.code === 'VENUE_RATE_LIMITED')) {
        this.conn.to('reconnecting', redact(venueText(err, this.exchange.id), this.credentials));
        const delay = backoffDelay(this.conn.attempts - 1, this.options.backoff);
        this.log?.warn({ attempt: this.conn.attempts, delayMs: Math.round(delay) }, 'venue unreachable; retrying');
        this.schedule(delay);
      } else {
        // a bad answer (counted where it was read when the adapter saw its shape; anything else
        // that ccxt could not make sense of is counted here): never stops the loop
        if (!(err instanceof VenueError && err.code === 'VENUE_BAD_RESPONSE')) this.stats.malformed++;
        this.log?.error({ err: redact(String((err as Error)?.message ?? err), this.credentials) }, 'poll failed');
        this.schedule(this.idlePollMs());
      }
    }
  }

  private async tradesSince(symbol: string, since: number): Promise<VenueFill[]> {
    const ex = this.exchange;
    const out: VenueFill[] = [];
    let from = since;
    // pages of up to 1000, oldest first, until a short page
    for (let page = 0; page < 100; page++) {
      const list = await this.calls.call('fetchMyTrades', () => ex.fetchMyTrades(symbol, from, 1000));
      if (!Array.isArray(list)) throw this.calls.malformed('fetchMyTrades', list);
      for (const t of list) {
        const f = await this.toFill(t);
        if (f && f.time >= since && !out.some((x) => x.fillId === f.fillId)) out.push(f);
      }
      if (list.length < 1000) break;
      const last = list[list.length - 1]!.timestamp;
      if (!(last > from)) break;
      from = last;
    }
    return out;
  }

  private async toFill(t: CcxtTrade): Promise<VenueFill | undefined> {
    if (!isTrade(t)) {
      this.calls.malformed('fetchMyTrades', t);
      return undefined;
    }
    let cid = this.byVenueId.get(t.order);
    if (cid === undefined) {
      const o = await this.calls.call('fetchOrder', () => this.exchange.fetchOrder(t.order, t.symbol));
      const v = this.toVenueOrder(o);
      if (!v) return undefined;
      this.remember(v);
      cid = v.clientOrderId;
    }
    return fillOf(t, cid);
  }

  /** The venue's order by client id (remembered, and its change published), or undefined when it has none. */
  private async fetchByClientId(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    let o: CcxtOrder;
    try {
      o = await this.calls.call('fetchOrder', () => this.exchange.fetchOrder(undefined, symbol, { origClientOrderId: clientOrderId, clientOrderId }));
    } catch (err) {
      if (isCcxtError(err, 'OrderNotFound')) return undefined;
      throw err;
    }
    const v = this.toVenueOrder(o, this.known.get(clientOrderId));
    if (!v) throw this.calls.malformed('fetchOrder', o);
    this.publishOrder(v);
    return this.known.get(clientOrderId);
  }

  // ---- mapping ----

  private toVenueOrder(o: CcxtOrder, hint?: Partial<VenueOrderRequest & VenueOrder>): VenueOrder | undefined {
    const v = venueOrderOf(o, hint);
    if (!v) this.calls.malformed('order', o);
    return v;
  }

  private remember(v: VenueOrder): VenueOrder {
    this.known.set(v.clientOrderId, v);
    if (v.venueOrderId) this.byVenueId.set(v.venueOrderId, v.clientOrderId);
    return v;
  }

  /** Remembers `v` and publishes it when its status or filled size changed. */
  private publishOrder(v: VenueOrder): void {
    const before = this.known.get(v.clientOrderId);
    this.remember(v);
    if (!before || before.status !== v.status || before.filled !== v.filled) this.emit({ type: 'order', order: v });
  }

  private refuse(request: VenueOrderRequest, rejection: 'Margin' | 'Rejected', reason: string): VenueOrder {
    const v = refusedOrder(request, rejection, reason);
    this.log?.warn({ clientOrderId: request.clientOrderId, rejection, reason }, 'order refused');
    this.known.set(v.clientOrderId, v);
    this.emit({ type: 'order', order: v });
    return v;
  }

  private emit(e: VenueEvent): void {
    for (const h of this.handlers) {
      try {
        h(e);
      } catch (err) {
        this.log?.error({ err: String(err) }, 'a venue event handler threw');
      }
    }
  }

  private async makeExchange(): Promise<CcxtExchange> {
    const ex = this.options.exchange;
    if (typeof ex !== 'string') return ex;
    const made = await makeCcxtExchange(ex, this.options);
    this.credentials = made.credentials;
    return made.exchange;
  }
}
