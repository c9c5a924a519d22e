/**
 * A local server on loopback that speaks Binance spot's REST API for the calls a trading adapter
 * makes, written from Binance's public API documentation: the paths and parameters, the JSON
 * shapes, the error bodies (`{"code":-2010,"msg":"..."}`) and the signing of private requests
 * (HMAC-SHA256 of the whole query string and form body, hex, in `signature`, with the key in the
 * `X-MBX-APIKEY` header). Behind it is a small simulated market: the test sets the price (a trade
 * there fills resting orders), market orders fill at the last price, and faults come on demand:
 * HTTP 429 rate limits, malformed bodies, and an outage during which orders keep filling.
 *
 * Point a real ccxt exchange at it with {@link BinanceSpotServer.ccxtUrls}:
 *
 * ```ts
 * const server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
 * const ex = new ccxt.binance({ apiKey: 'k', secret: 's', options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
 * ex.urls.api = server.ccxtUrls(ex.urls.api);
 * ```
 *
 * Paths served: /api/v3/ping, time, exchangeInfo (and an empty /fapi/v1 and /dapi/v1 exchangeInfo), klines, ticker/bookTicker, ticker/price,
 * aggTrades, depth, order (POST, GET, DELETE), openOrders, myTrades, account, userDataStream (POST, PUT, DELETE).
 *
 * The same port serves Binance's websocket streams (./binance-streams.ts): the market streams
 * (`<symbol>@trade`, `@depth`, `@kline_<interval>`) and the user data stream, fed by the
 * {@link BinanceServerEvent}s this market publishes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BinanceStreams } from './binance-streams.js';

/** A symbol the server lists, with its exchangeInfo filters. */
export interface BinanceSymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
}

export interface BinanceSpotServerOptions {
  apiKey: string;
  secret: string;
  symbols?: BinanceSymbolSpec[];
  /** Starting balances by asset (default 1,000,000 USDT and 100 BTC). */
  balances?: Record<string, number>;
  /** The server's clock (default Date.now). */
  now?: () => number;
  /** Commission per execution as a fraction of its value, charged in the quote asset (default 0). */
  commission?: number;
}

/** An order as the server holds it. */
export interface Order {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: number;
  origQty: number;
  executedQty: number;
  quote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
  timeInForce: string;
  type: 'LIMIT' | 'MARKET';
  side: 'BUY' | 'SELL';
  time: number;
  updateTime: number;
}

/** One execution of an account's order. */
export interface Trade {
  symbol: string;
  id: number;
  orderId: number;
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface Kline { openTime: number; open: number; high: number; low: number; close: number; volume: number; closeTime: number }

/** What the simulated market publishes to the websocket streams. */
export type BinanceServerEvent =
  | { type: 'execution'; execType: 'NEW' | 'TRADE' | 'CANCELED'; order: Readonly<Order>; trade?: Readonly<Trade> }
  | { type: 'balance'; assets: string[] }
  | { type: 'print'; symbol: string; id: number; price: number; qty: number; time: number; buyerMaker: boolean }
  | { type: 'depth'; symbol: string; firstId: number; lastId: number; bids: [number, number][]; asks: [number, number][] }
  | { type: 'kline'; symbol: string; kline: Kline; closed: boolean };

const DEFAULT_SYMBOL: BinanceSymbolSpec = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01000000', stepSize: '0.00001000', minQty: '0.00001000', minNotional: '5.00000000',
};

const fmt = (n: number) => n.toFixed(8);
const decimals = (s: string) => (s.replace(/0+$/, '').split('.')[1] ?? '').length;

export class ApiError extends Error {
  constructor(readonly http: number, readonly code: number, msg: string) {
    super(msg);
  }
}

/**
 * Checks a SIGNED endpoint's key, timestamp and HMAC-SHA256 signature as Binance documents (the
 * whole query string and form body, hex, in `signature`; the key in `X-MBX-APIKEY`).
 */
export function checkBinanceSignature(account: { apiKey: string; secret: string; now: number }, raw: string, body: string, apiKey: unknown, params: URLSearchParams): void {
  if (apiKey !== account.apiKey) throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
  const total = raw + body;
  const at = total.lastIndexOf('signature=');
  if (at < 0) throw new ApiError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  const payload = total.slice(0, at).replace(/&$/, '');
  const given = total.slice(at + 'signature='.length).split('&')[0]!;
  const expected = createHmac('sha256', account.secret).update(payload).digest('hex');
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    throw new ApiError(400, -1022, 'Signature for this request is not valid.');
  }
  const ts = Number(params.get('timestamp'));
  const recv = Number(params.get('recvWindow') ?? 5000);
  if (!Number.isFinite(ts) || Math.abs(account.now - ts) > recv) {
    throw new ApiError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
  }
}

/** Checks a websocket API request's parameters signed as Binance documents (HMAC-SHA256 of the sorted parameters). */
export function checkWsSignature(account: { apiKey: string; secret: string }, params: Record<string, unknown>): void {
  if (params.apiKey !== account.apiKey) throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
  const { signature, ...rest } = params;
  const payload = Object.keys(rest).sort().map((k) => `${k}=${String(rest[k])}`).join('&');
  const expected = createHmac('sha256', account.secret).update(payload).digest('hex');
  if (typeof signature !== 'string' || signature !== expected) throw new ApiError(400, -1022, 'Signature for this request is not valid.');
}

/** The server (see the module comment). */
export class BinanceSpotServer {
  readonly url: string;
  private readonly specs = new Map<string, BinanceSymbolSpec>();
  private readonly balances = new Map<string, { free: number; locked: number }>();
  private readonly last = new Map<string, number>();
  private readonly orders: Order[] = [];
  private readonly trades: Trade[] = [];
  /** The market's public prints (`/api/v3/aggTrades`): every `trade()` and every execution. */
  private readonly prints: { id: number; symbol: string; price: number; qty: number; time: number; buyerMaker: boolean }[] = [];
  private nextPrintId = 1;
  private readonly klines = new Map<string, Kline[]>();
  private nextOrderId = 1;
  private nextTradeId = 1;
  private faults: { kind: '429' | 'malformed' | 'garbage'; path?: string }[] = [];
  private offline = false;
  /** Called before each request is answered (a test's market can move on a poll). */
  onRequest: ((method: string, path: string, params: URLSearchParams) => void) | undefined;
  /** Every request the server answered or refused: method, path and HTTP status. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  /** The websocket streams on the same port. */
  readonly streams: BinanceStreams;
  private readonly listeners = new Set<(e: BinanceServerEvent) => void>();
  private readonly books = new Map<string, { bids: Map<number, number>; asks: Map<number, number>; updateId: number }>();
  private readonly listenKeys = new Set<string>();

  private constructor(private readonly server: Server, private readonly options: BinanceSpotServerOptions) {
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    for (const s of options.symbols ?? [DEFAULT_SYMBOL]) this.specs.set(s.symbol, s);
    for (const [asset, free] of Object.entries(options.balances ?? { USDT: 1_000_000, BTC: 100 })) this.balances.set(asset, { free, locked: 0 });
    this.streams = new BinanceStreams(server, this);
  }

  /** The HTTP server (the websocket streams share its port). */
  get httpServer(): Server {
    return this.server;
  }

  /** Listens to the market's events (what the websocket streams send); returns the unsubscribe. */
  subscribe(fn: (e: BinanceServerEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private publish(e: BinanceServerEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  /** Whether `key` is a listen key this server handed out (POST /api/v3/userDataStream) and not closed. */
  hasListenKey(key: string): boolean {
    return this.listenKeys.has(key);
  }

  /** Starts a server on an ephemeral loopback port. */
  static async start(options: BinanceSpotServerOptions): Promise<BinanceSpotServer> {
    let self: BinanceSpotServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new BinanceSpotServer(server, options);
    return self;
  }

  /**
   * A ccxt exchange's `urls.api` with every host replaced by this server (paths kept), so that no
   * call of the exchange leaves loopback: `ex.urls.api = server.ccxtUrls(ex.urls.api)`.
   */
  ccxtUrls(api: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(api)) {
      if (typeof value === 'string') out[name] = `${this.url}${new URL(value).pathname}`;
    }
    return out;
  }

  /**
   * A ccxt pro exchange's `urls.api.ws` (nested: `spot`, `future`, `ws-api`: {...}) with every
   * host replaced by this server's websocket address (paths kept):
   * `ex.urls.api.ws = server.ccxtWsUrls(ex.urls.api.ws)`.
   */
  ccxtWsUrls(ws: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(ws)) {
      if (typeof value === 'string') out[name] = `${this.url.replace(/^http/, 'ws')}${new URL(value).pathname}`;
      else if (value && typeof value === 'object') out[name] = this.ccxtWsUrls(value as Record<string, unknown>);
    }
    return out;
  }

  /** Points a ccxt exchange (REST and, for a pro class, websockets) at this server. */
  pointCcxt(exchange: { urls: { api: Record<string, unknown> } }): void {
    const ws = exchange.urls.api.ws as Record<string, unknown> | undefined;
    exchange.urls.api = { ...this.ccxtUrls(exchange.urls.api), ...(ws ? { ws: this.ccxtWsUrls(ws) } : {}) };
  }

  async close(): Promise<void> {
    await this.streams.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  // ---- the market, driven by the test ----

  /** A trade at `price` on `symbol` (`qty` caps how much of the resting orders it fills; default all). */
  trade(symbol: string, price: number, qty = Infinity): void {
    this.last.set(symbol, price);
    if (Number.isFinite(qty)) this.print({ id: this.nextPrintId++, symbol, price, qty, time: this.now(), buyerMaker: false });
    let left = qty;
    for (const o of this.orders) {
      if (left <= 0) break;
      if (o.symbol !== symbol || o.type !== 'LIMIT' || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) continue;
      if ((o.side === 'BUY' && price <= o.price) || (o.side === 'SELL' && price >= o.price)) {
        const q = Math.min(left, o.origQty - o.executedQty);
        this.execute(o, o.price, q, true);
        left -= q;
      }
    }
  }

  private print(p: { id: number; symbol: string; price: number; qty: number; time: number; buyerMaker: boolean }): void {
    this.prints.push(p);
    this.publish({ type: 'print', ...p });
  }

  /**
   * Changes levels of `symbol`'s order book (a quantity of 0 removes the level) and publishes
   * them as one diff (`depthUpdate` with first and last update ids). `skipIds` leaves update ids
   * out before this diff: a gap a client must notice (the `U`/`u` rule) and resync from a snapshot.
   */
  updateBook(symbol: string, changes: { bids?: [number, number][]; asks?: [number, number][] }, skipIds = 0): void {
    const book = this.book(symbol);
    const bids = changes.bids ?? [];
    const asks = changes.asks ?? [];
    for (const [px, q] of bids) q > 0 ? book.bids.set(px, q) : book.bids.delete(px);
    for (const [px, q] of asks) q > 0 ? book.asks.set(px, q) : book.asks.delete(px);
    const firstId = book.updateId + 1 + skipIds;
    book.updateId = firstId + Math.max(0, bids.length + asks.length - 1);
    this.publish({ type: 'depth', symbol, firstId, lastId: book.updateId, bids, asks });
  }

  private book(symbol: string) {
    let b = this.books.get(symbol);
    if (!b) {
      b = { bids: new Map(), asks: new Map(), updateId: 1000 };
      this.books.set(symbol, b);
    }
    return b;
  }

  /** Sets the last price (a trade of any size there). */
  setPrice(symbol: string, price: number): void {
    this.trade(symbol, price);
  }

  /** Candles `/api/v3/klines` serves for `symbol` (open times in ms, one interval apart). */
  setKlines(symbol: string, bars: Kline[]): void {
    this.klines.set(symbol, bars.slice().sort((a, b) => a.openTime - b.openTime));
  }

  /** Appends one candle (a live bar closing). */
  addKline(symbol: string, bar: Kline): void {
    const list = this.klines.get(symbol) ?? [];
    list.push(bar);
    this.klines.set(symbol, list);
    this.publish({ type: 'kline', symbol, kline: bar, closed: true });
  }

  /** The next `count` requests (to `path` when given) get HTTP 429 `{"code":-1003}` with Retry-After. */
  rateLimitNext(count = 1, path?: string): void {
    for (let i = 0; i < count; i++) this.faults.push({ kind: '429', ...(path ? { path } : {}) });
  }

  /** The next request to `path` gets a well-formed JSON body of the wrong shape (`garbage`) or a broken body (`malformed`). */
  malformNext(path: string, kind: 'malformed' | 'garbage' = 'malformed'): void {
    this.faults.push({ kind, path });
  }

  /** While offline, every connection is dropped without an answer; orders keep filling. */
  setOffline(offline: boolean): void {
    this.offline = offline;
    if (offline) this.streams.dropAll();
  }

  /** Whether the server is offline (see {@link setOffline}): websocket upgrades are refused then. */
  get isOffline(): boolean {
    return this.offline;
  }

  /** Free and locked balance of every asset held. */
  allBalances(): Map<string, { free: number; locked: number }> {
    return new Map([...this.balances].map(([a, b]) => [a, { ...b }]));
  }

  /** The asset names of a symbol. */
  assetsOf(symbol: string): { base: string; quote: string } {
    const spec = this.specs.get(symbol);
    if (!spec) throw new Error(`no symbol ${symbol}`);
    return { base: spec.baseAsset, quote: spec.quoteAsset };
  }

  balance(asset: string): { free: number; locked: number } {
    return { ...(this.balances.get(asset) ?? { free: 0, locked: 0 }) };
  }

  /** Orders the server holds, for assertions. */
  listOrders(): readonly Readonly<Order>[] {
    return this.orders;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (this.offline) {
      this.requests.push({ method: req.method ?? '', path, status: 0 });
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
      res.end(payload);
    };
    const faultAt = this.faults.findIndex((f) => f.path === undefined || f.path === path);
    if (faultAt >= 0) {
      const fault = this.faults.splice(faultAt, 1)[0]!;
      if (fault.kind === '429') return send(429, JSON.stringify({ code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.' }), { 'Retry-After': '1' });
      if (fault.kind === 'malformed') return send(200, '{"symbol":"BTCUSDT","orderId":');
      return send(200, JSON.stringify([{ unexpected: true }, 42, null]));
    }
    try {
      const raw = url.search.slice(1);
      const params = new URLSearchParams(raw);
      for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
      this.onRequest?.(req.method ?? 'GET', path, params);
      const result = this.route(req.method ?? 'GET', path, params, raw, body, req.headers['x-mbx-apikey']);
      send(200, JSON.stringify(result));
    } catch (err) {
      if (err instanceof ApiError) send(err.http, JSON.stringify({ code: err.code, msg: err.message }));
      else send(500, JSON.stringify({ code: -1000, msg: `An unknown error occurred while processing the request. ${(err as Error).message}` }));
    }
  }

  private checkSigned(raw: string, body: string, apiKey: unknown, params: URLSearchParams): void {
    checkBinanceSignature({ apiKey: this.options.apiKey, secret: this.options.secret, now: this.now() }, raw, body, apiKey, params);
  }

  private spec(params: URLSearchParams): BinanceSymbolSpec {
    const symbol = params.get('symbol');
    if (!symbol) throw new ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const spec = this.specs.get(symbol);
    if (!spec) throw new ApiError(400, -1121, 'Invalid symbol.');
    return spec;
  }

  private route(method: string, path: string, p: URLSearchParams, raw: string, body: string, apiKey: unknown): unknown {
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /api/v3/ping': return {};
      case 'GET /api/v3/time': return { serverTime: this.now() };
      case 'GET /api/v3/exchangeInfo': return this.exchangeInfo();
      // the futures venues list nothing here, so a default ccxt.binance (which loads spot, linear and inverse markets) works too
      case 'GET /fapi/v1/exchangeInfo':
      case 'GET /dapi/v1/exchangeInfo': return { timezone: 'UTC', serverTime: this.now(), rateLimits: [], exchangeFilters: [], assets: [], symbols: [] };
      case 'GET /api/v3/klines': return this.getKlines(p);
      case 'GET /api/v3/ticker/bookTicker': return this.bookTicker(p);
      case 'GET /api/v3/ticker/price': {
        const s = this.spec(p);
        return { symbol: s.symbol, price: fmt(this.lastPrice(s.symbol)) };
      }
      case 'GET /api/v3/aggTrades': return this.aggTrades(p);
      case 'GET /api/v3/depth': return this.depth(p);
      // the user data stream's listen key: USER_STREAM security (the key header, no signature)
      case 'POST /api/v3/userDataStream':
      case 'PUT /api/v3/userDataStream':
      case 'DELETE /api/v3/userDataStream': return this.userDataStream(method, p, apiKey);
    }
    this.checkSigned(raw, body, apiKey, p);
    switch (key) {
      case 'POST /api/v3/order': return this.newOrder(p);
      case 'GET /api/v3/order': return this.orderJson(this.findOrder(p));
      case 'DELETE /api/v3/order': return this.cancel(p);
      case 'GET /api/v3/openOrders': {
        const symbol = p.get('symbol');
        return this.orders.filter((o) => (!symbol || o.symbol === symbol) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).map((o) => this.orderJson(o));
      }
      case 'GET /api/v3/myTrades': return this.myTrades(p);
      case 'GET /api/v3/account': return this.account();
      // what a default ccxt.binance with keys loads besides the markets: the currencies
      case 'GET /sapi/v1/capital/config/getall': return this.currencies();
      // and the margin pairs (this account has no margin trading: none)
      case 'GET /sapi/v1/margin/allPairs':
      case 'GET /sapi/v1/margin/isolated/allPairs': return [];
    }
    throw new ApiError(404, -1000, `${method} ${path} is not served by this local Binance server`);
  }

  private exchangeInfo(): unknown {
    return {
      timezone: 'UTC',
      serverTime: this.now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      ],
      exchangeFilters: [],
      symbols: [...this.specs.values()].map((s) => ({
        symbol: s.symbol, status: 'TRADING', baseAsset: s.baseAsset, baseAssetPrecision: 8, quoteAsset: s.quoteAsset, quotePrecision: 8,
        quoteAssetPrecision: 8, baseCommissionPrecision: 8, quoteCommissionPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
        icebergAllowed: true, ocoAllowed: true, otoAllowed: true, quoteOrderQtyMarketAllowed: true, allowTrailingStop: true,
        cancelReplaceAllowed: true, isSpotTradingAllowed: true, isMarginTradingAllowed: false,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: '1000000.00000000', tickSize: s.tickSize },
          { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: '9000.00000000', stepSize: s.stepSize },
          { filterType: 'NOTIONAL', minNotional: s.minNotional, applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
          { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
        ],
        permissions: [], permissionSets: [['SPOT']], defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
        allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
      })),
    };
  }

  private getKlines(p: URLSearchParams): unknown {
    const s = this.spec(p);
    const start = p.has('startTime') ? Number(p.get('startTime')) : -Infinity;
    const end = p.has('endTime') ? Number(p.get('endTime')) : Infinity;
    const limit = Math.min(Number(p.get('limit') ?? 500), 1000);
    let rows = (this.klines.get(s.symbol) ?? []).filter((k) => k.openTime >= start && k.openTime <= end);
    // with a start, the first `limit` candles from it; otherwise the latest `limit`
    rows = p.has('startTime') ? rows.slice(0, limit) : rows.slice(-limit);
    return rows.map((k) => [k.openTime, fmt(k.open), fmt(k.high), fmt(k.low), fmt(k.close), fmt(k.volume), k.closeTime, fmt(k.volume * k.close), 1, '0.00000000', '0.00000000', '0']);
  }

  private lastPrice(symbol: string): number {
    const px = this.last.get(symbol);
    if (px === undefined) throw new ApiError(400, -1013, 'No trades yet on this symbol.');
    return px;
  }

  private bookTicker(p: URLSearchParams): unknown {
    const one = (symbol: string) => {
      const px = this.last.get(symbol) ?? 0;
      const tick = Number(this.specs.get(symbol)!.tickSize);
      return { symbol, bidPrice: fmt(px - tick), bidQty: '1.00000000', askPrice: fmt(px + tick), askQty: '1.00000000' };
    };
    if (p.has('symbol')) return one(this.spec(p).symbol);
    const list = p.get('symbols');
    const names = list ? (JSON.parse(list) as string[]) : [...this.specs.keys()];
    return names.map((n) => {
      if (!this.specs.has(n)) throw new ApiError(400, -1121, 'Invalid symbol.');
      return one(n);
    });
  }

  private depth(p: URLSearchParams): unknown {
    const s = this.spec(p);
    const limit = Math.min(Number(p.get('limit') ?? 100), 5000);
    const b = this.book(s.symbol);
    const side = (m: Map<number, number>, desc: boolean) => [...m].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).slice(0, limit).map(([px, q]) => [fmt(px), fmt(q)]);
    return { lastUpdateId: b.updateId, bids: side(b.bids, true), asks: side(b.asks, false) };
  }

  private userDataStream(method: string, p: URLSearchParams, apiKey: unknown): unknown {
    if (apiKey !== this.options.apiKey) throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    if (method === 'POST') {
      const key = createHmac('sha256', this.options.secret).update(`listen-${this.listenKeys.size}-${this.now()}`).digest('base64url').slice(0, 60);
      this.listenKeys.add(key);
      return { listenKey: key };
    }
    const key = p.get('listenKey') ?? '';
    if (!this.listenKeys.has(key)) throw new ApiError(400, -1125, 'This listenKey does not exist.');
    if (method === 'DELETE') this.listenKeys.delete(key);
    return {};
  }

  /** Checks a websocket API request's parameters signed as Binance documents (HMAC-SHA256 of the sorted parameters). */
  verifyWsSignature(params: Record<string, unknown>): void {
    checkWsSignature(this.options, params);
  }

  private aggTrades(p: URLSearchParams): unknown {
    const s = this.spec(p);
    const start = p.has('startTime') ? Number(p.get('startTime')) : -Infinity;
    return this.prints.filter((t) => t.symbol === s.symbol && t.time >= start).slice(0, Number(p.get('limit') ?? 500))
      .map((t) => ({ a: t.id, p: fmt(t.price), q: fmt(t.qty), f: t.id, l: t.id, T: t.time, m: t.buyerMaker, M: true }));
  }

  private newOrder(p: URLSearchParams): unknown {
    const s = this.spec(p);
    const side = p.get('side');
    const type = p.get('type');
    if (side !== 'BUY' && side !== 'SELL') throw new ApiError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
    if (type !== 'LIMIT' && type !== 'MARKET') throw new ApiError(400, -1116, 'Invalid orderType.');
    const clientOrderId = p.get('newClientOrderId') ?? `srv${this.nextOrderId}`;
    if (this.orders.some((o) => o.clientOrderId === clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))) {
      throw new ApiError(400, -2010, 'Duplicate order sent.');
    }
    const qtyText = p.get('quantity') ?? '';
    const qty = Number(qtyText);
    if (!(qty > 0)) throw new ApiError(400, -1013, 'Filter failure: LOT_SIZE');
    if (decimals(qtyText) > decimals(s.stepSize) || qty < Number(s.minQty)) throw new ApiError(400, -1013, 'Filter failure: LOT_SIZE');
    let price: number;
    if (type === 'LIMIT') {
      const priceText = p.get('price') ?? '';
      price = Number(priceText);
      if (!(price > 0) || decimals(priceText) > decimals(s.tickSize)) throw new ApiError(400, -1013, 'Filter failure: PRICE_FILTER');
      if (!p.get('timeInForce')) throw new ApiError(400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
    } else {
      price = this.lastPrice(s.symbol);
    }
    if (qty * price < Number(s.minNotional)) throw new ApiError(400, -1013, 'Filter failure: NOTIONAL');
    // funds: buys lock quote, sells lock base
    const fundAsset = side === 'BUY' ? s.quoteAsset : s.baseAsset;
    const need = side === 'BUY' ? qty * price : qty;
    const bal = this.balances.get(fundAsset) ?? { free: 0, locked: 0 };
    if (bal.free < need - 1e-12) throw new ApiError(400, -2010, 'Account has insufficient balance for requested action.');
    const now = this.now();
    const o: Order = {
      symbol: s.symbol, orderId: this.nextOrderId++, clientOrderId, price: type === 'LIMIT' ? price : 0, origQty: qty, executedQty: 0, quote: 0,
      status: 'NEW', timeInForce: type === 'LIMIT' ? p.get('timeInForce')! : 'GTC', type, side, time: now, updateTime: now,
    };
    bal.free -= need;
    bal.locked += need;
    this.balances.set(fundAsset, bal);
    this.orders.push(o);
    this.publish({ type: 'execution', execType: 'NEW', order: o });
    this.publish({ type: 'balance', assets: [fundAsset] });
    const fills: unknown[] = [];
    const last = this.last.get(s.symbol);
    if (type === 'MARKET') fills.push(this.execute(o, price, qty, false));
    else if (last !== undefined && ((side === 'BUY' && last <= price) || (side === 'SELL' && last >= price))) fills.push(this.execute(o, last, qty, false));
    return { ...this.orderJson(o), transactTime: now, fills };
  }

  private execute(o: Order, price: number, qty: number, maker: boolean): unknown {
    const s = this.specs.get(o.symbol)!;
    const now = this.now();
    o.executedQty += qty;
    o.quote += qty * price;
    o.status = o.executedQty >= o.origQty - 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = now;
    const base = this.balances.get(s.baseAsset) ?? { free: 0, locked: 0 };
    const quote = this.balances.get(s.quoteAsset) ?? { free: 0, locked: 0 };
    if (o.side === 'BUY') {
      const locked = qty * (o.type === 'LIMIT' ? o.price : price);
      quote.locked -= locked;
      quote.free += locked - qty * price;
      base.free += qty;
    } else {
      base.locked -= qty;
      quote.free += qty * price;
    }
    const fee = qty * price * (this.options.commission ?? 0);
    quote.free -= fee;
    this.balances.set(s.baseAsset, base);
    this.balances.set(s.quoteAsset, quote);
    const t: Trade = {
      symbol: o.symbol, id: this.nextTradeId++, orderId: o.orderId, price, qty, quoteQty: qty * price, commission: fee, commissionAsset: s.quoteAsset,
      time: now, isBuyer: o.side === 'BUY', isMaker: maker,
    };
    this.trades.push(t);
    this.publish({ type: 'execution', execType: 'TRADE', order: o, trade: t });
    this.publish({ type: 'balance', assets: [s.baseAsset, s.quoteAsset] });
    this.print({ id: this.nextPrintId++, symbol: o.symbol, price, qty, time: now, buyerMaker: maker ? o.side === 'BUY' : o.side === 'SELL' });
    return { price: fmt(price), qty: fmt(qty), commission: fmt(fee), commissionAsset: s.quoteAsset, tradeId: t.id };
  }

  private findOrder(p: URLSearchParams): Order {
    const s = this.spec(p);
    const id = p.get('orderId');
    const cid = p.get('origClientOrderId');
    if (!id && !cid) throw new ApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    // the latest order with a client id (Binance allows reuse once an order is closed)
    const found = [...this.orders].reverse().find((o) => o.symbol === s.symbol && (id ? o.orderId === Number(id) : o.clientOrderId === cid));
    if (!found) throw new ApiError(400, -2013, 'Order does not exist.');
    return found;
  }

  private cancel(p: URLSearchParams): unknown {
    let o: Order;
    try {
      o = this.findOrder(p);
    } catch (err) {
      if (err instanceof ApiError && err.code === -2013) throw new ApiError(400, -2011, 'Unknown order sent.');
      throw err;
    }
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw new ApiError(400, -2011, 'Unknown order sent.');
    const s = this.specs.get(o.symbol)!;
    const left = o.origQty - o.executedQty;
    const asset = o.side === 'BUY' ? s.quoteAsset : s.baseAsset;
    const amount = o.side === 'BUY' ? left * o.price : left;
    const bal = this.balances.get(asset)!;
    bal.locked -= amount;
    bal.free += amount;
    o.status = 'CANCELED';
    o.updateTime = this.now();
    this.publish({ type: 'execution', execType: 'CANCELED', order: o });
    this.publish({ type: 'balance', assets: [asset] });
    return { ...this.orderJson(o), origClientOrderId: o.clientOrderId, transactTime: o.updateTime };
  }

  private myTrades(p: URLSearchParams): unknown {
    const s = this.spec(p);
    const start = p.has('startTime') ? Number(p.get('startTime')) : -Infinity;
    const fromId = p.has('fromId') ? Number(p.get('fromId')) : -Infinity;
    const orderId = p.has('orderId') ? Number(p.get('orderId')) : undefined;
    const limit = Math.min(Number(p.get('limit') ?? 500), 1000);
    return this.trades
      .filter((t) => t.symbol === s.symbol && t.time >= start && t.id >= fromId && (orderId === undefined || t.orderId === orderId))
      .slice(0, limit)
      .map((t) => ({
        symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: fmt(t.price), qty: fmt(t.qty), quoteQty: fmt(t.quoteQty),
        commission: fmt(t.commission), commissionAsset: t.commissionAsset, time: t.time, isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true,
      }));
  }

  private account(): unknown {
    return {
      makerCommission: 0, takerCommission: 0, buyerCommission: 0, sellerCommission: 0,
      commissionRates: { maker: '0.00000000', taker: '0.00000000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true, canWithdraw: true, canDeposit: true, brokered: false, requireSelfTradePrevention: false, preventSor: false,
      updateTime: this.now(), accountType: 'SPOT',
      balances: [...this.balances].map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) })),
      permissions: ['SPOT'], uid: 1,
    };
  }

  private currencies(): unknown {
    const assets = new Set([...this.specs.values()].flatMap((s) => [s.baseAsset, s.quoteAsset]));
    return [...assets].map((coin) => ({
      coin, name: coin, depositAllEnable: true, withdrawAllEnable: true, free: fmt(this.balances.get(coin)?.free ?? 0), locked: fmt(this.balances.get(coin)?.locked ?? 0),
      freeze: '0', withdrawing: '0', ipoing: '0', ipoable: '0', storage: '0', isLegalMoney: false, trading: true,
      networkList: [{ network: coin, coin, withdrawIntegerMultiple: '0.00000001', isDefault: true, depositEnable: true, withdrawEnable: true, depositDesc: '', withdrawDesc: '', name: coin, resetAddressStatus: false, withdrawFee: '0', withdrawMin: '0', withdrawMax: '9999999999', minConfirm: 1, unLockConfirm: 0, sameAddress: false, estimatedArrivalTime: 1, busy: false }],
    }));
  }

  private orderJson(o: Order): Record<string, unknown> {
    return {
      symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: fmt(o.price), origQty: fmt(o.origQty),
      executedQty: fmt(o.executedQty), cummulativeQuoteQty: fmt(o.quote), status: o.status, timeInForce: o.timeInForce, type: o.type,
      side: o.side, stopPrice: '0.00000000', icebergQty: '0.00000000', time: o.time, updateTime: o.updateTime, isWorking: true,
      workingTime: o.time, origQuoteOrderQty: '0.00000000', selfTradePreventionMode: 'EXPIRE_MAKER',
    };
  }
}

/** Starts a {@link BinanceSpotServer} on an ephemeral loopback port. */
export const startBinanceSpotServer = (options: BinanceSpotServerOptions) => BinanceSpotServer.start(options);
