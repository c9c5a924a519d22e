/**
 * Binance's websocket streams, served on the port of a local Binance REST server (spot or USDⓈ-M
 * futures), written from Binance's public documentation of its WebSocket Streams and WebSocket
 * API, for what ccxt's pro classes use:
 *
 * - market streams on `/ws/<n>` (spot) or `/public/ws/<n>` and `/market/ws/<n>` (futures): a
 *   client sends `{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}` and gets
 *   `{"result":null,"id":1}`, then raw events: `<symbol>@trade` (`e: trade`), `<symbol>@depth` and
 *   `<symbol>@depth@100ms` (`e: depthUpdate` with first and last update ids `U`/`u`, applied on
 *   top of the REST snapshot `/api/v3/depth` by the `U`/`u` rule), `<symbol>@kline_<interval>`;
 * - the user data stream through a listen key (`POST /api/v3/userDataStream` or
 *   `/fapi/v1/listenKey`, then `/ws/<listenKey>` or `/private/ws?listenKey=...`);
 * - the WebSocket API on `/ws-api/v3`, whose `userDataStream.subscribe.signature` request (signed
 *   as a REST call) subscribes the connection to the account's events, delivered as
 *   `{"subscriptionId":0,"event":{...}}` — how ccxt's spot `watchOrders`/`watchMyTrades`/`watchBalance`
 *   listen since Binance retired spot listen keys.
 *
 * Account events: spot `executionReport` and `outboundAccountPosition`; futures send their own
 * (`ORDER_TRADE_UPDATE`, `ACCOUNT_UPDATE`) through {@link StreamMarket.userEvents}. Faults on
 * demand: {@link BinanceStreams.dropAll} (every socket closed, as a venue restart does) and
 * {@link BinanceStreams.sendRaw} (a malformed frame).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BinanceServerEvent } from './binance-types.js';

/** What the streams need from the simulated market behind them. */
export interface StreamMarket {
  readonly isOffline: boolean;
  subscribe(fn: (e: BinanceServerEvent) => void): () => void;
  hasListenKey(key: string): boolean;
  /** Throws an error with `code` and `message` when the signed parameters do not check out. */
  verifyWsSignature(params: Record<string, unknown>): void;
  /** The user data stream's events for one market event (spot's by default). */
  userEvents?(e: BinanceServerEvent, now: number): unknown[];
  allBalances(): Map<string, { free: number; locked: number }>;
}

type Kind = 'market' | 'user' | 'api';

interface Conn {
  ws: WebSocket;
  kind: Kind;
  streams: Set<string>;
  /** WebSocket API connections: subscribed to the account's events under this id. */
  subscriptionId?: number;
}

const fmt = (n: number) => n.toFixed(8);
const INTERVAL_MS: Record<string, number> = { '1m': 60_000, '3m': 180_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 };

/** The streams of one local Binance server (see the module comment). */
export class BinanceStreams {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private readonly off: () => void;
  private nextSubscriptionId = 0;
  /** What happened on the streams, for assertions. */
  readonly stats = { connections: 0, subscribes: 0, userSubscribes: 0, framesSent: 0 };

  constructor(server: Server, private readonly market: StreamMarket, private readonly now: () => number = Date.now) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.market.isOffline) {
        socket.destroy();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const kind = this.kindOf(url);
      if (!kind) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, kind));
    });
    this.off = market.subscribe((e) => this.onMarket(e));
  }

  /** Closes every socket (code 1006 as seen by the client: an abnormal drop, as a venue restart). */
  dropAll(): void {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
  }

  /** Sends `text` as it is to every open socket of `kind` (default all): a malformed or unexpected frame. */
  sendRaw(text: string, kind?: Kind): void {
    for (const c of this.conns) if (!kind || c.kind === kind) this.send(c, text);
  }

  /** Open sockets by kind. */
  open(kind?: Kind): number {
    return [...this.conns].filter((c) => !kind || c.kind === kind).length;
  }

  async close(): Promise<void> {
    this.off();
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private kindOf(url: URL): Kind | undefined {
    if (url.pathname.startsWith('/ws-api/')) return 'api';
    const key = url.searchParams.get('listenKey') ?? url.pathname.split('/').pop() ?? '';
    if (this.market.hasListenKey(key)) return 'user';
    if (/^\/(?:ws|public\/ws|market\/ws|stream)(?:\/|$)/.test(url.pathname)) return 'market';
    return undefined;
  }

  private accept(ws: WebSocket, kind: Kind): void {
    const conn: Conn = { ws, kind, streams: new Set() };
    this.conns.add(conn);
    this.stats.connections++;
    ws.on('close', () => this.conns.delete(conn));
    ws.on('error', () => this.conns.delete(conn));
    ws.on('message', (data) => this.onFrame(conn, String(data)));
  }

  private send(c: Conn, payload: unknown): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    this.stats.framesSent++;
    c.ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  private onFrame(c: Conn, text: string): void {
    let req: { id?: unknown; method?: unknown; params?: unknown };
    try {
      req = JSON.parse(text) as typeof req;
    } catch {
      // Binance answers a frame it cannot read with an error and keeps the connection
      this.send(c, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
      return;
    }
    if (c.kind === 'api') return this.onApiRequest(c, req);
    const id = req.id ?? null;
    const params = Array.isArray(req.params) ? req.params.map(String) : [];
    switch (req.method) {
      case 'SUBSCRIBE':
        for (const s of params) c.streams.add(s);
        this.stats.subscribes++;
        return this.send(c, { result: null, id });
      case 'UNSUBSCRIBE':
        for (const s of params) c.streams.delete(s);
        return this.send(c, { result: null, id });
      case 'LIST_SUBSCRIPTIONS':
        return this.send(c, { result: [...c.streams], id });
      default:
        return this.send(c, { error: { code: 2, msg: `Invalid request: unknown method '${String(req.method)}'` }, id });
    }
  }

  private onApiRequest(c: Conn, req: { id?: unknown; method?: unknown; params?: unknown }): void {
    const id = req.id ?? null;
    const params = (typeof req.params === 'object' && req.params !== null ? req.params : {}) as Record<string, unknown>;
    const ok = (result: unknown) => this.send(c, { id, status: 200, result, rateLimits: [] });
    switch (req.method) {
      case 'ping': return ok({});
      case 'time': return ok({ serverTime: this.now() });
      case 'userDataStream.subscribe.signature': {
        try {
          this.market.verifyWsSignature(params);
        } catch (err) {
          const e = err as { code?: number; message: string; http?: number };
          return this.send(c, { id, status: e.http ?? 400, error: { code: e.code ?? -1022, msg: e.message } });
        }
        c.subscriptionId = this.nextSubscriptionId++;
        this.stats.userSubscribes++;
        return ok({ subscriptionId: c.subscriptionId });
      }
      case 'userDataStream.unsubscribe':
        delete c.subscriptionId;
        return ok({});
      default:
        return this.send(c, { id, status: 400, error: { code: -1100, msg: `Unknown method '${String(req.method)}'.` } });
    }
  }

  // ---- the market's events to the streams ----

  private onMarket(e: BinanceServerEvent): void {
    if (this.market.isOffline) return;
    const now = this.now();
    if (e.type === 'print') {
      const stream = `${e.symbol.toLowerCase()}@trade`;
      const msg = { e: 'trade', E: now, s: e.symbol, t: e.id, p: fmt(e.price), q: fmt(e.qty), T: e.time, m: e.buyerMaker, M: true };
      this.toMarket((s) => s === stream, msg);
      return;
    }
    if (e.type === 'depth') {
      const lower = e.symbol.toLowerCase();
      const msg = {
        e: 'depthUpdate', E: now, s: e.symbol, U: e.firstId, u: e.lastId,
        b: e.bids.map(([p, q]) => [fmt(p), fmt(q)]), a: e.asks.map(([p, q]) => [fmt(p), fmt(q)]),
      };
      this.toMarket((s) => s === `${lower}@depth` || s.startsWith(`${lower}@depth@`), msg);
      return;
    }
    if (e.type === 'kline') {
      const lower = e.symbol.toLowerCase();
      const k = e.kline;
      for (const [interval, ms] of Object.entries(INTERVAL_MS)) {
        if (k.closeTime - k.openTime + 1 !== ms) continue;
        const msg = {
          e: 'kline', E: now, s: e.symbol,
          k: {
            t: k.openTime, T: k.closeTime, s: e.symbol, i: interval, f: -1, L: -1, o: fmt(k.open), c: fmt(k.close), h: fmt(k.high), l: fmt(k.low),
            v: fmt(k.volume), n: 1, x: e.closed, q: fmt(k.volume * k.close), V: '0', Q: '0', B: '0',
          },
        };
        this.toMarket((s) => s === `${lower}@kline_${interval}`, msg);
      }
      return;
    }
    const events = this.market.userEvents ? this.market.userEvents(e, now) : spotUserEvents(e, now, this.market.allBalances());
    for (const ev of events) {
      for (const c of this.conns) {
        if (c.kind === 'user') this.send(c, ev);
        else if (c.kind === 'api' && c.subscriptionId !== undefined) this.send(c, { subscriptionId: c.subscriptionId, event: ev });
      }
    }
  }

  private toMarket(match: (stream: string) => boolean, msg: unknown): void {
    for (const c of this.conns) if (c.kind === 'market' && [...c.streams].some(match)) this.send(c, msg);
  }
}

/** Spot's user data events: `executionReport` per order change, `outboundAccountPosition` per balance change. */
export function spotUserEvents(e: BinanceServerEvent, now: number, balances: Map<string, { free: number; locked: number }>): unknown[] {
  if (e.type === 'balance') {
    return [{ e: 'outboundAccountPosition', E: now, u: now, B: e.assets.map((a) => ({ a, f: fmt(balances.get(a)?.free ?? 0), l: fmt(balances.get(a)?.locked ?? 0) })) }];
  }
  if (e.type !== 'execution') return [];
  const o = e.order;
  const t = e.trade;
  return [{
    e: 'executionReport', E: now, s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: fmt(o.origQty), p: fmt(o.price),
    P: '0.00000000', F: '0.00000000', g: -1, C: e.execType === 'CANCELED' ? o.clientOrderId : '', x: e.execType, X: o.status, r: 'NONE',
    i: o.orderId, l: fmt(t?.qty ?? 0), z: fmt(o.executedQty), L: fmt(t?.price ?? 0), n: fmt(t?.commission ?? 0), N: t ? t.commissionAsset : null,
    T: t?.time ?? o.updateTime, t: t?.id ?? -1, v: 0, I: 0, w: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED', m: t?.isMaker ?? false, M: false,
    O: o.time, Z: fmt(o.quote), Y: fmt(t?.quoteQty ?? 0), Q: '0.00000000', W: o.time, V: 'EXPIRE_MAKER',
  }];
}
