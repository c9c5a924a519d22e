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
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { ApiError, BinanceHttp, checkBinanceSignature, checkWsSignature, findOrder, loopbackUrls, openOrders, orderToCancel, sideAndType, symbolOf, takeFault, tradesQuery, type FaultAnswer } from './binance-http.js';
import { BinanceStreams } from './binance-streams.js';

import { spotAccount, spotCurrencies, spotExchangeInfo, spotOrderJson } from './binance-spot-views.js';
import type { BinanceServerEvent, BinanceSymbolSpec, Kline, Order, Trade } from './binance-types.js';

export { ApiError, checkBinanceSignature, checkWsSignature } from './binance-http.js';
export type { BinanceServerEvent, BinanceSymbolSpec, Kline, Order, Trade } from './binance-types.js';

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


const DEFAULT_SYMBOL: BinanceSymbolSpec = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01000000', stepSize: '0.00001000', minQty: '0.00001000', minNotional: '5.00000000',
};

const fmt = (n: number) => n.toFixed(8);
const decimals = (s: string) => (s.replace(/0+$/, '').split('.')[1] ?? '').length;

/** The server (see the module comment). */
export class BinanceSpotServer {
  readonly url: string;
  /** Every request the server answered or refused: method, path and HTTP status. */
  readonly requests: { method: string; path: string; status: number }[];
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
  private faults: { kind: '429' | 'malformed' | 'garbage'; path?: string; retryAfter?: number }[] = [];
  private offline = false;
  /** Called before each request is answered (a test's market can move on a poll). */
  onRequest: ((method: string, path: string, params: URLSearchParams) => void) | undefined;
  /** The websocket streams on the same port. */
  readonly streams: BinanceStreams;
  private readonly listeners = new Set<(e: BinanceServerEvent) => void>();
  private readonly books = new Map<string, { bids: Map<number, number>; asks: Map<number, number>; updateId: number }>();
  private readonly listenKeys = new Set<string>();

  private constructor(private readonly http: BinanceHttp, private readonly options: BinanceSpotServerOptions) {
    this.url = http.url;
    this.requests = http.requests;
    for (const s of options.symbols ?? [DEFAULT_SYMBOL]) this.specs.set(s.symbol, s);
    for (const [asset, free] of Object.entries(options.balances ?? { USDT: 1_000_000, BTC: 100 })) this.balances.set(asset, { free, locked: 0 });
    this.streams = new BinanceStreams(http.server, this);
  }

  /** The HTTP server (the websocket streams share its port). */
  get httpServer(): Server {
    return this.http.server;
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
    const http = await BinanceHttp.start({
      offline: () => self!.offline,
      takeFault: (path) => self!.fault(path),
      onRequest: (method, path, params) => self!.onRequest?.(method, path, params),
      route: (...request) => self!.route(...request),
      contentType: 'application/json;charset=UTF-8',
    });
    self = new BinanceSpotServer(http, options);
    return self;
  }

  /**
   * A ccxt exchange's `urls.api` with every host replaced by this server (paths kept), so that no
   * call of the exchange leaves loopback: `ex.urls.api = server.ccxtUrls(ex.urls.api)`.
   */
  ccxtUrls(api: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(api).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, loopbackUrls(this.url, v) as string]));
  }

  /** Points a ccxt exchange (REST and, for a pro class, websockets: `ws://` on this port) at this server. */
  pointCcxt(exchange: { urls: { api: Record<string, unknown> } }): void {
    const ws = exchange.urls.api.ws;
    exchange.urls.api = { ...this.ccxtUrls(exchange.urls.api), ...(ws ? { ws: loopbackUrls(this.url, ws) } : {}) };
  }

  async close(): Promise<void> {
    await this.streams.close();
    await this.http.close();
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

  /** The next `count` requests (to `path` when given) get HTTP 429 `{"code":-1003}` with `Retry-After: retryAfter` (seconds). */
  rateLimitNext(count = 1, path?: string, retryAfter = 0): void {
    for (let i = 0; i < count; i++) this.faults.push({ kind: '429', retryAfter, ...(path ? { path } : {}) });
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

  /** The queued fault for a request to `path`, as the answer to send. */
  private fault(path: string): FaultAnswer | undefined {
    const fault = takeFault(this.faults, path);
    if (!fault) return undefined;
    if (fault.kind === '429') {
      const msg = 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.';
      return { status: 429, body: JSON.stringify({ code: -1003, msg }), headers: { 'Retry-After': String(fault.retryAfter ?? 0) } };
    }
    if (fault.kind === 'malformed') return { status: 200, body: '{"symbol":"BTCUSDT","orderId":' };
    return { status: 200, body: JSON.stringify([{ unexpected: true }, 42, null]) };
  }

  private checkSigned(raw: string, body: string, apiKey: unknown, params: URLSearchParams): void {
    checkBinanceSignature({ apiKey: this.options.apiKey, secret: this.options.secret, now: this.now() }, raw, body, apiKey, params);
  }

  private spec(params: URLSearchParams): BinanceSymbolSpec {
    return symbolOf(this.specs, params);
  }

  private route(method: string, path: string, p: URLSearchParams, raw: string, body: string, apiKey: unknown): unknown {
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /api/v3/ping': return {};
      case 'GET /api/v3/time': return { serverTime: this.now() };
      case 'GET /api/v3/exchangeInfo': return spotExchangeInfo(this.specs.values(), this.now());
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
      case 'GET /api/v3/order': return spotOrderJson(this.findOrder(p));
      case 'DELETE /api/v3/order': return this.cancel(p);
      case 'GET /api/v3/openOrders': return openOrders(this.orders, p).map(spotOrderJson);
      case 'GET /api/v3/myTrades': return this.myTrades(p);
      case 'GET /api/v3/account': return spotAccount(this.balances, this.now());
      // what a default ccxt.binance with keys loads besides the markets: the currencies
      case 'GET /sapi/v1/capital/config/getall': return spotCurrencies(this.specs.values(), this.balances);
      // and the margin pairs (this account has no margin trading: none)
      case 'GET /sapi/v1/margin/allPairs':
      case 'GET /sapi/v1/margin/isolated/allPairs': return [];
    }
    throw new ApiError(404, -1000, `${method} ${path} is not served by this local Binance server`);
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
    const { side, type } = sideAndType(p);
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
    return { ...spotOrderJson(o), transactTime: now, fills };
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
    return findOrder(this.orders, this.spec(p).symbol, p);
  }

  private cancel(p: URLSearchParams): unknown {
    const o = orderToCancel(this.orders, this.spec(p).symbol, p);
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
    return { ...spotOrderJson(o), origClientOrderId: o.clientOrderId, transactTime: o.updateTime };
  }

  private myTrades(p: URLSearchParams): unknown {
    return tradesQuery(this.trades, this.spec(p).symbol, p)
      .map((t) => ({
        symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: fmt(t.price), qty: fmt(t.qty), quoteQty: fmt(t.quoteQty),
        commission: fmt(t.commission), commissionAsset: t.commissionAsset, time: t.time, isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true,
      }));
  }
}

/** Starts a {@link BinanceSpotServer} on an ephemeral loopback port. */
export const startBinanceSpotServer = (options: BinanceSpotServerOptions) => BinanceSpotServer.start(options);
