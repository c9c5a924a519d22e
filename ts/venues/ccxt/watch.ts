/**
 * ccxt's websocket (`watch*`) methods as loops: a `watch*` call resolves with what arrived since
 * the previous call, so a loop calls it again and again. When the socket drops, the pending call
 * rejects with a network error; the loop reports the connection `reconnecting`, waits (backoff
 * with jitter) and calls again, which makes ccxt open a new socket and subscribe again. The first
 * answer after that is a reconnect (`onReconnect`: the place to reconcile what happened meanwhile).
 * Any other failure (a frame ccxt could not use, a book whose update ids have a gap) is counted
 * and the loop goes on: a `watchOrderBook` called again takes a fresh snapshot.
 *
 * {@link guardSockets} counts the frames that are not a venue message at all (not JSON, an object
 * of no known shape) and keeps them from ccxt, so one bad frame never fails the subscriptions of
 * a socket; and it marks ccxt's internal promises of a socket handled (ccxt makes some before
 * anyone waits on them, and rejects them all when the socket drops), so a drop is never an
 * unhandled rejection of the process. Whoever waits on them still gets the error.
 */
import { backoffDelay, type BackoffOptions, type ConnectionMachine } from '../connection.js';
import { isCcxtError, isTransient } from './errors.js';

/** Options of {@link watchLoop}. */
export interface WatchLoopOptions<T> {
  /** What is watched (for logs). */
  what: string;
  conn: ConnectionMachine;
  /** One `watch*` call. */
  watch(): Promise<T>;
  /** What arrived. */
  onData(data: T): void | Promise<void>;
  /** The loop is back after a drop (after `onData` of the first answer). */
  onReconnect?(): void;
  /** A failure that is not the connection (counted by the caller). */
  onFailure(err: unknown): void;
  /** A drop (the connection is reported `reconnecting` already). */
  onDrop?(err: unknown): void;
  /**
   * ccxt found the stream's sequence broken (`InvalidNonce`/`ChecksumError`: an order book's
   * update ids have a gap): not a drop; the next call subscribes again from a fresh snapshot.
   */
  onResync?(err: unknown): void;
  backoff?: BackoffOptions | undefined;
  /** Pause after a failure that is not the connection, ms (default 100). */
  failurePauseMs?: number;
}

/** A running loop: `stop()` ends it after the pending call. */
export interface WatchLoop {
  stop(): void;
  /**
   * The exchange's socket is open again: a loop that had dropped is back (the connection is
   * `connected` and `onReconnect` runs) even before anything arrives on it.
   */
  socketOpened(): void;
  readonly done: Promise<void>;
}

const sleep = (ms: number, stopped: () => boolean) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    if (stopped()) {
      clearTimeout(t);
      resolve();
    }
  });

/** Runs `watch` until stopped (see the module comment). */
export function watchLoop<T>(o: WatchLoopOptions<T>): WatchLoop {
  let stopped = false;
  let dropped = false;
  const run = async () => {
    while (!stopped) {
      let data: T;
      try {
        data = await o.watch();
      } catch (err) {
        if (stopped) return;
        if (isCcxtError(err, 'InvalidNonce')) {
          o.onResync?.(err);
          continue;
        }
        if (isTransient(err)) {
          dropped = true;
          o.conn.to('reconnecting', String((err as Error)?.message ?? err).slice(0, 200));
          o.onDrop?.(err);
          await sleep(backoffDelay(o.conn.attempts - 1, o.backoff), () => stopped);
        } else {
          o.onFailure(err);
          await sleep(o.failurePauseMs ?? 100, () => stopped);
        }
        continue;
      }
      if (stopped) return;
      await o.onData(data);
      back();
    }
  };
  const back = () => {
    if (!dropped || stopped) return;
    dropped = false;
    o.conn.to('connected');
    o.onReconnect?.();
  };
  const done = run();
  return {
    stop() {
      stopped = true;
    },
    socketOpened: back,
    done,
  };
}

/** Whether a ccxt exchange can stream `methods` (its `has` says so). */
export function canWatch(exchange: { has: Record<string, unknown> }, ...methods: string[]): boolean {
  return methods.every((m) => exchange.has[m] === true || exchange.has[m] === 'emulated');
}

/** A frame's shape a ccxt pro exchange can use: an object or array of objects with some known key. */
function plausible(message: unknown): boolean {
  if (Array.isArray(message)) return message.length > 0 && message.every((m) => typeof m === 'object' && m !== null);
  if (typeof message !== 'object' || message === null) return false;
  const keys = Object.keys(message);
  return keys.length > 0 && ['e', 'id', 'event', 'result', 'stream', 'data', 'subscriptionId', 'u', 'status', 'error', 'method', 'type', 'channel', 'topic', 'op', 'arg', 'action'].some((k) => k in message);
}

const noop = () => undefined;
const handled = (p: unknown) => {
  if (p && typeof (p as Promise<unknown>).catch === 'function') (p as Promise<unknown>).catch(noop);
  return p;
};

interface CcxtWsClient {
  url?: string;
  connected?: Promise<unknown>;
  future(hash: string): Promise<unknown>;
  connect(delay?: number): Promise<unknown>;
  __ferroGuarded?: boolean;
}

/** What a guard tells its owner (an adapter or a source). */
export interface SocketGuardHandlers {
  /** A frame of no known shape was dropped, or ccxt's handler threw on it. */
  onMalformed(frame: unknown, err?: unknown): void;
  /** A socket of the exchange is open (a first connect or a reconnect). */
  onOpen?(url: string): void;
}

interface Guards {
  handlers: Set<SocketGuardHandlers>;
}

/**
 * Guards a ccxt pro exchange's sockets (call before its first socket; see the module comment):
 * frames of no known shape are counted (`onMalformed`) and dropped, a handler that throws is
 * counted instead of failing the socket's subscriptions, the socket's internal promises are
 * marked handled, and every socket that opens is told (`onOpen`). Several owners of one exchange
 * (a broker and a source) each get the calls. Returns the unsubscribe, or undefined when the
 * exchange has no websockets.
 */
export function guardSockets(exchange: unknown, handlers: SocketGuardHandlers): (() => void) | undefined {
  const ex = exchange as {
    handleMessage?: (client: unknown, message: unknown) => unknown;
    client?: (url: string) => CcxtWsClient;
    __ferroGuards?: Guards;
  };
  if (typeof ex.handleMessage !== 'function' || typeof ex.client !== 'function') return undefined;
  if (!ex.__ferroGuards) {
    const guards: Guards = { handlers: new Set() };
    ex.__ferroGuards = guards;
    const makeClient = ex.client.bind(ex);
    ex.client = (url: string) => {
      const c = makeClient(url);
      if (!c.__ferroGuarded) {
        c.__ferroGuarded = true;
        handled(c.connected);
        const future = c.future.bind(c);
        c.future = (hash: string) => handled(future(hash)) as Promise<unknown>;
        const connect = c.connect.bind(c);
        c.connect = (delay?: number) => {
          const p = connect(delay);
          p.then(() => {
            for (const h of guards.handlers) h.onOpen?.(url);
          }, noop);
          return p;
        };
      }
      return c;
    };
    const original = ex.handleMessage.bind(ex);
    ex.handleMessage = (client: unknown, message: unknown) => {
      if (!plausible(message)) {
        for (const h of guards.handlers) h.onMalformed(message);
        return undefined;
      }
      try {
        return original(client, message);
      } catch (err) {
        for (const h of guards.handlers) h.onMalformed(message, err);
        return undefined;
      }
    };
  }
  const guards = ex.__ferroGuards;
  guards.handlers.add(handlers);
  return () => guards.handlers.delete(handlers);
}

/**
 * Readies a ccxt pro exchange's websockets: ccxt needs an http agent before it opens a plain
 * `ws://` socket (a local server or proxy), and ccxt's own redial backoff (1 s doubling to a
 * minute by default) follows `backoff` when given, so that one policy governs reconnects.
 */
export async function prepareWebsockets(exchange: unknown, backoff?: BackoffOptions): Promise<void> {
  const ex = exchange as { loadHttpProxyAgent?: () => Promise<unknown>; options?: Record<string, unknown> };
  if (typeof ex.loadHttpProxyAgent === 'function') await ex.loadHttpProxyAgent();
  if (backoff && ex.options) {
    const ws = (ex.options.ws ?? {}) as Record<string, unknown>;
    const current = (ws.backoff ?? {}) as Record<string, unknown>;
    ex.options.ws = {
      ...ws,
      backoff: { ...current, ...(backoff.baseMs === undefined ? {} : { base: Math.round(backoff.baseMs) }), ...(backoff.maxMs === undefined ? {} : { max: Math.round(backoff.maxMs) }) },
    };
  }
}
