/**
 * A `BrokerAdapter` for Alpaca (US stocks and ETFs): orders, positions and the account through the
 * Trading REST API, the venue's events through the `trade_updates` WebSocket (new, fill,
 * partial_fill, canceled, expired, replaced, rejected). The engine's client order id is sent as
 * Alpaca's `client_order_id`, so a resend is found instead of doubled. When the stream drops, the
 * adapter reconnects with backoff and jitter, listens again, and reconciles: the FILL activities
 * since the last event it saw (a fill made while it was away) and the state of every order still
 * open. Fills are keyed by Alpaca's execution id, the same from the stream and from the
 * activities, so none is delivered twice.
 *
 * Refusals: HTTP 403 (insufficient buying power) → `rejection: 'Margin'`; 422 (a bad price, an
 * unknown asset, ...) → `rejection: 'Rejected'` with Alpaca's message; 429 → retried after the
 * `X-RateLimit-Reset` time (./rest.ts).
 */
import { ParamError, VenueError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import type {
  BrokerAdapter, VenueAccount, VenueCapabilities, VenueEvent, VenueFill, VenueOrder, VenuePosition,
} from '../../live/broker-adapter.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import { ConnectionMachine, type BackoffOptions } from '../connection.js';
import { redactKeys, resolveAlpacaConfig, type AlpacaConfig, type AlpacaConnectionOptions } from './config.js';
import {
  engineClientId, executionFillId, isFillActivity, isOrderJson, orderBody, replacementClientId, toVenueAccount, toVenueFill, toVenueOrder, toVenuePosition,
  type AlpacaFillActivity, type AlpacaOrderJson, type AlpacaOrderRequest,
} from './mapping.js';
import { AlpacaApiError, AlpacaRest } from './rest.js';
import { ReconnectingStream } from './stream.js';
import { shownAnswer } from '../shown.js';

/** Options of {@link alpaca}. */
export interface AlpacaBrokerOptions extends AlpacaConnectionOptions {
  /** Retries of a rate-limited call (default 5). */
  maxRetries?: number;
  /** Backoff of retries and reconnects. */
  backoff?: BackoffOptions;
  /** WebSocket ping interval, ms (default 15,000). */
  heartbeatMs?: number;
  /** Where connection changes are published (component `broker:alpaca`). */
  bus?: EventBus;
  /** pino logger, or false for none (default: the live sessions' logger). */
  logger?: Logger | false;
}

/** What the adapter counted. */
export interface AlpacaBrokerStats {
  requests: number;
  rateLimited: number;
  malformed: number;
  reconnects: number;
  /** Fills found by reconciliation after a reconnect (missed by the stream). */
  reconciledFills: number;
}

const ALIVE = new Set(['submitted', 'accepted', 'partial']);

/**
 * An Alpaca broker adapter: `alpaca({ keyId, secretKey, paper: true })`. Keys may come from
 * `APCA_API_KEY_ID` / `APCA_API_SECRET_KEY` instead; `paper: false` trades the live account.
 */
export function alpaca(options: AlpacaBrokerOptions = {}): AlpacaBroker {
  return new AlpacaBroker(options);
}

export class AlpacaBroker implements BrokerAdapter {
  readonly name: string;
  readonly stats: AlpacaBrokerStats = { requests: 0, rateLimited: 0, malformed: 0, reconnects: 0, reconciledFills: 0 };
  /** The resolved endpoints (keys included: do not log this object). */
  readonly config: AlpacaConfig;
  private readonly rest: AlpacaRest;
  private readonly conn: ConnectionMachine;
  private readonly log: Logger | undefined;
  private readonly handlers = new Set<(e: VenueEvent) => void>();
  /** By the engine's client id: the last state reported. */
  private readonly known = new Map<string, VenueOrder>();
  /** The engine's client id → Alpaca's id of the order now working for it (a replacement changes it). */
  private readonly current = new Map<string, string>();
  private readonly replacements = new Map<string, number>();
  /** Alpaca order id → the engine's client id. */
  private readonly byVenueId = new Map<string, string>();
  private readonly seenFills = new Set<string>();
  /** Time of the newest fill or order event seen (venue time): reconciliation asks for fills from there. */
  private lastEventTime = 0;
  private stream: ReconnectingStream | undefined;

  constructor(private readonly options: AlpacaBrokerOptions = {}) {
    this.config = resolveAlpacaConfig(options);
    this.name = this.config.paper ? 'alpaca:paper' : 'alpaca:live';
    this.log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component: this.name });
    this.rest = new AlpacaRest(this.config, this.stats, { ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }), ...(options.backoff ? { backoff: options.backoff } : {}), ...(this.log ? { logger: this.log } : {}) });
    this.conn = new ConnectionMachine(`broker:${this.name}`, options.bus);
    this.conn.onChange((state, detail) => {
      if (state === 'connected' || state === 'reconnecting') this.emit({ type: 'connection', state, ...(detail ? { detail } : {}) });
      if (state === 'stopped') this.emit({ type: 'connection', state: 'disconnected' });
    });
  }

  /** The trade-updates stream's state: idle, connecting, connected, reconnecting or stopped. */
  get connectionState() {
    return this.conn.state;
  }

  capabilities(): VenueCapabilities {
    // brackets / OCO / OTO are Alpaca order classes, sent with `alpaca: { orderClass, takeProfit, stopLoss }` on a request
    return { orderTypes: ['Market', 'Limit', 'Stop', 'StopLimit', 'StopTrail'], timeInForce: ['DAY', 'GTC', 'IOC', 'FOK'], modify: true, brackets: true, oco: true };
  }

  async connect(): Promise<void> {
    if (this.stream) return;
    // the account first: wrong keys or a wrong URL fail here with Alpaca's own answer
    await this.account();
    this.lastEventTime = Date.now();
    const stream = new ReconnectingStream({
      label: 'trade_updates', url: this.config.streamUrl, conn: this.conn, stats: this.stats,
      ...(this.options.heartbeatMs === undefined ? {} : { heartbeatMs: this.options.heartbeatMs }),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}), ...(this.log ? { logger: this.log } : {}),
      protocol: {
        onOpen: (send) => send({ action: 'auth', key: this.config.keyId, secret: this.config.secretKey }),
        onMessage: (msg, send, ready) => this.onStreamMessage(msg, send, ready),
      },
      onReady: (reconnected) => (reconnected ? this.reconcile() : undefined),
      // the stream is stopped: the connection event tells the engine that no venue events will come
      onFatal: (err) => this.log?.error({ err: err.message }, 'trade_updates stream refused; the adapter no longer receives events'),
    });
    this.stream = stream;
    try {
      await stream.start();
    } catch (err) {
      this.stream = undefined;
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    await s?.stop();
  }

  events(handler: (event: VenueEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async account(): Promise<VenueAccount> {
    const a = await this.rest.trading<{ cash: string; equity: string; initial_margin?: string; currency?: string }>('GET', '/v2/account');
    const out = a && typeof a === 'object' ? toVenueAccount(a) : undefined;
    if (!out || !Number.isFinite(out.cash) || !Number.isFinite(out.equity)) throw this.malformed('GET /v2/account', a);
    return out;
  }

  async positions(): Promise<VenuePosition[]> {
    const list = await this.rest.trading<unknown>('GET', '/v2/positions');
    if (!Array.isArray(list)) throw this.malformed('GET /v2/positions', list);
    return list.map((p) => toVenuePosition(p as Parameters<typeof toVenuePosition>[0])).filter((p) => {
      if (Number.isFinite(p.size)) return true;
      this.malformed('position', p);
      return false;
    });
  }

  async openOrders(): Promise<VenueOrder[]> {
    const list = await this.rest.trading<unknown>('GET', '/v2/orders', { query: { status: 'open', limit: 500, direction: 'asc' } });
    if (!Array.isArray(list)) throw this.malformed('GET /v2/orders', list);
    const out: VenueOrder[] = [];
    const add = (o: unknown) => {
      if (!isOrderJson(o)) return void this.malformed('order', o);
      // without `nested`, Alpaca lists the working legs of an order class as orders of their own
      out.push(this.remember(o));
    };
    for (const o of list) add(o);
    return out;
  }

  async order(clientOrderId: string): Promise<VenueOrder | undefined> {
    const local = this.known.get(clientOrderId);
    if (local && local.status === 'rejected' && !local.venueOrderId) return local;
    const o = await this.fetchCurrent(clientOrderId);
    return o ? this.remember(o) : undefined;
  }

  async fillsSince(time: number): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    let token: string | undefined;
    // pages of 100 (Alpaca's maximum), oldest first; `after` is exclusive, hence the 1 ms
    for (let page = 0; page < 1000; page++) {
      const list = await this.rest.trading<unknown>('GET', '/v2/account/activities/FILL', {
        query: { after: new Date(time - 1).toISOString(), direction: 'asc', page_size: 100, page_token: token },
      });
      if (!Array.isArray(list)) throw this.malformed('GET /v2/account/activities/FILL', list);
      for (const a of list) {
        if (!isFillActivity(a)) {
          this.malformed('FILL activity', a);
          continue;
        }
        const f = toVenueFill(a, await this.clientIdOf(a));
        if (f.time >= time) out.push(f);
      }
      if (list.length < 100) break;
      token = (list[list.length - 1] as AlpacaFillActivity).id;
    }
    return out;
  }

  async submit(request: AlpacaOrderRequest): Promise<VenueOrder> {
    const id = request.clientOrderId;
    const local = this.known.get(id);
    if (local) return local;
    const built = orderBody(request);
    if ('refused' in built) return this.refuse(request, 'Rejected', built.refused);
    let placed: unknown;
    try {
      placed = await this.rest.trading('POST', '/v2/orders', { body: built.body });
    } catch (err) {
      if (err instanceof AlpacaApiError && err.status === 403) return this.refuse(request, 'Margin', err.venueMessage);
      if (err instanceof AlpacaApiError && err.status === 422) {
        // a duplicate client id: the order is there already (a resend after a lost acknowledgement or a restart)
        if (/client_order_id/i.test(err.venueMessage)) {
          const existing = await this.order(id);
          if (existing) return existing;
        }
        return this.refuse(request, 'Rejected', err.venueMessage);
      }
      if (err instanceof VenueError && err.code === 'VENUE_DISCONNECTED') {
        // the request may or may not have reached Alpaca: ask by client id before calling it lost
        const existing = await this.order(id).catch(() => undefined);
        if (existing) return existing;
        throw new VenueError('VENUE_TIMEOUT', `${this.name}: no acknowledgement for ${id}: ${err.message}`);
      }
      throw err;
    }
    if (!isOrderJson(placed)) throw this.malformed('POST /v2/orders', placed);
    return this.publish(placed);
  }

  async cancel(clientOrderId: string): Promise<VenueOrder> {
    const o = await this.fetchCurrent(clientOrderId);
    if (!o) throw new VenueError('VENUE_UNKNOWN_ORDER', `${this.name}: no order with client id ${clientOrderId}`);
    const v = this.remember(o);
    if (!ALIVE.has(v.status)) return v;
    try {
      await this.rest.trading('DELETE', `/v2/orders/${encodeURIComponent(o.id)}`);
    } catch (err) {
      // 422: not cancelable any more (filled meanwhile): report what it is now
      if (!(err instanceof AlpacaApiError && (err.status === 422 || err.status === 404))) throw err;
    }
    const now = await this.rest.trading<unknown>('GET', `/v2/orders/${encodeURIComponent(o.id)}`);
    if (!isOrderJson(now)) throw this.malformed('GET /v2/orders/{id}', now);
    return this.publish(now);
  }

  async modify(clientOrderId: string, changes: { size?: number; price?: number; stopPrice?: number }): Promise<VenueOrder> {
    const o = await this.fetchCurrent(clientOrderId);
    if (!o) throw new VenueError('VENUE_UNKNOWN_ORDER', `${this.name}: no order with client id ${clientOrderId}`);
    if (changes.size !== undefined && !(changes.size > 0)) throw new ParamError(`${this.name}: modify size must be > 0, got ${changes.size}`);
    const n = (this.replacements.get(clientOrderId) ?? replacementCount(o.client_order_id)) + 1;
    const body: Record<string, unknown> = { client_order_id: replacementClientId(clientOrderId, n) };
    if (changes.size !== undefined) body.qty = String(changes.size);
    if (changes.price !== undefined) body.limit_price = String(changes.price);
    if (changes.stopPrice !== undefined) body.stop_price = String(changes.stopPrice);
    let next: unknown;
    try {
      next = await this.rest.trading('PATCH', `/v2/orders/${encodeURIComponent(o.id)}`, { body });
    } catch (err) {
      if (err instanceof AlpacaApiError && err.status === 422) throw new VenueError('VENUE_REJECTED', `${this.name}: Alpaca refused to replace ${clientOrderId}: ${err.venueMessage}`);
      throw err;
    }
    if (!isOrderJson(next)) throw this.malformed('PATCH /v2/orders/{id}', next);
    this.replacements.set(clientOrderId, n);
    return this.publish(next);
  }

  // ---- the trade_updates stream ----

  private onStreamMessage(msg: unknown, send: (m: unknown) => void, ready: boolean): 'ready' | `fatal:${string}` | void {
    const m = msg as { stream?: unknown; data?: Record<string, unknown> } | null;
    if (!m || typeof m !== 'object' || typeof m.stream !== 'string' || !m.data || typeof m.data !== 'object') throw new Error('not a stream message');
    if (m.stream === 'authorization') {
      if (m.data.status !== 'authorized') return `fatal:keys not authorized (${String(m.data.status)})`;
      send({ action: 'listen', data: { streams: ['trade_updates'] } });
      return;
    }
    if (m.stream === 'listening') {
      const streams = m.data.streams;
      if (Array.isArray(streams) && streams.includes('trade_updates')) return 'ready';
      return 'fatal:the stream did not listen to trade_updates';
    }
    if (m.stream === 'trade_updates' && ready) return void this.onTradeUpdate(m.data);
    if (m.stream === 'error') this.log?.warn({ error: m.data }, 'the trade_updates stream reported an error');
  }

  private onTradeUpdate(d: Record<string, unknown>): void {
    const event = d.event;
    const order = d.order;
    if (typeof event !== 'string' || !isOrderJson(order)) throw new Error(`trade update without an event or an order: ${JSON.stringify(d).slice(0, 120)}`);
    const at = Date.parse(String(d.timestamp ?? ''));
    if (Number.isFinite(at)) this.lastEventTime = Math.max(this.lastEventTime, at);
    if (event === 'replaced') {
      // the engine's order continues as the replacement (its `new` event follows)
      if (typeof order.replaced_by === 'string') this.current.set(engineClientId(order.client_order_id), order.replaced_by);
      return;
    }
    if (event === 'order_cancel_rejected' || event === 'order_replace_rejected') {
      this.log?.warn({ clientOrderId: order.client_order_id, event }, 'Alpaca refused a cancel or replace');
      return;
    }
    if ((event === 'fill' || event === 'partial_fill')) {
      const price = Number(d.price);
      const qty = Number(d.qty);
      if (!Number.isFinite(price) || !Number.isFinite(qty)) throw new Error(`fill without price or qty: ${JSON.stringify(d).slice(0, 120)}`);
      const execution = typeof d.execution_id === 'string' ? d.execution_id : `${order.id}:${order.filled_qty}`;
      this.deliverFill({
        fillId: executionFillId(execution), clientOrderId: engineClientId(order.client_order_id), venueOrderId: order.id, symbol: order.symbol,
        side: order.side === 'sell' ? 'sell' : 'buy', size: qty, price, commission: 0, time: Number.isFinite(at) ? at : Date.now(),
      });
    }
    this.publish(order);
  }

  /** After a reconnect: the fills made while the stream was down, then every order the engine has open. */
  private async reconcile(): Promise<void> {
    const since = this.lastEventTime;
    const fills = await this.fillsSince(since);
    for (const f of fills) if (this.deliverFill(f)) this.stats.reconciledFills++;
    for (const v of [...this.known.values()]) {
      if (!ALIVE.has(v.status) || !v.venueOrderId) continue;
      const o = await this.fetchCurrent(v.clientOrderId);
      if (o) this.publish(o);
    }
    this.log?.info({ fills: fills.length, reconciled: this.stats.reconciledFills }, 'reconciled after reconnect');
  }

  private deliverFill(f: VenueFill): boolean {
    if (this.seenFills.has(f.fillId)) return false;
    this.seenFills.add(f.fillId);
    this.lastEventTime = Math.max(this.lastEventTime, f.time);
    this.emit({ type: 'fill', fill: f });
    return true;
  }

  // ---- orders ----

  /** Alpaca's order now working for the engine's `clientOrderId` (following replacements), or undefined. */
  private async fetchCurrent(clientOrderId: string): Promise<AlpacaOrderJson | undefined> {
    let o: unknown;
    const id = this.current.get(clientOrderId);
    try {
      o = id
        ? await this.rest.trading('GET', `/v2/orders/${encodeURIComponent(id)}`)
        : await this.rest.trading('GET', '/v2/orders:by_client_order_id', { query: { client_order_id: clientOrderId } });
    } catch (err) {
      if (err instanceof AlpacaApiError && err.status === 404) return undefined;
      throw err;
    }
    for (let hops = 0; hops < 100; hops++) {
      if (!isOrderJson(o)) throw this.malformed('GET /v2/orders', o);
      if (o.status !== 'replaced' || typeof o.replaced_by !== 'string') break;
      o = await this.rest.trading('GET', `/v2/orders/${encodeURIComponent(o.replaced_by)}`);
    }
    const out = o as AlpacaOrderJson;
    this.current.set(clientOrderId, out.id);
    return out;
  }

  private async clientIdOf(a: AlpacaFillActivity): Promise<string> {
    const known = this.byVenueId.get(a.order_id);
    if (known !== undefined) return known;
    const o = await this.rest.trading<unknown>('GET', `/v2/orders/${encodeURIComponent(a.order_id)}`);
    if (!isOrderJson(o)) throw this.malformed('GET /v2/orders/{id}', o);
    this.byVenueId.set(o.id, engineClientId(o.client_order_id));
    return engineClientId(o.client_order_id);
  }

  private remember(o: AlpacaOrderJson): VenueOrder {
    const v = toVenueOrder(o);
    this.known.set(v.clientOrderId, v);
    this.byVenueId.set(o.id, v.clientOrderId);
    if (o.status !== 'replaced') this.current.set(v.clientOrderId, o.id);
    return v;
  }

  /** Remembers `o` and publishes it when its status, size, prices or filled size changed. */
  private publish(o: AlpacaOrderJson): VenueOrder {
    const before = this.known.get(engineClientId(o.client_order_id));
    const v = this.remember(o);
    if (!before || before.status !== v.status || before.filled !== v.filled || before.price !== v.price || before.stopPrice !== v.stopPrice || before.size !== v.size || before.venueOrderId !== v.venueOrderId) {
      this.emit({ type: 'order', order: v });
    }
    return v;
  }

  private refuse(request: AlpacaOrderRequest, rejection: 'Margin' | 'Rejected', reason: string): VenueOrder {
    const v: VenueOrder = {
      clientOrderId: request.clientOrderId, venueOrderId: '', symbol: request.symbol, side: request.side, size: request.size, type: request.type,
      ...(request.price === undefined ? {} : { price: request.price }), ...(request.stopPrice === undefined ? {} : { stopPrice: request.stopPrice }),
      status: 'rejected', filled: 0, avgPrice: NaN, reason, rejection, updatedAt: Date.now(),
    };
    this.log?.warn({ clientOrderId: request.clientOrderId, rejection, reason }, 'order refused');
    this.known.set(v.clientOrderId, v);
    this.emit({ type: 'order', order: v });
    return v;
  }

  private malformed(what: string, value: unknown): VenueError {
    this.stats.malformed++;
    const shown = redactKeys(shownAnswer(value), this.config);
    this.log?.warn({ call: what, value: shown }, 'malformed answer from alpaca');
    return new VenueError('VENUE_BAD_RESPONSE', `${this.name}: ${what} answered with an unexpected shape: ${shown}`);
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
}

const replacementCount = (alpacaClientId: string) => Number(/~r(\d+)$/.exec(alpacaClientId)?.[1] ?? 0);
