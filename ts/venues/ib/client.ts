/**
 * One API connection to TWS / IB Gateway, shared by the broker adapter and the market-data
 * source: connect (handshake, then `nextValidId` says TWS accepts requests), the connection state
 * machine (connecting → connected → reconnecting with backoff and jitter → connected, stopped),
 * reconnect after a socket loss or TWS's own 1100 "connectivity lost", request ids, and requests
 * that collect their answers until an end marker, retried with backoff on IB's pacing errors
 * (162, 420, 100). Messages the client library could not read (it reports them as errors 505 /
 * 507 / 508) are counted and logged; they never stop the connection.
 */
import { ParamError, VenueError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import { backoffDelay, ConnectionMachine, type BackoffOptions } from '../connection.js';
import { loadIb, type IbApiClient } from './api.js';
import {
  CLIENT_ID_IN_USE, CONNECTIVITY_LOST, isInformational, MALFORMED_CODES, PACING_CODES, RESTORED_DATA_KEPT, RESTORED_DATA_LOST,
} from './errors.js';

/** Where and how to connect. */
export interface IbConnectionOptions {
  /** TWS / IB Gateway host (default 127.0.0.1). */
  host?: string;
  /** API port: TWS 7497 paper / 7496 live, IB Gateway 4002 paper / 4001 live (default 7497). */
  port?: number;
  /** API client id, unique per TWS (default 1). IB order ids are per client id. */
  clientId?: number;
  /** How long connect, a request or an acknowledgement may take, ms (default 5000). */
  timeoutMs?: number;
  /** Retries of a paced request (162 / 420 / 100) before it fails with VENUE_RATE_LIMITED (default 5). */
  maxRetries?: number;
  /** Backoff of reconnects and paced retries. */
  backoff?: BackoffOptions;
  /** Requests per second the client library sends at most (default 40, TWS's limit is 50). */
  maxReqPerSec?: number;
  /** Where connection changes are published. */
  bus?: EventBus;
  /** pino logger, or false for none (default: the live sessions' default logger). */
  logger?: Logger | false;
}

/** What the connection counted. */
export interface IbConnectionStats {
  requests: number;
  paced: number;
  malformed: number;
  reconnects: number;
  errors: number;
}

/** An error TWS reported: its code, text and the order or request id it is about (-1 for none). */
export interface IbErrorEvent {
  id: number;
  code: number;
  text: string;
}

type Handler = (...args: any[]) => void;

/** One API connection (see the module comment). */
export class IbConnection {
  readonly stats: IbConnectionStats = { requests: 0, paced: 0, malformed: 0, reconnects: 0, errors: 0 };
  readonly conn: ConnectionMachine;
  readonly log: Logger | undefined;
  readonly clientId: number;
  private api: IbApiClient | undefined;
  private nextOrder = 0;
  private reqIds = 1_000;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private ready: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly readyListeners = new Set<(kind: 'connected' | 'reconnected' | 'restored-data-lost' | 'restored') => void>();
  private readonly errorListeners = new Set<(e: IbErrorEvent) => void>();
  private connectedOnce = false;
  /** Accounts TWS manages for this login (from `managedAccounts`). */
  accounts: string[] = [];

  constructor(private readonly options: IbConnectionOptions, component: string) {
    this.clientId = options.clientId ?? 1;
    if (!Number.isInteger(this.clientId) || this.clientId < 0) throw new ParamError(`ib: clientId must be a non-negative integer, got ${options.clientId}`);
    const port = options.port ?? 7497;
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ParamError(`ib: port must be a TCP port (TWS paper 7497, live 7496; IB Gateway paper 4002, live 4001), got ${options.port}`);
    this.conn = new ConnectionMachine(component, options.bus);
    this.log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 5000;
  }

  /** Subscribes to a client-library event for the connection's lifetime (kept over reconnects). */
  on(event: string, fn: Handler): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
      this.api?.on(event, (...args: unknown[]) => this.dispatch(event, args));
    }
    set.add(fn);
    return () => set!.delete(fn);
  }

  /** Called after each (re)connection is ready, and when TWS says its link to IB is back. */
  onReady(fn: (kind: 'connected' | 'reconnected' | 'restored-data-lost' | 'restored') => void): () => void {
    this.readyListeners.add(fn);
    return () => this.readyListeners.delete(fn);
  }

  /** Every error TWS or the client library reports (after the connection's own handling). */
  onError(fn: (e: IbErrorEvent) => void): () => void {
    this.errorListeners.add(fn);
    return () => this.errorListeners.delete(fn);
  }

  /** The client (after connect). */
  get client(): IbApiClient {
    if (!this.api || this.conn.state !== 'connected') throw new VenueError('VENUE_DISCONNECTED', `ib: not connected to TWS (state ${this.conn.state}); connect() first or wait for the reconnect`);
    return this.api;
  }

  get connected(): boolean {
    return this.conn.state === 'connected';
  }

  /** Connects; resolves when TWS has sent `nextValidId`. */
  async connect(): Promise<void> {
    if (this.conn.state === 'connected') return;
    this.stopping = false;
    const mod = await loadIb();
    if (!this.api) {
      this.api = new mod.IBApi({ host: this.options.host ?? '127.0.0.1', port: this.options.port ?? 7497, maxReqPerSec: this.options.maxReqPerSec ?? 40 });
      this.wire(this.api);
    }
    this.conn.to('connecting');
    await this.attempt();
  }

  /** Disconnects for good (no reconnect). */
  async disconnect(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.ready?.reject(new VenueError('VENUE_DISCONNECTED', 'ib: disconnected while connecting'));
    this.ready = undefined;
    if (this.api?.isConnected) {
      const closed = new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        this.api!.on('disconnected', () => (clearTimeout(t), resolve()));
      });
      this.api.disconnect();
      await closed;
    }
    this.conn.to('stopped');
  }

  /** The next IB order id of this client (from `nextValidId`, counted up locally). */
  takeOrderId(): number {
    return this.nextOrder++;
  }

  /** A fresh request id. */
  takeReqId(): number {
    return this.reqIds++;
  }

  /**
   * Sends a request and collects its answers: `item` events whose first argument is the request
   * id until the `end` event (or, for requests without an id, all `item` events until `end`).
   * A pacing error for the request retries it after a backoff with a fresh id; another error
   * for it fails the request with IB's text.
   */
  async collect<T>(spec: {
    what: string;
    send: (reqId: number) => void;
    item: string;
    end: string;
    /** The item's fields from the event's arguments, or undefined to skip it. */
    take: (args: unknown[]) => T | undefined;
    /** Whether the request id is the first argument of `item` and `end` (default true). */
    keyed?: boolean;
    /** An `end` that is an `item` carrying a marker (historicalData's "finished-..."). */
    isEnd?: (args: unknown[]) => boolean;
    cancel?: (reqId: number) => void;
  }): Promise<T[]> {
    const keyed = spec.keyed ?? true;
    const retries = this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const reqId = this.takeReqId();
      const out: T[] = [];
      this.stats.requests++;
      const result = await new Promise<{ ok: true } | { ok: false; paced: boolean; text: string; code: number }>((resolve) => {
        const offs: (() => void)[] = [];
        const done = (r: { ok: true } | { ok: false; paced: boolean; text: string; code: number }) => {
          for (const off of offs) off();
          clearTimeout(timer);
          resolve(r);
        };
        const timer = setTimeout(() => done({ ok: false, paced: false, code: 0, text: `no answer within ${this.timeoutMs} ms` }), this.timeoutMs);
        offs.push(this.on(spec.item, (...args: unknown[]) => {
          if (keyed && args[0] !== reqId) return;
          if (spec.isEnd?.(args)) return done({ ok: true });
          const v = spec.take(args);
          if (v !== undefined) out.push(v);
        }));
        if (spec.end !== spec.item) offs.push(this.on(spec.end, (...args: unknown[]) => {
          if (!keyed || args[0] === reqId) done({ ok: true });
        }));
        offs.push(this.onError((e) => {
          if (e.id !== reqId) return;
          done({ ok: false, paced: PACING_CODES.has(e.code), text: e.text, code: e.code });
        }));
        offs.push(this.conn.onChange((state) => {
          if (state !== 'connected') done({ ok: false, paced: false, code: 0, text: `connection ${state}` });
        }));
        try {
          spec.send(reqId);
        } catch (err) {
          done({ ok: false, paced: false, code: 0, text: (err as Error).message });
        }
      });
      if (result.ok) {
        spec.cancel?.(reqId);
        return out;
      }
      if (result.paced && attempt < retries) {
        this.stats.paced++;
        const delay = backoffDelay(attempt, this.options.backoff);
        this.log?.warn({ what: spec.what, code: result.code, delay }, 'ib: pacing violation, retrying after backoff');
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      if (result.paced) throw new VenueError('VENUE_RATE_LIMITED', `ib: ${spec.what}: still paced after ${retries} retries (IB ${result.code}: ${result.text})`);
      if (result.code === 0) throw new VenueError(this.connected ? 'VENUE_TIMEOUT' : 'VENUE_DISCONNECTED', `ib: ${spec.what}: ${result.text}`);
      throw new VenueError('VENUE_REJECTED', `ib: ${spec.what}: IB ${result.code}: ${result.text}`);
    }
  }

  // --- internals ---

  private dispatch(event: string, args: unknown[]): void {
    for (const fn of [...(this.handlers.get(event) ?? [])]) {
      try {
        fn(...args);
      } catch (err) {
        // A listener's bug must not break the client library's read loop (it would drop the rest of the frame).
        this.stats.errors++;
        this.log?.error({ err, event }, 'ib: a listener failed');
      }
    }
  }

  /**
   * `@stoqey/ib` rethrows a decoding failure other than a short message (an error message whose
   * advanced-reject JSON does not parse, for one) from its socket's data handler: an uncaught
   * exception that would end the process. Its decoder is wrapped so that such a message is
   * counted in `stats.malformed`, its remaining fields dropped, and the next message read.
   */
  private guardDecoder(api: IbApiClient): void {
    const decoder = (api as unknown as { controller?: { decoder?: { process?: () => void; drainQueue?: () => void; emitQueue?: unknown[] } } }).controller?.decoder;
    if (!decoder || typeof decoder.process !== 'function' || typeof decoder.drainQueue !== 'function') {
      this.log?.warn('ib: the client library has no decoder to guard; a message it cannot decode may throw');
      return;
    }
    const process = decoder.process.bind(decoder);
    const drain = decoder.drainQueue.bind(decoder);
    decoder.process = () => {
      for (let guard = 0; guard < 100_000; guard++) {
        try {
          return process();
        } catch (err) {
          this.stats.malformed++;
          this.log?.warn({ err: (err as Error).message }, 'ib: a message from TWS could not be decoded; skipped');
          decoder.emitQueue = [];
          drain();
        }
      }
    };
  }

  private wire(api: IbApiClient): void {
    this.guardDecoder(api);
    for (const event of this.handlers.keys()) api.on(event, (...args: unknown[]) => this.dispatch(event, args));
    api.on('nextValidId', (id: number) => {
      if (Number.isInteger(id) && id > this.nextOrder) this.nextOrder = id;
      if (this.ready) {
        const r = this.ready;
        this.ready = undefined;
        r.resolve();
      }
    });
    api.on('managedAccounts', (list: string) => {
      this.accounts = String(list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    });
    api.on('disconnected', () => this.onSocketLost('socket closed'));
    api.on('error', (err: Error, code: number, id: number) => this.onIbError(err, code, id));
    // TWS sends messages about no order or request (id -1: connectivity 1100/1101/1102, data
    // farms) as `info`: they take the same path as errors.
    api.on('info', (text: string, code: number) => this.onIbError(new Error(text), code, -1));
  }

  private attempt(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.ready) return;
        this.ready = undefined;
        this.api?.disconnect();
        reject(new VenueError('VENUE_TIMEOUT', `ib: TWS at ${this.options.host ?? '127.0.0.1'}:${this.options.port ?? 7497} did not complete the API handshake within ${this.timeoutMs} ms (is the API enabled in TWS: Configure → API → Settings?)`));
      }, this.timeoutMs);
      this.ready = {
        resolve: () => {
          clearTimeout(timer);
          const again = this.connectedOnce;
          this.connectedOnce = true;
          this.conn.to('connected');
          for (const fn of this.readyListeners) fn(again ? 'reconnected' : 'connected');
          resolve();
        },
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.api!.connect(this.clientId);
    });
  }

  private onSocketLost(detail: string): void {
    if (this.stopping) return;
    if (this.ready) {
      // An attempt in progress failed: the first connect reports it to its caller, a reconnect
      // attempt's caller schedules the next one.
      const r = this.ready;
      this.ready = undefined;
      r.reject(new VenueError('VENUE_DISCONNECTED', `ib: could not connect to TWS at ${this.options.host ?? '127.0.0.1'}:${this.options.port ?? 7497} (${detail})`));
      return;
    }
    if (!this.connectedOnce) return;
    this.scheduleReconnect(detail);
  }

  private scheduleReconnect(detail: string): void {
    if (this.stopping || this.retryTimer) return;
    this.conn.to('reconnecting', detail);
    this.stats.reconnects++;
    const delay = backoffDelay(this.conn.attempts - 1, this.options.backoff);
    this.log?.warn({ detail, delay }, 'ib: connection lost, reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopping) return;
      this.attempt().catch((err: unknown) => {
        this.log?.warn({ err: (err as Error).message }, 'ib: reconnect failed');
        this.scheduleReconnect((err as Error).message);
      });
    }, delay);
  }

  private onIbError(err: Error, code: number, id: number): void {
    const text = err?.message ?? String(err);
    if (code === 502 && this.ready && !this.connectedOnce) {
      const r = this.ready;
      this.ready = undefined;
      r.reject(new VenueError('VENUE_DISCONNECTED', `ib: could not connect to TWS at ${this.options.host ?? '127.0.0.1'}:${this.options.port ?? 7497}: ${text} (is TWS / IB Gateway running with the API enabled on this port?)`));
      return;
    }
    if (code === 502 && this.connectedOnce) return; // a failed reconnect attempt: the disconnect handler retries
    if (code === CLIENT_ID_IN_USE) {
      this.log?.error({ code, text }, 'ib: client id in use');
      const r = this.ready;
      this.ready = undefined;
      r?.reject(new VenueError('VENUE_REJECTED', `ib: client id ${this.clientId} is in use at TWS: give another clientId (${text})`));
    }
    if (MALFORMED_CODES.has(code)) {
      this.stats.malformed++;
      this.log?.warn({ code, text }, 'ib: a message from TWS could not be read; skipped');
      return;
    }
    if (code === CONNECTIVITY_LOST) {
      this.log?.warn({ code, text }, 'ib: TWS lost its connection to IB');
      this.conn.to('reconnecting', `IB ${code}: ${text}`);
      return;
    }
    if (code === RESTORED_DATA_LOST || code === RESTORED_DATA_KEPT) {
      this.conn.to('connected');
      for (const fn of this.readyListeners) fn(code === RESTORED_DATA_LOST ? 'restored-data-lost' : 'restored');
      return;
    }
    if (isInformational(code)) {
      this.log?.debug({ code, text }, 'ib: info');
      return;
    }
    this.stats.errors++;
    if (PACING_CODES.has(code)) this.log?.warn({ code, id, text }, 'ib: pacing');
    else this.log?.info({ code, id, text }, 'ib: error');
    for (const fn of [...this.errorListeners]) fn({ id: typeof id === 'number' ? id : -1, code, text });
  }
}
