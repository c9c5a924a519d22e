/**
 * The HTTP side the local Binance servers share (spot, ./binance-spot-server.ts, and USDⓈ-M
 * futures, ./binance-futures-server.ts): a loopback listener, the request cycle (offline drops,
 * faults on demand, the query and form body as one set of parameters, Binance's JSON error
 * bodies `{"code":...,"msg":"..."}`), the signing checks as Binance documents them, and the
 * order look-ups both venues answer alike. Each server keeps only its own routes and market.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A refusal as Binance answers it: the HTTP status, Binance's error code and its message. */
export class ApiError extends Error {
  constructor(readonly http: number, readonly code: number, msg: string) {
    super(msg);
  }
}

/** A fault answered in place of the next request: status, body (sent as is) and headers. */
export interface FaultAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** What a server plugs into {@link BinanceHttp}. */
export interface BinanceHttpRoutes {
  /** While true, every connection is dropped without an answer (status 0 in the log). */
  offline(): boolean;
  /** The fault to answer the request to `path` with, if one is queued for it. */
  takeFault(path: string): FaultAnswer | undefined;
  /** The answer to a request (an {@link ApiError} is sent as Binance's error body). */
  route(method: string, path: string, params: URLSearchParams, raw: string, body: string, apiKey: unknown): unknown;
  /** Called before each request is routed. */
  onRequest?(method: string, path: string, params: URLSearchParams): void;
  /** The `Content-Type` of the answers (default `application/json`). */
  contentType?: string;
}

/** A Binance-like HTTP server on an ephemeral loopback port (see the module comment). */
export class BinanceHttp {
  readonly url: string;
  /** Every request the server answered or refused: method, path and HTTP status (0: dropped). */
  readonly requests: { method: string; path: string; status: number }[] = [];

  private constructor(readonly server: Server, private readonly routes: BinanceHttpRoutes) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Listens on loopback; `routes` is asked for each request. */
  static async start(routes: BinanceHttpRoutes): Promise<BinanceHttp> {
    let self: BinanceHttp | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new BinanceHttp(server, routes);
    return self;
  }

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const r = this.routes;
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (r.offline()) {
      this.requests.push({ method: req.method ?? '', path, status: 0 });
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'Content-Type': r.contentType ?? 'application/json', ...headers });
      res.end(payload);
    };
    const fault = r.takeFault(path);
    if (fault) return send(fault.status, fault.body, fault.headers);
    try {
      const raw = url.search.slice(1);
      const params = new URLSearchParams(raw);
      for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
      r.onRequest?.(method, path, params);
      send(200, JSON.stringify(r.route(method, path, params, raw, body, req.headers['x-mbx-apikey'])));
    } catch (err) {
      if (err instanceof ApiError) send(err.http, JSON.stringify({ code: err.code, msg: err.message }));
      else send(500, JSON.stringify({ code: -1000, msg: `An unknown error occurred while processing the request. ${(err as Error).message}` }));
    }
  }
}

/**
 * A ccxt exchange's `urls.api` entry (a URL, or an object of them, nested) with every host
 * replaced by the server at `url` (`ws://` for websocket addresses), paths kept: no call of the
 * exchange leaves loopback.
 */
export function loopbackUrls(url: string, value: unknown): unknown {
  if (typeof value === 'string') return `${value.startsWith('ws') ? url.replace(/^http/, 'ws') : url}${new URL(value).pathname}`;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, loopbackUrls(url, x)]));
  return value;
}

/** Takes the first queued fault meant for `path` (or for any path) out of `faults`. */
export function takeFault<F extends { path?: string }>(faults: F[], path: string): F | undefined {
  const at = faults.findIndex((f) => f.path === undefined || f.path === path);
  return at < 0 ? undefined : faults.splice(at, 1)[0];
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

/** The listed symbol a request names in `symbol`. */
export function symbolOf<S>(specs: ReadonlyMap<string, S>, p: URLSearchParams): S {
  const symbol = p.get('symbol');
  if (!symbol) throw new ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  const spec = specs.get(symbol);
  if (!spec) throw new ApiError(400, -1121, 'Invalid symbol.');
  return spec;
}

/** A new order's side and type (the two both servers take: BUY or SELL, LIMIT or MARKET). */
export function sideAndType(p: URLSearchParams): { side: 'BUY' | 'SELL'; type: 'LIMIT' | 'MARKET' } {
  const side = p.get('side');
  const type = p.get('type');
  if (side !== 'BUY' && side !== 'SELL') throw new ApiError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
  if (type !== 'LIMIT' && type !== 'MARKET') throw new ApiError(400, -1116, 'Invalid orderType.');
  return { side, type };
}

/** The open orders an `openOrders` query asks for (of `symbol` when given, else all). */
export function openOrders<O extends { symbol: string; status: string }>(orders: readonly O[], p: URLSearchParams): O[] {
  const symbol = p.get('symbol');
  return orders.filter((o) => (!symbol || o.symbol === symbol) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'));
}

/** What {@link findOrder} and {@link orderToCancel} need of an order. */
interface OrderKey {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  status: string;
}

/**
 * The order a request names by `orderId` or `origClientOrderId` on `symbol`: the latest one with
 * a client id (Binance allows reuse once an order is closed).
 */
export function findOrder<O extends OrderKey>(orders: readonly O[], symbol: string, p: URLSearchParams): O {
  const id = p.get('orderId');
  const cid = p.get('origClientOrderId');
  if (!id && !cid) throw new ApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
  const found = [...orders].reverse().find((o) => o.symbol === symbol && (id ? o.orderId === Number(id) : o.clientOrderId === cid));
  if (!found) throw new ApiError(400, -2013, 'Order does not exist.');
  return found;
}

/** The open order a cancel names; Binance answers `-2011 Unknown order sent.` for a missing or closed one. */
export function orderToCancel<O extends OrderKey>(orders: readonly O[], symbol: string, p: URLSearchParams): O {
  let o: O;
  try {
    o = findOrder(orders, symbol, p);
  } catch (err) {
    if (err instanceof ApiError && err.code === -2013) throw new ApiError(400, -2011, 'Unknown order sent.');
    throw err;
  }
  if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw new ApiError(400, -2011, 'Unknown order sent.');
  return o;
}

/** An account's executions a trades query asks for (`startTime`, `fromId`, `orderId`, `limit` up to 1000). */
export function tradesQuery<T extends { symbol: string; time: number; id: number; orderId: number }>(trades: readonly T[], symbol: string, p: URLSearchParams): T[] {
  const start = p.has('startTime') ? Number(p.get('startTime')) : -Infinity;
  const fromId = p.has('fromId') ? Number(p.get('fromId')) : -Infinity;
  const orderId = p.has('orderId') ? Number(p.get('orderId')) : undefined;
  const limit = Math.min(Number(p.get('limit') ?? 500), 1000);
  return trades.filter((t) => t.symbol === symbol && t.time >= start && t.id >= fromId && (orderId === undefined || t.orderId === orderId)).slice(0, limit);
}
