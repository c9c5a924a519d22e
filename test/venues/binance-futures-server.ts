/**
 * A local server on loopback that speaks Binance USDⓈ-M futures' REST API (`/fapi/...`) for the
 * calls ccxt's `binanceusdm` makes when it trades a perpetual, written from Binance's public
 * documentation: exchangeInfo (PRICE_FILTER, LOT_SIZE, MIN_NOTIONAL, PERCENT_PRICE), order (POST,
 * GET, DELETE), openOrders, userTrades, positionRisk and account (v2 and v3), balance, leverage,
 * leverageBracket, ticker/bookTicker, ticker/price and the listen key; the user data stream
 * (`ORDER_TRADE_UPDATE`, `ACCOUNT_UPDATE`) on `/private/ws?listenKey=...` through ./binance-streams.ts.
 * Requests are signed as on spot (HMAC-SHA256 of the query and body).
 *
 * Behind it: one cross-margin USDT wallet in one-way mode. A position is signed (a sell from flat
 * opens a short); its entry price is the average of the fills that built it, and a fill that
 * reduces it realizes profit into the wallet. An order needs initial margin (notional ÷ leverage)
 * from the available balance, else `-2019 Margin is insufficient.`; a limit price beyond the
 * PERCENT_PRICE band around the mark price is refused with `-4016`/`-4024` and Binance's text.
 *
 * ```ts
 * const server = await startBinanceFuturesServer({ apiKey: 'k', secret: 's' });
 * const ex = new ccxt.pro.binanceusdm({ apiKey: 'k', secret: 's', options: { fetchMarkets: { types: ['linear'] } } });
 * server.pointCcxt(ex);
 * ```
 */
import { createHmac } from 'node:crypto';
import { ApiError, BinanceHttp, checkBinanceSignature, checkWsSignature, findOrder, loopbackUrls, openOrders, orderToCancel, sideAndType, symbolOf, takeFault, tradesQuery, type FaultAnswer } from './binance-http.js';
import type { BinanceServerEvent, Order, Trade } from './binance-types.js';
import { BinanceStreams } from './binance-streams.js';

/** A perpetual the server lists. */
export interface FuturesSymbolSpec {
  symbol: string;
  baseAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
}

export interface BinanceFuturesServerOptions {
  apiKey: string;
  secret: string;
  symbols?: FuturesSymbolSpec[];
  /** USDT in the wallet (default 10,000). */
  wallet?: number;
  /** Leverage of every symbol until changed (default 10). */
  leverage?: number;
  now?: () => number;
}

const DEFAULT: FuturesSymbolSpec = { symbol: 'BTCUSDT', baseAsset: 'BTC', tickSize: '0.10', stepSize: '0.001', minQty: '0.001', minNotional: '5' };
const BAND = 0.05;
const fmt = (n: number, d = 8) => n.toFixed(d);
const decimals = (s: string) => (s.replace(/0+$/, '').split('.')[1] ?? '').length;

interface Position { amt: number; entry: number }

/** The server (see the module comment). */
export class BinanceFuturesServer {
  readonly url: string;
  readonly streams: BinanceStreams;
  /** Every request the server answered or refused: method, path and HTTP status. */
  readonly requests: { method: string; path: string; status: number }[];
  private readonly specs = new Map<string, FuturesSymbolSpec>();
  private readonly last = new Map<string, number>();
  private readonly positions = new Map<string, Position>();
  private readonly leverage = new Map<string, number>();
  private readonly orders: (Order & { realized: number })[] = [];
  private readonly trades: (Trade & { realizedPnl: number })[] = [];
  private readonly listeners = new Set<(e: BinanceServerEvent) => void>();
  private readonly listenKeys = new Set<string>();
  private faults: { kind: '429' | '418'; path?: string; retryAfter: number }[] = [];
  private wallet: number;
  private nextOrderId = 1;
  private nextTradeId = 1;
  private offline = false;

  private constructor(private readonly http: BinanceHttp, private readonly options: BinanceFuturesServerOptions) {
    this.url = http.url;
    this.requests = http.requests;
    for (const s of options.symbols ?? [DEFAULT]) this.specs.set(s.symbol, s);
    this.wallet = options.wallet ?? 10_000;
    const me = this;
    this.streams = new BinanceStreams(http.server, {
      get isOffline() {
        return me.offline;
      },
      subscribe: (fn) => {
        this.listeners.add(fn);
        return () => this.listeners.delete(fn);
      },
      hasListenKey: (k) => this.listenKeys.has(k),
      verifyWsSignature: (p) => checkWsSignature(this.options, p),
      userEvents: (e, now) => this.userEvents(e, now),
      allBalances: () => new Map([['USDT', { free: this.available(), locked: 0 }]]),
    });
  }

  static async start(options: BinanceFuturesServerOptions): Promise<BinanceFuturesServer> {
    let self: BinanceFuturesServer | undefined;
    const http = await BinanceHttp.start({
      offline: () => self!.offline,
      takeFault: (path) => self!.fault(path),
      route: (...request) => self!.route(...request),
    });
    self = new BinanceFuturesServer(http, options);
    return self;
  }

  /** Points a ccxt `binanceusdm` (REST and, for the pro class, websockets) at this server. */
  pointCcxt(exchange: { urls: { api: Record<string, unknown> } }): void {
    exchange.urls.api = loopbackUrls(this.url, exchange.urls.api) as Record<string, unknown>;
  }

  async close(): Promise<void> {
    await this.streams.close();
    await this.http.close();
  }

  // ---- the market, driven by the test ----

  /** A trade at `price`: the mark price moves there and resting limits it reaches fill. */
  setPrice(symbol: string, price: number): void {
    this.last.set(symbol, price);
    for (const o of this.orders) {
      if (o.symbol !== symbol || o.type !== 'LIMIT' || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) continue;
      if ((o.side === 'BUY' && price <= o.price) || (o.side === 'SELL' && price >= o.price)) this.execute(o, o.price, o.origQty - o.executedQty, true);
    }
  }

  /** Sets the last trade and mark price without filling anything (a new bar's open, before orders meet it). */
  setMark(symbol: string, price: number): void {
    this.last.set(symbol, price);
  }

  /** The next `count` requests (to `path` when given) get HTTP 429 (or 418, an IP ban) with `Retry-After: retryAfter` (seconds). */
  rateLimitNext(count = 1, path?: string, status: 429 | 418 = 429, retryAfter = 0): void {
    for (let i = 0; i < count; i++) this.faults.push({ kind: status === 418 ? '418' : '429', retryAfter, ...(path ? { path } : {}) });
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
    if (offline) this.streams.dropAll();
  }

  /** The signed position of `symbol` and its entry price. */
  position(symbol: string): Readonly<Position> {
    return { ...(this.positions.get(symbol) ?? { amt: 0, entry: 0 }) };
  }

  /** The leverage set on `symbol` (POST /fapi/v1/leverage), or the default. */
  leverageOf(symbol: string): number {
    return this.lev(symbol);
  }

  walletBalance(): number {
    return this.wallet;
  }

  listOrders(): readonly Readonly<Order>[] {
    return this.orders;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private publish(e: BinanceServerEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  // ---- margin ----

  private lev(symbol: string): number {
    return this.leverage.get(symbol) ?? this.options.leverage ?? 10;
  }

  private unrealized(): number {
    let u = 0;
    for (const [s, p] of this.positions) u += p.amt * ((this.last.get(s) ?? p.entry) - p.entry);
    return u;
  }

  private positionMargin(): number {
    let m = 0;
    for (const [s, p] of this.positions) m += (Math.abs(p.amt) * (this.last.get(s) ?? p.entry)) / this.lev(s);
    return m;
  }

  private orderMargin(): number {
    let m = 0;
    for (const o of this.orders) if (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') m += ((o.origQty - o.executedQty) * o.price) / this.lev(o.symbol);
    return m;
  }

  private available(): number {
    return this.wallet + this.unrealized() - this.positionMargin() - this.orderMargin();
  }

  // ---- HTTP ----

  /** The queued fault for a request to `path`, as the answer to send. */
  private fault(path: string): FaultAnswer | undefined {
    const fault = takeFault(this.faults, path);
    if (!fault) return undefined;
    const headers = { 'Retry-After': String(fault.retryAfter) };
    if (fault.kind === '418') {
      return { status: 418, body: JSON.stringify({ code: -1003, msg: 'Way too many requests; IP banned until 1800000000000. Please use the websocket for live updates to avoid bans.' }), headers };
    }
    return { status: 429, body: JSON.stringify({ code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.' }), headers };
  }

  private spec(p: URLSearchParams): FuturesSymbolSpec {
    return symbolOf(this.specs, p);
  }

  private route(method: string, path: string, p: URLSearchParams, raw: string, body: string, apiKey: unknown): unknown {
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /fapi/v1/ping': return {};
      case 'GET /fapi/v1/time': return { serverTime: this.now() };
      case 'GET /fapi/v1/exchangeInfo': return this.exchangeInfo();
      case 'GET /fapi/v1/ticker/bookTicker': {
        const s = this.spec(p);
        const px = this.last.get(s.symbol) ?? 0;
        const tick = Number(s.tickSize);
        return { symbol: s.symbol, bidPrice: fmt(px - tick, 2), bidQty: '1.000', askPrice: fmt(px + tick, 2), askQty: '1.000', time: this.now() };
      }
      case 'GET /fapi/v1/ticker/price': {
        const s = this.spec(p);
        return { symbol: s.symbol, price: fmt(this.last.get(s.symbol) ?? 0, 2), time: this.now() };
      }
      case 'POST /fapi/v1/listenKey':
      case 'PUT /fapi/v1/listenKey':
      case 'DELETE /fapi/v1/listenKey': {
        if (apiKey !== this.options.apiKey) throw new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
        if (method === 'POST') {
          const k = createHmac('sha256', this.options.secret).update(`fapi-listen-${this.listenKeys.size}-${this.now()}`).digest('base64url').slice(0, 60);
          this.listenKeys.add(k);
          return { listenKey: k };
        }
        return {};
      }
    }
    checkBinanceSignature({ apiKey: this.options.apiKey, secret: this.options.secret, now: this.now() }, raw, body, apiKey, p);
    switch (key) {
      case 'POST /fapi/v1/order': return this.newOrder(p);
      case 'GET /fapi/v1/order': return this.orderJson(this.findOrder(p));
      case 'DELETE /fapi/v1/order': return this.cancel(p);
      case 'GET /fapi/v1/openOrders': return openOrders(this.orders, p).map((o) => this.orderJson(o));
      case 'GET /fapi/v1/userTrades': return this.userTrades(p);
      case 'GET /fapi/v2/positionRisk':
      case 'GET /fapi/v3/positionRisk': return this.positionRisk(p);
      case 'GET /fapi/v2/account':
      case 'GET /fapi/v3/account': return this.account();
      case 'GET /fapi/v2/balance':
      case 'GET /fapi/v3/balance': return [this.usdtAsset()];
      case 'GET /fapi/v1/leverageBracket': {
        const symbols = p.get('symbol') ? [this.spec(p).symbol] : [...this.specs.keys()];
        return symbols.map((symbol) => ({
          symbol, notionalCoef: 1,
          brackets: [
            { bracket: 1, initialLeverage: 125, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 },
            { bracket: 2, initialLeverage: 100, notionalCap: 600_000, notionalFloor: 50_000, maintMarginRatio: 0.005, cum: 50 },
          ],
        }));
      }
      case 'POST /fapi/v1/leverage': {
        const s = this.spec(p);
        const lev = Number(p.get('leverage'));
        if (!Number.isInteger(lev) || lev < 1 || lev > 125) throw new ApiError(400, -4028, `Leverage ${p.get('leverage')} is not valid`);
        this.leverage.set(s.symbol, lev);
        return { leverage: lev, maxNotionalValue: '1000000', symbol: s.symbol };
      }
    }
    throw new ApiError(404, -1000, `${method} ${path} is not served by this local Binance futures server`);
  }

  private exchangeInfo(): unknown {
    return {
      timezone: 'UTC', serverTime: this.now(), futuresType: 'U_MARGINED',
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }, { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 }],
      exchangeFilters: [], assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
      symbols: [...this.specs.values()].map((s) => ({
        symbol: s.symbol, pair: s.symbol, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000, status: 'TRADING',
        maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: s.baseAsset, quoteAsset: 'USDT', marginAsset: 'USDT',
        pricePrecision: decimals(s.tickSize), quantityPrecision: decimals(s.stepSize), baseAssetPrecision: 8, quotePrecision: 8,
        underlyingType: 'COIN', underlyingSubType: ['PoW'], triggerProtect: '0.0500', liquidationFee: '0.012500', marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: '4529764', tickSize: s.tickSize },
          { filterType: 'LOT_SIZE', stepSize: s.stepSize, maxQty: '1000', minQty: s.minQty },
          { filterType: 'MARKET_LOT_SIZE', stepSize: s.stepSize, maxQty: '120', minQty: s.minQty },
          { filterType: 'MAX_NUM_ORDERS', limit: 200 },
          { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
          { filterType: 'MIN_NOTIONAL', notional: s.minNotional },
          { filterType: 'PERCENT_PRICE', multiplierUp: fmt(1 + BAND, 4), multiplierDown: fmt(1 - BAND, 4), multiplierDecimal: '4' },
        ],
        orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
        timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
      })),
    };
  }

  private newOrder(p: URLSearchParams): unknown {
    const s = this.spec(p);
    const { side, type } = sideAndType(p);
    const clientOrderId = p.get('newClientOrderId') ?? `srv${this.nextOrderId}`;
    if (this.orders.some((o) => o.clientOrderId === clientOrderId)) throw new ApiError(400, -4116, 'ClientOrderId is duplicated.');
    const qtyText = p.get('quantity') ?? '';
    const qty = Number(qtyText);
    if (!(qty > 0) || decimals(qtyText) > decimals(s.stepSize) || qty < Number(s.minQty)) throw new ApiError(400, -1111, 'Precision is over the maximum defined for this asset.');
    const mark = this.last.get(s.symbol);
    if (mark === undefined) throw new ApiError(400, -1013, 'No mark price yet on this symbol.');
    let price = mark;
    if (type === 'LIMIT') {
      const priceText = p.get('price') ?? '';
      price = Number(priceText);
      if (!(price > 0)) throw new ApiError(400, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
      if (decimals(priceText) > decimals(s.tickSize)) throw new ApiError(400, -4014, 'Price not increased by tick size.');
      if (!p.get('timeInForce')) throw new ApiError(400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
      const up = mark * (1 + BAND);
      const down = mark * (1 - BAND);
      if (side === 'BUY' && price > up) throw new ApiError(400, -4016, `Limit price can't be higher than ${fmt(up, decimals(s.tickSize))}.`);
      if (side === 'SELL' && price < down) throw new ApiError(400, -4024, `Limit price can't be lower than ${fmt(down, decimals(s.tickSize))}.`);
    }
    if (qty * price < Number(s.minNotional)) throw new ApiError(400, -4164, `Order's notional must be no smaller than ${s.minNotional} (unless you choose reduce only).`);
    // initial margin for what the order adds to the position (a reducing order needs none)
    const pos = this.positions.get(s.symbol)?.amt ?? 0;
    const signed = side === 'BUY' ? qty : -qty;
    const adds = Math.max(0, Math.abs(pos + signed) - Math.abs(pos));
    if ((adds * price) / this.lev(s.symbol) > this.available() + 1e-9) throw new ApiError(400, -2019, 'Margin is insufficient.');
    const now = this.now();
    const o: Order & { realized: number } = {
      symbol: s.symbol, orderId: this.nextOrderId++, clientOrderId, price: type === 'LIMIT' ? price : 0, origQty: qty, executedQty: 0, quote: 0,
      status: 'NEW', timeInForce: type === 'LIMIT' ? p.get('timeInForce')! : 'GTC', type, side, time: now, updateTime: now, realized: 0,
    };
    this.orders.push(o);
    this.publish({ type: 'execution', execType: 'NEW', order: o });
    if (type === 'MARKET') this.execute(o, mark, qty, false);
    else if ((side === 'BUY' && mark <= price) || (side === 'SELL' && mark >= price)) this.execute(o, mark, qty, false);
    return this.orderJson(o);
  }

  private execute(o: Order & { realized: number }, price: number, qty: number, maker: boolean): void {
    const now = this.now();
    o.executedQty += qty;
    o.quote += qty * price;
    o.status = o.executedQty >= o.origQty - 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = now;
    // one-way mode: the fill moves the signed position; what it closes is realized at the entry
    const pos = this.positions.get(o.symbol) ?? { amt: 0, entry: 0 };
    const signed = o.side === 'BUY' ? qty : -qty;
    let realized = 0;
    if (pos.amt === 0 || Math.sign(pos.amt) === Math.sign(signed)) {
      pos.entry = (pos.entry * Math.abs(pos.amt) + price * qty) / (Math.abs(pos.amt) + qty);
      pos.amt += signed;
    } else {
      const closing = Math.min(Math.abs(pos.amt), qty);
      realized = closing * (price - pos.entry) * Math.sign(pos.amt);
      pos.amt += signed;
      if (Math.abs(pos.amt) < 1e-12) pos.amt = 0;
      if (pos.amt !== 0 && Math.sign(pos.amt) === Math.sign(signed)) pos.entry = price; // flipped: the rest opens here
      if (pos.amt === 0) pos.entry = 0;
    }
    this.positions.set(o.symbol, pos);
    this.wallet += realized;
    o.realized += realized;
    const t: Trade & { realizedPnl: number } = {
      symbol: o.symbol, id: this.nextTradeId++, orderId: o.orderId, price, qty, quoteQty: qty * price, commission: 0, commissionAsset: 'USDT',
      time: now, isBuyer: o.side === 'BUY', isMaker: maker, realizedPnl: realized,
    };
    this.trades.push(t);
    this.publish({ type: 'execution', execType: 'TRADE', order: o, trade: t });
    this.publish({ type: 'balance', assets: ['USDT'] });
  }

  private findOrder(p: URLSearchParams): Order & { realized: number } {
    return findOrder(this.orders, this.spec(p).symbol, p);
  }

  private cancel(p: URLSearchParams): unknown {
    const o = orderToCancel(this.orders, this.spec(p).symbol, p);
    o.status = 'CANCELED';
    o.updateTime = this.now();
    this.publish({ type: 'execution', execType: 'CANCELED', order: o });
    return this.orderJson(o);
  }

  private userTrades(p: URLSearchParams): unknown {
    return tradesQuery(this.trades, this.spec(p).symbol, p)
      .map((t) => ({
        buyer: t.isBuyer, commission: fmt(t.commission), commissionAsset: 'USDT', id: t.id, maker: t.isMaker, orderId: t.orderId, price: fmt(t.price, 2),
        qty: fmt(t.qty, 3), quoteQty: fmt(t.quoteQty), realizedPnl: fmt(t.realizedPnl), side: t.isBuyer ? 'BUY' : 'SELL', positionSide: 'BOTH', symbol: t.symbol, time: t.time,
      }));
  }

  private positionJson(symbol: string): Record<string, unknown> {
    const pos = this.positions.get(symbol) ?? { amt: 0, entry: 0 };
    const mark = this.last.get(symbol) ?? pos.entry;
    const notional = pos.amt * mark;
    const im = Math.abs(notional) / this.lev(symbol);
    return {
      symbol, positionSide: 'BOTH', positionAmt: fmt(pos.amt, 3), entryPrice: fmt(pos.entry), breakEvenPrice: fmt(pos.entry), markPrice: fmt(mark),
      unRealizedProfit: fmt(pos.amt * (mark - pos.entry)), liquidationPrice: '0', isolatedMargin: '0', notional: fmt(notional), marginAsset: 'USDT',
      isolatedWallet: '0', initialMargin: fmt(im), maintMargin: fmt(Math.abs(notional) * 0.004), positionInitialMargin: fmt(im), openOrderInitialMargin: '0',
      adl: 0, bidNotional: '0', askNotional: '0', leverage: String(this.lev(symbol)), marginType: 'cross', isAutoAddMargin: 'false', maxNotionalValue: '1000000', updateTime: this.now(),
    };
  }

  private positionRisk(p: URLSearchParams): unknown {
    const symbols = p.get('symbol') ? [this.spec(p).symbol] : [...this.specs.keys()];
    return symbols.map((s) => this.positionJson(s));
  }

  private usdtAsset(): Record<string, unknown> {
    const u = this.unrealized();
    return {
      accountAlias: 'SgsR', asset: 'USDT', walletBalance: fmt(this.wallet), unrealizedProfit: fmt(u), marginBalance: fmt(this.wallet + u), maintMargin: '0',
      initialMargin: fmt(this.positionMargin() + this.orderMargin()), positionInitialMargin: fmt(this.positionMargin()), openOrderInitialMargin: fmt(this.orderMargin()),
      crossWalletBalance: fmt(this.wallet), crossUnPnl: fmt(u), availableBalance: fmt(this.available()), maxWithdrawAmount: fmt(Math.max(0, this.available())),
      balance: fmt(this.wallet), marginAvailable: true, updateTime: this.now(),
    };
  }

  private account(): unknown {
    const u = this.unrealized();
    return {
      totalInitialMargin: fmt(this.positionMargin() + this.orderMargin()), totalMaintMargin: '0', totalWalletBalance: fmt(this.wallet), totalUnrealizedProfit: fmt(u),
      totalMarginBalance: fmt(this.wallet + u), totalPositionInitialMargin: fmt(this.positionMargin()), totalOpenOrderInitialMargin: fmt(this.orderMargin()),
      totalCrossWalletBalance: fmt(this.wallet), totalCrossUnPnl: fmt(u), availableBalance: fmt(this.available()), maxWithdrawAmount: fmt(Math.max(0, this.available())),
      assets: [this.usdtAsset()],
      positions: [...this.specs.keys()].map((s) => this.positionJson(s)),
    };
  }

  private orderJson(o: Order & { realized: number }): Record<string, unknown> {
    return {
      orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId, price: fmt(o.price, 2), avgPrice: fmt(o.executedQty > 0 ? o.quote / o.executedQty : 0),
      origQty: fmt(o.origQty, 3), executedQty: fmt(o.executedQty, 3), cumQty: fmt(o.executedQty, 3), cumQuote: fmt(o.quote), timeInForce: o.timeInForce, type: o.type,
      reduceOnly: false, closePosition: false, side: o.side, positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', priceProtect: false,
      origType: o.type, priceMatch: 'NONE', selfTradePreventionMode: 'NONE', goodTillDate: 0, time: o.time, updateTime: o.updateTime,
    };
  }

  /** The futures user data stream: `ORDER_TRADE_UPDATE` per order change, `ACCOUNT_UPDATE` after a fill. */
  private userEvents(e: BinanceServerEvent, now: number): unknown[] {
    if (e.type === 'balance') {
      return [{
        e: 'ACCOUNT_UPDATE', E: now, T: now,
        a: {
          m: 'ORDER', B: [{ a: 'USDT', wb: fmt(this.wallet), cw: fmt(this.wallet), bc: '0' }],
          P: [...this.positions].map(([s, p]) => ({ s, pa: fmt(p.amt, 3), ep: fmt(p.entry), bep: fmt(p.entry), cr: '0', up: fmt(p.amt * ((this.last.get(s) ?? p.entry) - p.entry)), mt: 'cross', iw: '0', ps: 'BOTH' })),
        },
      }];
    }
    if (e.type !== 'execution') return [];
    const o = e.order;
    const t = e.trade as (Trade & { realizedPnl: number }) | undefined;
    return [{
      e: 'ORDER_TRADE_UPDATE', E: now, T: t?.time ?? o.updateTime,
      o: {
        s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: fmt(o.origQty, 3), p: fmt(o.price, 2), ap: fmt(o.executedQty > 0 ? o.quote / o.executedQty : 0),
        sp: '0', x: e.execType, X: o.status, i: o.orderId, l: fmt(t?.qty ?? 0, 3), z: fmt(o.executedQty, 3), L: fmt(t?.price ?? 0, 2), N: 'USDT', n: fmt(t?.commission ?? 0),
        T: t?.time ?? o.updateTime, t: t?.id ?? 0, b: '0', a: '0', m: t?.isMaker ?? false, R: false, wt: 'CONTRACT_PRICE', ot: o.type, ps: 'BOTH', cp: false,
        rp: fmt(t?.realizedPnl ?? 0), pP: false, si: 0, ss: 0, V: 'NONE', pm: 'NONE', gtd: 0,
      },
    }];
  }
}

/** Starts a {@link BinanceFuturesServer} on an ephemeral loopback port. */
export const startBinanceFuturesServer = (options: BinanceFuturesServerOptions) => BinanceFuturesServer.start(options);
