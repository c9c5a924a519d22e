/**
 * A `BrokerAdapter` for a securities firm's A-share trading gateway speaking the JSON-over-HTTP
 * contract of ./gateway-protocol.ts (docs/venues.md: "A-share securities gateway"). It is the
 * template to copy when a firm's gateway names things differently: the contract is small and the
 * mapping lives in ./gateway-mapping.ts.
 *
 * - Orders: Limit (`price_type: limit`) and Market, sent as `best5_cancel` (fill against up to
 *   five levels at once, cancel the rest: the market order both exchanges accept in continuous
 *   trading). DAY only (A-share orders live for the day); no modify (the engine cancels and
 *   replaces); no native brackets or OCO.
 * - The engine's client order id is the entrust `remark`: the gateway answers a second entrust
 *   with the same remark with the first order, so a resend after a dropped connection is one order.
 * - Refusals come back as a rejected order carrying the gateway's text: no funds (2001) →
 *   `rejection: 'Margin'`; lot, price-limit, T+1, session and code refusals → `'Rejected'`.
 * - Events: the gateway is polled every `pollMs` for today's orders and for deals since the last
 *   one seen; a changed order is an `order` event, a new deal a `fill` event (keyed by deal no, so
 *   none is delivered twice). When polls fail the connection goes `reconnecting` (backoff with
 *   jitter, ../connection.ts); the first good poll reconciles: every deal made while away arrives.
 */
import { ParamError, VenueError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import type {
  BrokerAdapter, VenueAccount, VenueCapabilities, VenueEvent, VenueFill, VenueOrder, VenueOrderRequest, VenuePosition,
} from '../../live/broker-adapter.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import { backoffDelay, ConnectionMachine, type BackoffOptions } from '../connection.js';
import { GatewayApiError, GatewayClient, isTransient, type GatewayClientStats } from './gateway-client.js';
import {
  isDealJson, isOrderJson, ORDER_REFUSALS, rejectionOf, toStockCode, toVenueFill, toVenueOrder, toVenuePosition,
} from './gateway-mapping.js';
import { GatewayCode, type GatewayDeal, type GatewayEntrustRequest, type GatewayFunds, type GatewayOrder, type GatewayPosition } from './gateway-protocol.js';

/** Options of {@link aShareGateway}. */
export interface AShareGatewayOptions {
  /** The gateway's base URL, e.g. `http://10.0.0.5:8888`. */
  url: string;
  /** The fund account; default `ASHARE_GATEWAY_ACCOUNT` from the environment. */
  account?: string;
  /** The trading password; default `ASHARE_GATEWAY_PASSWORD` from the environment. */
  password?: string;
  /** How often orders and deals are polled, ms (default 1000). */
  pollMs?: number;
  /** Retries of one call on a busy gateway or a dropped connection (default 5). */
  maxRetries?: number;
  /** Backoff of retries and of polling after a failure. */
  backoff?: BackoffOptions;
  /** Where connection changes are published (component `broker:ashare-gateway`). */
  bus?: EventBus;
  /** pino logger, or false for none (default: the live sessions' logger). */
  logger?: Logger | false;
}

/** What the adapter counted. */
export interface AShareGatewayStats extends GatewayClientStats {
  polls: number;
  reconnects: number;
  /** Deals found by the first poll after a failure (made while the adapter could not see them). */
  reconciledFills: number;
}

/**
 * An A-share gateway broker adapter: `aShareGateway({ url })` with the account and password in
 * `ASHARE_GATEWAY_ACCOUNT` / `ASHARE_GATEWAY_PASSWORD` (or passed in). See the module comment.
 */
export function aShareGateway(options: AShareGatewayOptions): AShareGatewayBroker {
  return new AShareGatewayBroker(options);
}

export class AShareGatewayBroker implements BrokerAdapter {
  readonly name = 'ashare-gateway';
  readonly stats: AShareGatewayStats = { requests: 0, busy: 0, malformed: 0, logins: 0, polls: 0, reconnects: 0, reconciledFills: 0 };
  private readonly client: GatewayClient;
  private readonly conn: ConnectionMachine;
  private readonly log: Logger | undefined;
  private readonly handlers = new Set<(e: VenueEvent) => void>();
  /** By the engine's client id: the last state reported. */
  private readonly known = new Map<string, VenueOrder>();
  /** Gateway code (600000.SH) → the symbol the engine wrote (600000.SH or sh600000). */
  private readonly symbols = new Map<string, string>();
  private readonly seenDeals = new Set<string>();
  /** Time of the newest deal seen: each poll asks for deals from there. */
  private dealCursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private running = false;

  constructor(private readonly options: AShareGatewayOptions) {
    if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new ParamError(`ashare gateway: url must be the gateway's http(s) address, got '${String(options?.url)}'`, 'ASHARE_GATEWAY_URL');
    const account = options.account ?? process.env.ASHARE_GATEWAY_ACCOUNT;
    const password = options.password ?? process.env.ASHARE_GATEWAY_PASSWORD;
    if (!account || !password) throw new ParamError('ashare gateway: no credentials: pass account and password, or set ASHARE_GATEWAY_ACCOUNT and ASHARE_GATEWAY_PASSWORD', 'ASHARE_GATEWAY_KEYS');
    const pollMs = options.pollMs ?? 1000;
    if (!(Number.isFinite(pollMs) && pollMs > 0)) throw new ParamError(`ashare gateway: pollMs must be a number > 0, got ${String(options.pollMs)}`);
    this.log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component: this.name });
    this.client = new GatewayClient({
      url: options.url.replace(/\/+$/, ''), account, password,
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }), ...(options.backoff ? { backoff: options.backoff } : {}), ...(this.log ? { logger: this.log } : {}),
    }, this.stats);
    this.conn = new ConnectionMachine(`broker:${this.name}`, options.bus);
    this.conn.onChange((state, detail) => {
      if (state === 'connected' || state === 'reconnecting') this.emit({ type: 'connection', state, ...(detail ? { detail } : {}) });
      if (state === 'stopped') this.emit({ type: 'connection', state: 'disconnected' });
    });
  }

  /** The polling connection's state: idle, connecting, connected, reconnecting or stopped. */
  get connectionState() {
    return this.conn.state;
  }

  capabilities(): VenueCapabilities {
    return { orderTypes: ['Market', 'Limit'], timeInForce: ['DAY'], modify: false, brackets: false, oco: false };
  }

  async connect(): Promise<void> {
    if (this.running) return;
    this.conn.to('connecting');
    try {
      // log in and read the funds first: a wrong account or URL fails here with the gateway's answer
      await this.client.login();
      await this.account();
    } catch (err) {
      this.conn.to('idle');
      throw err;
    }
    // today's deals so far are history: the cursor starts at the newest, by the gateway's clock
    // (not ours, so a clock skew between the two cannot hide a deal)
    for (const d of await this.deals(0)) {
      this.seenDeals.add(d.deal_no);
      this.dealCursor = Math.max(this.dealCursor, d.deal_time);
    }
    for (const o of await this.todaysOrders()) this.known.set(o.remark, toVenueOrder(o, this.symbolOf(o.stock_code)));
    this.conn.to('connected');
    this.running = true;
    this.schedule(this.options.pollMs ?? 1000);
  }

  async disconnect(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.polling?.catch(() => undefined);
    this.conn.to('stopped');
  }

  events(handler: (event: VenueEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async account(): Promise<VenueAccount> {
    const f = await this.client.get<GatewayFunds>('/api/funds');
    if (!f || !Number.isFinite(f.balance) || !Number.isFinite(f.total_asset)) throw new VenueError('VENUE_BAD_RESPONSE', `ashare gateway: GET /api/funds answered ${JSON.stringify(f)?.slice(0, 200)}`);
    return { cash: f.balance, equity: f.total_asset, margin: 0, currency: f.currency ?? 'CNY' };
  }

  async positions(): Promise<VenuePosition[]> {
    const list = await this.client.get<GatewayPosition[]>('/api/positions');
    return this.array(list, 'GET /api/positions').map((p: GatewayPosition) => toVenuePosition(p, this.symbolOf(p.stock_code)));
  }

  async openOrders(): Promise<VenueOrder[]> {
    return (await this.todaysOrders()).filter((o) => o.status === 'reported' || o.status === 'part_dealt').map((o) => toVenueOrder(o, this.symbolOf(o.stock_code)));
  }

  async order(clientOrderId: string): Promise<VenueOrder | undefined> {
    const [o] = await this.todaysOrders(clientOrderId);
    // a refused entrust has no record at the gateway: the adapter remembers its rejection
    return o ? toVenueOrder(o, this.symbolOf(o.stock_code)) : this.known.get(clientOrderId);
  }

  async fillsSince(time: number): Promise<VenueFill[]> {
    return (await this.deals(time)).map((d) => toVenueFill(d, this.symbolOf(d.stock_code)));
  }

  async submit(request: VenueOrderRequest): Promise<VenueOrder> {
    const code = toStockCode(request.symbol);
    this.symbols.set(code, request.symbol);
    if (request.type !== 'Market' && request.type !== 'Limit') throw new VenueError('VENUE_UNSUPPORTED', `ashare gateway: ${request.type} orders are not sent to the exchange; use Market or Limit (the engine emulates stops)`);
    if (request.tif !== undefined && request.tif !== 'DAY') throw new VenueError('VENUE_UNSUPPORTED', `ashare gateway: time in force ${request.tif} is not offered; A-share orders are DAY orders`);
    if (!(Number.isInteger(request.size) && request.size > 0)) throw new ParamError(`ashare gateway: size must be a whole number of shares > 0, got ${request.size}`);
    if (request.type === 'Limit' && !(Number.isFinite(request.price) && request.price! > 0)) throw new ParamError(`ashare gateway: a Limit order needs a price > 0, got ${String(request.price)}`);
    const body: GatewayEntrustRequest = {
      stock_code: code, bs: request.side === 'buy' ? 'B' : 'S', price_type: request.type === 'Limit' ? 'limit' : 'best5_cancel',
      ...(request.type === 'Limit' ? { price: Math.round(request.price! * 100) / 100 } : {}), amount: request.size, remark: request.clientOrderId,
    };
    try {
      await this.client.post<{ entrust_no: string }>('/api/entrust', body);
    } catch (err) {
      if (!(err instanceof GatewayApiError) || !ORDER_REFUSALS.has(err.gatewayCode)) throw err;
      const rejected: VenueOrder = {
        clientOrderId: request.clientOrderId, venueOrderId: '', symbol: request.symbol, side: request.side, size: request.size, type: request.type,
        ...(request.type === 'Limit' ? { price: request.price! } : {}), status: 'rejected', filled: 0, avgPrice: NaN,
        rejection: rejectionOf(err.gatewayCode), reason: err.gatewayMessage, updatedAt: Date.now(),
      };
      this.publish(rejected);
      return rejected;
    }
    return this.refresh(request.clientOrderId, 'POST /api/entrust');
  }

  async cancel(clientOrderId: string): Promise<VenueOrder> {
    try {
      await this.client.post('/api/cancel', { remark: clientOrderId });
    } catch (err) {
      // already final: answer with its state, as the engine asked for an order that cannot work any more
      if (!(err instanceof GatewayApiError) || err.gatewayCode !== GatewayCode.NOT_CANCELABLE) throw err;
    }
    return this.refresh(clientOrderId, 'POST /api/cancel');
  }

  modify(): Promise<VenueOrder> {
    return Promise.reject(new VenueError('VENUE_UNSUPPORTED', 'ashare gateway: A-share orders cannot be modified; cancel and send a new one'));
  }

  /** Reads one order after a change, publishes it if it changed, and returns it. */
  private async refresh(clientOrderId: string, what: string): Promise<VenueOrder> {
    const [o] = await this.todaysOrders(clientOrderId);
    if (!o) throw new VenueError('VENUE_BAD_RESPONSE', `ashare gateway: ${what} succeeded but GET /api/orders has no order with remark ${clientOrderId}`);
    const order = toVenueOrder(o, this.symbolOf(o.stock_code));
    this.publish(order);
    return order;
  }

  private async todaysOrders(remark?: string): Promise<GatewayOrder[]> {
    const list = await this.client.get<GatewayOrder[]>('/api/orders', remark === undefined ? {} : { remark });
    return this.array(list, 'GET /api/orders').filter(isOrderJson);
  }

  private async deals(since: number): Promise<GatewayDeal[]> {
    const list = await this.client.get<GatewayDeal[]>('/api/deals', { since });
    return this.array(list, 'GET /api/deals').filter(isDealJson).sort((a: GatewayDeal, b: GatewayDeal) => a.deal_time - b.deal_time);
  }

  private array<T>(list: T[] | undefined, what: string): T[] {
    if (Array.isArray(list)) return list;
    this.stats.malformed++;
    throw new VenueError('VENUE_BAD_RESPONSE', `ashare gateway: ${what} answered ${JSON.stringify(list)?.slice(0, 200)} where a list was expected`);
  }

  private symbolOf(code: string): string {
    return this.symbols.get(code) ?? code;
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().then(
        () => this.schedule(this.options.pollMs ?? 1000),
        (err: unknown) => {
          if (!this.running) return;
          if (isTransient(err)) {
            this.conn.to('reconnecting', String((err as Error).message).slice(0, 200));
            this.schedule(backoffDelay(this.conn.attempts - 1, this.options.backoff));
          } else {
            this.log?.warn({ err: (err as Error)?.message }, 'gateway poll failed; polling goes on');
            this.schedule(this.options.pollMs ?? 1000);
          }
        },
      );
    }, delay);
  }

  /** One poll: deals since the cursor (fills), then today's orders (state changes). */
  private async poll(): Promise<void> {
    this.stats.polls++;
    const wasAway = this.conn.state === 'reconnecting';
    const deals = await this.deals(this.dealCursor);
    const orders = await this.todaysOrders();
    if (!this.running) return;
    if (wasAway) this.stats.reconnects++;
    this.conn.to('connected');
    for (const d of deals) {
      if (this.seenDeals.has(d.deal_no)) continue;
      this.seenDeals.add(d.deal_no);
      this.dealCursor = Math.max(this.dealCursor, d.deal_time);
      if (wasAway) this.stats.reconciledFills++;
      this.emit({ type: 'fill', fill: toVenueFill(d, this.symbolOf(d.stock_code)) });
    }
    for (const o of orders) this.publish(toVenueOrder(o, this.symbolOf(o.stock_code)));
  }

  /** Publishes an order's state when it differs from the last one published. */
  private publish(order: VenueOrder): void {
    const last = this.known.get(order.clientOrderId);
    if (last && last.status === order.status && last.filled === order.filled) return;
    this.known.set(order.clientOrderId, order);
    this.emit({ type: 'order', order });
  }

  private emit(e: VenueEvent): void {
    for (const h of this.handlers) {
      try {
        h(e);
      } catch (err) {
        this.log?.error({ err: (err as Error)?.message }, 'a venue event handler threw');
      }
    }
  }
}
