/**
 * A local server on loopback that speaks Alpaca's protocol for the calls a trading adapter makes,
 * written from Alpaca's public API documentation:
 *
 * - Trading API (REST, JSON, numbers as strings, keys in the `APCA-API-KEY-ID` and
 *   `APCA-API-SECRET-KEY` headers, errors as `{"code":40310000,"message":"..."}`):
 *   `GET /v2/account`, `GET /v2/positions`, `POST /v2/orders` (with `client_order_id` and the
 *   `bracket` / `oco` / `oto` order classes), `GET /v2/orders?status=open|closed|all`,
 *   `GET /v2/orders/{id}`, `GET /v2/orders:by_client_order_id?client_order_id=`,
 *   `PATCH /v2/orders/{id}` (replace: a new order, the old one `replaced`),
 *   `DELETE /v2/orders/{id}`, `GET /v2/account/activities/FILL` (`after`, `direction`,
 *   `page_size`, `page_token`).
 * - Market Data API: `GET /v2/stocks/{symbol}/bars` (`timeframe`, `start`, `end`, `limit`,
 *   `page_token`; answers `{bars, symbol, next_page_token}`).
 * - The trade-updates stream at `/stream` (`{"action":"auth",...}` → `authorization`,
 *   `{"action":"listen","data":{"streams":["trade_updates"]}}` → `listening`, then events
 *   `new`, `fill`, `partial_fill`, `canceled`, `expired`, `replaced`, sent as binary frames as
 *   the paper endpoint does).
 * - The market-data stream at `/v2/iex` (and `/v2/sip`): `[{"T":"success","msg":"connected"}]`,
 *   auth, `subscribe` with `trades` / `quotes` / `bars`, and arrays of `{"T":"t"|"q"|"b",...}`.
 *
 * Behind it, a simulated market (./alpaca-market.ts) the test drives: `trade()` / `setPrice()`
 * print a trade (resting orders fill, stream subscribers see it), `quote()`, `bar()`. Faults on
 * demand: HTTP 429 with Alpaca's `X-RateLimit-*` headers, a malformed body, a dropped stream
 * (orders keep filling while it is down), streams refused for a while, and raw text pushed down
 * a stream.
 *
 * ```ts
 * const server = await startAlpacaServer({ keyId: 'k', secretKey: 's' });
 * const broker = alpaca({ keyId: 'k', secretKey: 's', baseUrl: server.url, dataUrl: server.url, streamUrl: server.tradeStreamUrl, dataStreamUrl: server.dataStreamUrl });
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AlpacaMarket, AlpacaRefusal, type MarketEvent, type SimOrder, type SubmitParams } from './alpaca-market.js';

export { AlpacaMarket } from './alpaca-market.js';
export type { SimOrder, SimFill } from './alpaca-market.js';

export interface AlpacaServerOptions {
  keyId: string;
  secretKey: string;
  /** Starting cash (default 100,000). */
  cash?: number;
  /** Tradable symbols (default AAPL, SPY, MSFT). */
  symbols?: string[];
  /** The server's clock (default Date.now). */
  now?: () => number;
  /** Orders that can execute at the last price do so when placed (default true); false: at the next trade. */
  fillOnSubmit?: boolean;
  /** Most bars one page of /v2/stocks/{symbol}/bars holds, whatever `limit` asks (default 10,000, Alpaca's maximum). */
  maxBarsPerPage?: number;
}

/** A bar of the market's history (`t` = the bar's start, ms). */
export interface AlpacaBar { t: number; o: number; h: number; l: number; c: number; v: number }

const str = (n: number | undefined) => (n === undefined ? null : String(+n.toFixed(9)));
const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());

/** The server (see the module comment). */
export class AlpacaServer {
  readonly url: string;
  readonly tradeStreamUrl: string;
  readonly dataStreamUrl: string;
  readonly market: AlpacaMarket;
  /** Every REST request answered: method, path, status, and when (server clock). */
  readonly requests: { method: string; path: string; status: number; at: number }[] = [];
  /** Called before each REST request is answered (a test's market can move on a poll). */
  onRequest: ((method: string, path: string, params: URLSearchParams) => void) | undefined;
  private readonly bars = new Map<string, AlpacaBar[]>();
  private readonly faults: { kind: '429' | 'malformed'; path?: string; resetMs: number }[] = [];
  private readonly tradeClients = new Set<WebSocket>();
  private readonly dataClients = new Map<WebSocket, { authed: boolean; trades: Set<string>; quotes: Set<string>; bars: Set<string> }>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private streamsDown = false;
  /** Connections the streams accepted (a reconnect is one more). */
  readonly streamConnections = { trade: 0, data: 0 };
  private readonly now: () => number;

  private constructor(private readonly server: Server, private readonly options: AlpacaServerOptions) {
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    this.tradeStreamUrl = `ws://127.0.0.1:${port}/stream`;
    this.dataStreamUrl = `ws://127.0.0.1:${port}/v2/iex`;
    this.now = options.now ?? Date.now;
    this.market = new AlpacaMarket(options.cash ?? 100_000, options.symbols ?? ['AAPL', 'SPY', 'MSFT'], this.now);
    this.market.listener = (e) => this.publishTradeUpdate(e);
    this.market.fillOnSubmit = options.fillOnSubmit ?? true;
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Starts a server on an ephemeral loopback port. */
  static async start(options: AlpacaServerOptions): Promise<AlpacaServer> {
    let self: AlpacaServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new AlpacaServer(server, options);
    return self;
  }

  async close(): Promise<void> {
    for (const ws of [...this.tradeClients, ...this.dataClients.keys()]) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the market, driven by the test ----

  /** A trade at `price` (`size` caps how much of the resting orders it fills; default all): stream subscribers see it. */
  trade(symbol: string, price: number, size = Infinity): void {
    this.market.work(symbol, price, size);
    this.publishData(symbol, 'trades', { T: 't', S: symbol, i: this.requests.length, x: 'V', p: price, s: Number.isFinite(size) ? size : 100, t: new Date(this.now()).toISOString(), c: ['@'], z: 'C' });
  }

  /** Same as a trade at `price` that fills every resting order it reaches. */
  setPrice(symbol: string, price: number): void {
    this.trade(symbol, price);
  }

  quote(symbol: string, bid: number, ask: number, bidSize = 100, askSize = 100): void {
    this.publishData(symbol, 'quotes', { T: 'q', S: symbol, bx: 'V', bp: bid, bs: bidSize, ax: 'V', ap: ask, as: askSize, t: new Date(this.now()).toISOString(), c: ['R'], z: 'C' });
  }

  /** A completed minute (or other) bar: stored in the history and sent to `bars` subscribers. */
  bar(symbol: string, bar: AlpacaBar): void {
    const list = this.bars.get(symbol) ?? [];
    list.push(bar);
    this.bars.set(symbol, list);
    this.publishData(symbol, 'bars', { T: 'b', S: symbol, o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v, t: new Date(bar.t).toISOString(), n: 1, vw: bar.c });
  }

  /** Sets the history REST serves (no stream message). */
  setBars(symbol: string, bars: AlpacaBar[]): void {
    this.bars.set(symbol, [...bars]);
  }

  // ---- faults ----

  /** The next `count` REST requests (to `path` when given) answer 429 with a reset `resetMs` from now. */
  rateLimitNext(count = 1, options: { path?: string; resetMs?: number } = {}): void {
    for (let i = 0; i < count; i++) this.faults.push({ kind: '429', resetMs: options.resetMs ?? 1000, ...(options.path ? { path: options.path } : {}) });
  }

  /** The next request to `path` answers 200 with a truncated JSON body. */
  malformNext(path: string): void {
    this.faults.push({ kind: 'malformed', path, resetMs: 0 });
  }

  /** Drops every stream connection; with `refuseMs`, new ones are refused (HTTP 503) that long. */
  dropStreams(refuseMs = 0): void {
    if (refuseMs > 0) {
      this.streamsDown = true;
      setTimeout(() => (this.streamsDown = false), refuseMs).unref();
    }
    for (const ws of [...this.tradeClients, ...this.dataClients.keys()]) ws.terminate();
  }

  /** While down, stream connections are refused; orders keep filling. */
  setStreamsDown(down: boolean): void {
    this.streamsDown = down;
    if (down) this.dropStreams();
  }

  /**
   * The connected streams go silent without closing (a half-dead TCP connection): the server
   * stops reading them, so pings get no pong. New connections work.
   */
  silenceStreams(): void {
    // ws keeps the net.Socket as `_socket`; pausing it stops the reads (and so the automatic pongs)
    for (const ws of [...this.tradeClients, ...this.dataClients.keys()]) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  /** Sends `text` as is down every connected stream of that kind (a malformed message). */
  sendRaw(stream: 'trade' | 'data', text: string): void {
    for (const ws of stream === 'trade' ? this.tradeClients : this.dataClients.keys()) ws.send(text);
  }

  /** How many market-data connections are subscribed to `kind` of `symbol` (directly or by `*`). */
  subscribers(kind: 'trades' | 'quotes' | 'bars', symbol: string): number {
    return [...this.dataClients.values()].filter((s) => s.authed && (s[kind].has(symbol) || s[kind].has('*'))).length;
  }

  /** Whether a trade-updates listener is connected and listening. */
  get listening(): number {
    return [...this.tradeClients].filter((ws) => (ws as WebSocket & { listening?: boolean }).listening).length;
  }

  // ---- REST ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, payload: string | undefined, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path, status, at: this.now() });
      res.writeHead(status, { ...(payload === undefined ? {} : { 'Content-Type': 'application/json; charset=UTF-8' }), ...headers });
      res.end(payload);
    };
    const faultAt = this.faults.findIndex((f) => f.path === undefined || f.path === path);
    if (faultAt >= 0) {
      const fault = this.faults.splice(faultAt, 1)[0]!;
      if (fault.kind === '429') {
        return send(429, JSON.stringify({ code: 42910000, message: 'rate limit exceeded' }), {
          'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.ceil((this.now() + fault.resetMs) / 1000)),
        });
      }
      return send(200, '{"id":"61e69015-8549-4bfd-b9c3-01e75843f47d","client_order_id":');
    }
    if (req.headers['apca-api-key-id'] !== this.options.keyId || req.headers['apca-api-secret-key'] !== this.options.secretKey) {
      return send(401, JSON.stringify({ code: 40110000, message: 'request is not authorized' }));
    }
    try {
      let body: Record<string, unknown> = {};
      if (text) {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new AlpacaRefusal(400, 40010000, 'request body format is invalid');
        }
      }
      this.onRequest?.(method, path, url.searchParams);
      const out = this.route(method, path, url.searchParams, body);
      if (out === undefined) return send(204, undefined);
      send(200, JSON.stringify(out.json));
      out.after?.();
    } catch (err) {
      if (err instanceof AlpacaRefusal) send(err.http, JSON.stringify({ code: err.code, message: err.message }));
      else send(500, JSON.stringify({ code: 50010000, message: `internal server error: ${(err as Error).message}` }));
    }
  }

  private route(method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): { json: unknown; after?: () => void } | undefined {
    const m = this.market;
    const one = (o: SimOrder | undefined) => {
      if (!o) throw new AlpacaRefusal(404, 40410000, 'order not found');
      return o;
    };
    if (method === 'GET' && path === '/v2/account') return { json: this.accountJson() };
    if (method === 'GET' && path === '/v2/positions') return { json: [...m.positions].filter(([, p]) => p.qty !== 0).map(([s, p]) => this.positionJson(s, p)) };
    if (method === 'GET' && path === '/v2/orders') {
      const status = q.get('status') ?? 'open';
      const limit = Math.min(Number(q.get('limit') ?? 50), 500);
      const open = (o: SimOrder) => ['new', 'accepted', 'partially_filled', 'held'].includes(o.status);
      // nested=true rolls the legs up under their order (`legs`); else every order is listed on its own
      const nested = q.get('nested') === 'true';
      const list = [...m.orders.values()].filter((o) => (!nested || !o.parent) && (status === 'all' || (status === 'open') === open(o)));
      list.sort((a, b) => (q.get('direction') === 'asc' ? a.createdAt - b.createdAt : b.createdAt - a.createdAt));
      return { json: list.slice(0, limit).map((o) => this.orderJson(o, nested)) };
    }
    if (method === 'GET' && path === '/v2/orders:by_client_order_id') return { json: this.orderJson(one(m.byClientId(q.get('client_order_id') ?? ''))) };
    if (method === 'POST' && path === '/v2/orders') {
      const o = m.submit(this.submitParams(body));
      return { json: this.orderJson(o), after: () => setImmediate(() => m.afterSubmit(o)) };
    }
    const byId = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (byId) {
      const o = one(m.orders.get(decodeURIComponent(byId[1]!)));
      if (method === 'GET') return { json: this.orderJson(o) };
      if (method === 'DELETE') {
        m.cancel(o);
        return undefined;
      }
      if (method === 'PATCH') {
        const n = (k: string) => (body[k] === undefined || body[k] === null ? undefined : Number(body[k]));
        const next = m.replace(o, {
          ...(n('qty') === undefined ? {} : { qty: n('qty')! }), ...(n('limit_price') === undefined ? {} : { limitPrice: n('limit_price')! }),
          ...(n('stop_price') === undefined ? {} : { stopPrice: n('stop_price')! }), ...(n('trail') === undefined ? {} : { trail: n('trail')! }),
          ...(typeof body.time_in_force === 'string' ? { timeInForce: body.time_in_force } : {}),
          ...(typeof body.client_order_id === 'string' ? { clientOrderId: body.client_order_id } : {}),
        });
        const px = m.last.get(next.symbol);
        return { json: this.orderJson(next), after: () => px !== undefined && m.fillOnSubmit && setImmediate(() => m.work(next.symbol, px, Infinity)) };
      }
    }
    if (method === 'GET' && path === '/v2/account/activities/FILL') return { json: this.activities(q) };
    const bars = /^\/v2\/stocks\/([^/]+)\/bars$/.exec(path);
    if (method === 'GET' && bars) return { json: this.barsPage(decodeURIComponent(bars[1]!), q) };
    throw new AlpacaRefusal(404, 40410000, `endpoint not found: ${method} ${path}`);
  }

  private submitParams(b: Record<string, unknown>): SubmitParams {
    const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
    const type = String(b.type ?? '');
    if (!['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'].includes(type)) throw new AlpacaRefusal(422, 40010001, `invalid order type: ${type}`);
    const side = String(b.side ?? '');
    if (side !== 'buy' && side !== 'sell') throw new AlpacaRefusal(422, 40010001, `invalid side: ${side}`);
    const tif = String(b.time_in_force ?? '');
    if (!['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'].includes(tif)) throw new AlpacaRefusal(422, 40010001, `invalid time_in_force: ${tif}`);
    const qty = num(b.qty);
    if (qty === undefined || !Number.isFinite(qty)) throw new AlpacaRefusal(422, 40010001, 'qty or notional is required');
    const tp = b.take_profit as { limit_price?: unknown } | undefined;
    const sl = b.stop_loss as { stop_price?: unknown; limit_price?: unknown } | undefined;
    const p: SubmitParams = {
      symbol: String(b.symbol ?? ''), qty, side, type: type as SubmitParams['type'], timeInForce: tif,
      ...(typeof b.client_order_id === 'string' ? { clientOrderId: b.client_order_id } : {}),
      ...(num(b.limit_price) === undefined ? {} : { limitPrice: num(b.limit_price)! }), ...(num(b.stop_price) === undefined ? {} : { stopPrice: num(b.stop_price)! }),
      ...(num(b.trail_price) === undefined ? {} : { trailPrice: num(b.trail_price)! }), ...(num(b.trail_percent) === undefined ? {} : { trailPercent: num(b.trail_percent)! }),
      ...(typeof b.order_class === 'string' ? { orderClass: b.order_class as SubmitParams['orderClass'] } : {}),
      ...(tp ? { takeProfit: { limitPrice: Number(tp.limit_price) } } : {}),
      ...(sl ? { stopLoss: { stopPrice: Number(sl.stop_price), ...(sl.limit_price === undefined ? {} : { limitPrice: Number(sl.limit_price) }) } } : {}),
    };
    return p;
  }

  private activities(q: URLSearchParams): unknown[] {
    const after = q.has('after') ? Date.parse(q.get('after')!) : -Infinity;
    const until = q.has('until') ? Date.parse(q.get('until')!) : Infinity;
    const asc = q.get('direction') === 'asc';
    const size = Math.min(Number(q.get('page_size') ?? 100), 100);
    let list = this.market.fills.filter((f) => f.time > after && f.time <= until);
    list = asc ? list : [...list].reverse();
    const token = q.get('page_token');
    if (token) list = list.slice(list.findIndex((f) => f.activityId === token) + 1);
    return list.slice(0, size).map((f) => ({
      id: f.activityId, activity_type: 'FILL', transaction_time: iso(f.time), type: f.partial ? 'partial_fill' : 'fill', price: str(f.price),
      qty: str(f.qty), side: f.side, symbol: f.symbol, leaves_qty: str(f.leaves), order_id: f.orderId, cum_qty: str(f.cum),
      order_status: f.partial ? 'partially_filled' : 'filled',
    }));
  }

  private barsPage(symbol: string, q: URLSearchParams): unknown {
    const frame = q.get('timeframe');
    if (!frame || !/^\d+(Min|T|Hour|H|Day|D|Week|W|Month|M)$/.test(frame)) throw new AlpacaRefusal(422, 42210000, `invalid timeframe: ${frame}`);
    const start = q.has('start') ? Date.parse(q.get('start')!) : -Infinity;
    const end = q.has('end') ? Date.parse(q.get('end')!) : Infinity;
    const limit = Math.min(Number(q.get('limit') ?? 1000), this.options.maxBarsPerPage ?? 10_000);
    const all = (this.bars.get(symbol) ?? []).filter((b) => b.t >= start && b.t <= end);
    const from = q.has('page_token') ? Number(Buffer.from(q.get('page_token')!, 'base64').toString('utf8')) : 0;
    const page = all.slice(from, from + limit);
    const more = from + limit < all.length;
    return {
      bars: page.map((b) => ({ t: new Date(b.t).toISOString().replace('.000Z', 'Z'), o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, n: 1, vw: b.c })),
      symbol, next_page_token: more ? Buffer.from(String(from + limit)).toString('base64') : null,
    };
  }

  private accountJson(): unknown {
    const m = this.market;
    let longs = 0;
    let shorts = 0;
    for (const [s, p] of m.positions) {
      const v = p.qty * (m.last.get(s) ?? p.cost / (p.qty || 1));
      if (v >= 0) longs += v;
      else shorts += v;
    }
    const equity = m.cash + longs + shorts;
    return {
      id: 'e6fe16f3-64a4-4921-8928-cadf02f92f98', account_number: 'PA3LOCAL0001', status: 'ACTIVE', crypto_status: 'ACTIVE', currency: 'USD',
      buying_power: str(m.buyingPower()), regt_buying_power: str(m.buyingPower()), daytrading_buying_power: '0', non_marginable_buying_power: str(m.buyingPower()),
      cash: str(m.cash), accrued_fees: '0', pending_transfer_in: '0', portfolio_value: str(equity), pattern_day_trader: false, trading_blocked: false,
      transfers_blocked: false, account_blocked: false, created_at: '2024-01-02T15:00:00Z', trade_suspended_by_user: false, multiplier: '1',
      shorting_enabled: false, equity: str(equity), last_equity: str(equity), long_market_value: str(longs), short_market_value: str(shorts),
      initial_margin: '0', maintenance_margin: '0', last_maintenance_margin: '0', sma: '0', daytrade_count: 0,
    };
  }

  private positionJson(symbol: string, p: { qty: number; cost: number }): unknown {
    const last = this.market.last.get(symbol) ?? p.cost / p.qty;
    return {
      asset_id: `asset-${symbol}`, symbol, exchange: 'NASDAQ', asset_class: 'us_equity', avg_entry_price: str(p.cost / p.qty), qty: str(p.qty),
      qty_available: str(p.qty), side: p.qty > 0 ? 'long' : 'short', market_value: str(p.qty * last), cost_basis: str(p.cost),
      unrealized_pl: str(p.qty * last - p.cost), unrealized_plpc: '0', current_price: str(last), lastday_price: str(last), change_today: '0',
    };
  }

  orderJson(o: SimOrder, nested = true): Record<string, unknown> {
    return {
      id: o.id, client_order_id: o.clientOrderId, created_at: iso(o.createdAt), updated_at: iso(o.updatedAt), submitted_at: iso(o.createdAt),
      filled_at: iso(o.filledAt), expired_at: null, canceled_at: iso(o.canceledAt), failed_at: null, replaced_at: o.replacedBy ? iso(o.updatedAt) : null,
      replaced_by: o.replacedBy ?? null, replaces: o.replaces ?? null, asset_id: `asset-${o.symbol}`, symbol: o.symbol, asset_class: 'us_equity',
      notional: null, qty: str(o.qty), filled_qty: str(o.filledQty), filled_avg_price: o.filledQty > 0 ? str(o.filledNotional / o.filledQty) : null,
      order_class: o.orderClass, order_type: o.type, type: o.type, side: o.side, time_in_force: o.timeInForce, limit_price: str(o.limitPrice),
      stop_price: str(o.stopPrice), status: o.status, extended_hours: false,
      legs: o.legs.length > 0 && nested ? o.legs.map((id) => this.orderJson(this.market.orders.get(id)!)) : null,
      trail_percent: str(o.trailPercent), trail_price: str(o.trailPrice), hwm: str(o.hwm),
    };
  }

  // ---- streams ----

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (this.streamsDown || !['/stream', '/v2/iex', '/v2/sip', '/v2/test'].includes(path)) {
      socket.end(`HTTP/1.1 ${this.streamsDown ? '503 Service Unavailable' : '404 Not Found'}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => (path === '/stream' ? this.tradeStream(ws) : this.dataStream(ws)));
  }

  private tradeStream(ws: WebSocket): void {
    this.streamConnections.trade++;
    this.tradeClients.add(ws);
    const state = ws as WebSocket & { authed?: boolean; listening?: boolean };
    const out = (msg: unknown) => ws.send(Buffer.from(JSON.stringify(msg)));
    ws.on('close', () => this.tradeClients.delete(ws));
    ws.on('message', (raw) => {
      let msg: { action?: string; key?: string; secret?: string; data?: { key_id?: string; secret_key?: string; streams?: string[] } };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return out({ stream: 'error', data: { error_message: 'invalid syntax' } });
      }
      if (msg.action === 'auth' || msg.action === 'authenticate') {
        const key = msg.key ?? msg.data?.key_id;
        const secret = msg.secret ?? msg.data?.secret_key;
        state.authed = key === this.options.keyId && secret === this.options.secretKey;
        out({ stream: 'authorization', data: { action: 'authenticate', status: state.authed ? 'authorized' : 'unauthorized' } });
        if (!state.authed) ws.close();
      } else if (msg.action === 'listen') {
        if (!state.authed) return out({ stream: 'error', data: { error_message: 'access key verification failed' } });
        const streams = (msg.data?.streams ?? []).filter((s) => s === 'trade_updates');
        state.listening = streams.length > 0;
        out({ stream: 'listening', data: { streams } });
      }
    });
  }

  private publishTradeUpdate(e: MarketEvent): void {
    const data: Record<string, unknown> = { event: e.event, timestamp: iso(e.at), order: this.orderJson(e.order) };
    if (e.fill) {
      const pos = this.market.positions.get(e.order.symbol);
      Object.assign(data, { execution_id: e.fill.executionId, price: str(e.fill.price), qty: str(e.fill.qty), position_qty: str(pos?.qty ?? 0), timestamp: iso(e.fill.time) });
    }
    const frame = Buffer.from(JSON.stringify({ stream: 'trade_updates', data }));
    for (const ws of this.tradeClients) if ((ws as WebSocket & { listening?: boolean }).listening) ws.send(frame);
  }

  private dataStream(ws: WebSocket): void {
    this.streamConnections.data++;
    const sub = { authed: false, trades: new Set<string>(), quotes: new Set<string>(), bars: new Set<string>() };
    this.dataClients.set(ws, sub);
    const out = (msgs: unknown[]) => ws.send(JSON.stringify(msgs));
    ws.on('close', () => this.dataClients.delete(ws));
    out([{ T: 'success', msg: 'connected' }]);
    ws.on('message', (raw) => {
      let msg: { action?: string; key?: string; secret?: string; trades?: string[]; quotes?: string[]; bars?: string[] };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return out([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      }
      if (msg.action === 'auth') {
        sub.authed = msg.key === this.options.keyId && msg.secret === this.options.secretKey;
        out([sub.authed ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 402, msg: 'auth failed' }]);
        if (!sub.authed) ws.close();
      } else if (msg.action === 'subscribe' || msg.action === 'unsubscribe') {
        if (!sub.authed) return out([{ T: 'error', code: 401, msg: 'not authenticated' }]);
        for (const k of ['trades', 'quotes', 'bars'] as const) for (const s of msg[k] ?? []) sub[k][msg.action === 'subscribe' ? 'add' : 'delete'](s);
        out([{ T: 'subscription', trades: [...sub.trades], quotes: [...sub.quotes], bars: [...sub.bars], updatedBars: [], dailyBars: [], statuses: [], lulds: [], corrections: [], cancelErrors: [] }]);
      } else {
        out([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      }
    });
  }

  private publishData(symbol: string, kind: 'trades' | 'quotes' | 'bars', msg: unknown): void {
    const text = JSON.stringify([msg]);
    for (const [ws, sub] of this.dataClients) if (sub.authed && (sub[kind].has(symbol) || sub[kind].has('*'))) ws.send(text);
  }
}

/** Starts an {@link AlpacaServer} on an ephemeral loopback port. */
export const startAlpacaServer = (options: AlpacaServerOptions) => AlpacaServer.start(options);
