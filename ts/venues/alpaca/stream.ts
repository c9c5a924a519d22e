/**
 * One Alpaca WebSocket (the trade-updates stream or the market-data stream) that stays up: it
 * connects, runs the stream's handshake (auth, then listen or subscribe, given by a
 * {@link StreamProtocol}), pings every `heartbeatMs` and drops a connection whose pong does not
 * come back in time, and after any drop reconnects with exponential backoff and jitter and runs
 * the handshake again (so subscriptions are restored). Each readiness after the first is reported
 * as a reconnect, so the owner can reconcile what it missed. A message that cannot be read is
 * counted and logged; it never ends the stream. `ws` is an optional peer dependency, loaded on
 * first use.
 */
import type WebSocket from 'ws';
import { VenueError } from '../../errors.js';
import type { Logger } from '../../live/logger.js';
import { requirePeer } from '../../optional-peer.js';
import { backoffDelay, type BackoffOptions, type ConnectionMachine } from '../connection.js';

/** What the stream needs to know of its protocol. */
export interface StreamProtocol {
  /** Called when the socket opens: send the first handshake message (or wait for the server's). */
  onOpen(send: (msg: unknown) => void): void;
  /**
   * One parsed message. Return `'ready'` when the handshake is complete, a string starting with
   * `'fatal:'` when the venue refused (wrong keys: no reconnect), or nothing.
   */
  onMessage(msg: unknown, send: (msg: unknown) => void, ready: boolean): 'ready' | `fatal:${string}` | void;
}

export interface StreamOptions {
  label: string;
  url: string;
  protocol: StreamProtocol;
  conn: ConnectionMachine;
  stats: { malformed: number; reconnects: number };
  /** Ping interval, ms (default 15,000); a ping without a pong by the next one drops the connection. */
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  /** The first connection's handshake must finish within this, ms (default 10,000). */
  connectTimeoutMs?: number;
  logger?: Logger;
  /** After each handshake: `reconnected` is false the first time. */
  onReady?(reconnected: boolean): void | Promise<void>;
  /** After a connection is lost (before the reconnect). */
  onDrop?(reason: string): void;
  /** The venue refused the stream after it had been up (keys revoked, too many connections): it is stopped. */
  onFatal?(err: Error): void;
}

let WsCtor: typeof WebSocket | undefined;
function ws(): typeof WebSocket {
  WsCtor ??= requirePeer<typeof WebSocket>('ws', 'the Alpaca adapter (its WebSocket streams)');
  return WsCtor;
}

/** A WebSocket that reconnects (see the module comment). */
export class ReconnectingStream {
  private socket: WebSocket | undefined;
  private stopped = true;
  private everReady = false;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly o: StreamOptions) {}

  /** Connects; resolves after the first handshake, rejects when it fails or the venue refuses. */
  start(): Promise<void> {
    this.stopped = false;
    this.o.conn.to('connecting');
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(new VenueError('VENUE_TIMEOUT', `alpaca: ${this.o.label} stream: no handshake within ${this.o.connectTimeoutMs ?? 10_000} ms at ${this.o.url}`));
      }, this.o.connectTimeoutMs ?? 10_000);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.stopped = true;
        this.teardown();
        this.o.conn.to('stopped');
        reject(err);
      };
      this.open({ first: { resolve: () => (clearTimeout(timer), resolve()), reject: fail } });
    });
  }

  /** Sends a message (dropped when not connected: the handshake after a reconnect restores the state). */
  send(msg: unknown): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(msg));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.teardown();
    this.o.conn.to('stopped');
  }

  private teardown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.removeAllListeners();
      s.on('error', () => undefined);
      s.terminate();
    }
  }

  private open(start?: { first: { resolve(): void; reject(err: Error): void } }): void {
    const Ctor = ws();
    const socket = new Ctor(this.o.url, { handshakeTimeout: this.o.connectTimeoutMs ?? 10_000 });
    this.socket = socket;
    let ready = false;
    let alive = true;
    const send = (msg: unknown) => socket.readyState === 1 && socket.send(JSON.stringify(msg));
    socket.on('open', () => {
      this.o.protocol.onOpen(send);
      this.heartbeat = setInterval(() => {
        if (!alive) {
          this.o.logger?.warn({ stream: this.o.label }, 'no pong since the last ping; dropping the connection');
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, this.o.heartbeatMs ?? 15_000);
      this.heartbeat.unref?.();
    });
    socket.on('pong', () => (alive = true));
    socket.on('message', (data) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        this.o.stats.malformed++;
        this.o.logger?.warn({ stream: this.o.label, message: text.slice(0, 200) }, 'malformed stream message skipped');
        return;
      }
      let verdict: ReturnType<StreamProtocol['onMessage']>;
      try {
        verdict = this.o.protocol.onMessage(msg, send, ready);
      } catch (err) {
        this.o.stats.malformed++;
        this.o.logger?.warn({ stream: this.o.label, message: text.slice(0, 200), err: String((err as Error)?.message ?? err) }, 'stream message could not be handled');
        return;
      }
      if (verdict === 'ready' && !ready) {
        ready = true;
        const reconnected = this.everReady;
        this.everReady = true;
        if (reconnected) this.o.stats.reconnects++;
        this.o.conn.to('connected');
        start?.first.resolve();
        void Promise.resolve(this.o.onReady?.(reconnected)).catch((err: unknown) => this.o.logger?.error({ stream: this.o.label, err: String((err as Error)?.message ?? err) }, 'after-connect step failed'));
      } else if (typeof verdict === 'string' && verdict.startsWith('fatal:')) {
        const err = new VenueError('VENUE_REJECTED', `alpaca: ${this.o.label} stream refused: ${verdict.slice(6)}`);
        this.o.logger?.error({ stream: this.o.label, reason: verdict.slice(6) }, 'stream refused');
        if (start && !ready) start.first.reject(err);
        else {
          void this.stop();
          this.o.onFatal?.(err);
        }
      }
    });
    socket.on('error', (err) => {
      this.o.logger?.debug({ stream: this.o.label, err: err.message }, 'stream error');
    });
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      this.socket = undefined;
      if (this.stopped) return;
      const why = `closed (${code}${reason.length ? ` ${reason.toString('utf8')}` : ''})`;
      if (start && !ready) {
        start.first.reject(new VenueError('VENUE_DISCONNECTED', `alpaca: ${this.o.label} stream at ${this.o.url} ${why} before its handshake`));
        return;
      }
      this.scheduleReconnect(why);
    });
  }

  private scheduleReconnect(why: string): void {
    this.o.conn.to('reconnecting', why);
    this.o.onDrop?.(why);
    const delay = backoffDelay(this.o.conn.attempts - 1, this.o.backoff);
    this.o.logger?.warn({ stream: this.o.label, attempt: this.o.conn.attempts, delayMs: Math.round(delay), why }, 'stream lost; reconnecting');
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) this.open();
    }, delay);
    this.retry.unref?.();
  }
}
