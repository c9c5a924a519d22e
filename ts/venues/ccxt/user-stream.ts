/**
 * The account's events over ccxt's websockets: `watchOrders` (order changes) and `watchMyTrades`
 * (executions) as two loops on the venue's user data stream (Binance: the WebSocket API's signed
 * subscription for spot, a listen key for futures). The broker adapter turns what arrives into
 * its order and fill events; REST polling stays as the reconciliation after a drop.
 */
import type { BackoffOptions, ConnectionMachine } from '../connection.js';
import { isTransient } from './errors.js';
import type { CcxtOrder, CcxtTrade } from './exchange.js';
import { prepareWebsockets, watchLoop, type WatchLoop } from './watch.js';

/** The ccxt pro methods the user stream calls. */
export interface CcxtWatchingExchange {
  watchOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  watchMyTrades(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  authenticate?(params?: Record<string, unknown>): Promise<unknown>;
  close?(): Promise<void>;
}

/** What the stream hands over. */
export interface UserStreamHandlers {
  onOrders(orders: CcxtOrder[]): Promise<void> | void;
  onTrades(trades: CcxtTrade[]): Promise<void> | void;
  /** Back after a drop: reconcile (fills and order states made while the socket was down). */
  onReconnect(): void;
  /** Not the connection: counted as malformed by the adapter. */
  onFailure(err: unknown, what: string): void;
}

/** A running user stream. */
export interface UserStream {
  /** A socket of the exchange opened (see `guardSockets`): the loops that had dropped are back. */
  socketOpened(): void;
  stop(): Promise<void>;
}

/**
 * Opens the user stream: authenticates first where the exchange has a call for it (so that an
 * order sent right after `connect()` has its events on the stream), then runs both loops.
 */
export async function startUserStream(exchange: CcxtWatchingExchange, conn: ConnectionMachine, h: UserStreamHandlers, backoff?: BackoffOptions): Promise<UserStream> {
  await prepareWebsockets(exchange, backoff);
  if (typeof exchange.authenticate === 'function') {
    try {
      await exchange.authenticate();
    } catch (err) {
      // the loops authenticate again on their first call (a rate limit or an outage is retried
      // there with backoff); only a refusal is worth counting here
      if (!isTransient(err)) h.onFailure(err, 'authenticate');
    }
  }
  // both loops share the socket: one reconciliation per reconnect
  let reconciling = false;
  const onReconnect = () => {
    if (reconciling) return;
    reconciling = true;
    queueMicrotask(() => {
      reconciling = false;
      h.onReconnect();
    });
  };
  const loops: WatchLoop[] = [
    watchLoop({ what: 'watchOrders', conn, backoff, watch: () => exchange.watchOrders(), onData: (o) => h.onOrders(o), onReconnect, onFailure: (e) => h.onFailure(e, 'watchOrders') }),
    watchLoop({ what: 'watchMyTrades', conn, backoff, watch: () => exchange.watchMyTrades(), onData: (t) => h.onTrades(t), onReconnect, onFailure: (e) => h.onFailure(e, 'watchMyTrades') }),
  ];
  return {
    socketOpened() {
      for (const l of loops) l.socketOpened();
    },
    async stop() {
      for (const l of loops) l.stop();
      // closing the sockets settles the pending watch calls
      await exchange.close?.().catch(() => undefined);
      await Promise.race([Promise.all(loops.map((l) => l.done)), new Promise((r) => setTimeout(r, 1000).unref?.())]);
    },
  };
}
