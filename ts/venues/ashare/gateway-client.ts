/**
 * The HTTP side of the A-share gateway adapter: the session (POST /api/login, the token sent as
 * `X-Session-Token`, a new login when the gateway says the token expired), JSON in and out, and
 * the gateway's `{ code, msg, data }` answers. A busy gateway (HTTP 429, HTTP 5xx or code 9001)
 * and a dropped connection are retried with backoff and jitter up to `maxRetries`; after that the
 * call fails with VENUE_RATE_LIMITED / VENUE_DISCONNECTED. A body that is not the contract's JSON
 * fails with VENUE_BAD_RESPONSE. A refusal (any other code) comes back as a {@link GatewayApiError}
 * carrying the gateway's code and text. The password never appears in an error or a log line.
 */
import { VenueError } from '../../errors.js';
import type { Logger } from '../../live/logger.js';
import { backoffDelay, type BackoffOptions } from '../connection.js';
import { GatewayCode, type GatewayReply } from './gateway-protocol.js';

/** A refusal of the gateway: its code (see `GatewayCode`) and its own text. */
export class GatewayApiError extends VenueError {
  constructor(readonly gatewayCode: number, readonly gatewayMessage: string, what: string) {
    super(gatewayCode === GatewayCode.NO_ORDER ? 'VENUE_UNKNOWN_ORDER' : 'VENUE_REJECTED', `ashare gateway: ${what} refused with code ${gatewayCode}: ${gatewayMessage}`);
  }
}

/** Counters the client adds to. */
export interface GatewayClientStats {
  requests: number;
  busy: number;
  malformed: number;
  logins: number;
}

export interface GatewayClientOptions {
  url: string;
  account: string;
  password: string;
  /** Retries of a busy gateway or a dropped connection (default 5). */
  maxRetries?: number;
  backoff?: BackoffOptions;
  /** Per-request timeout, ms (default 10,000). */
  timeoutMs?: number;
  logger?: Logger;
}

/** A transient failure: worth retrying and a reason to report the connection down. */
export const isTransient = (err: unknown): boolean => err instanceof VenueError && (err.code === 'VENUE_DISCONNECTED' || err.code === 'VENUE_RATE_LIMITED' || err.code === 'VENUE_TIMEOUT');

/** One session with the gateway. */
export class GatewayClient {
  private token: string | undefined;

  constructor(private readonly o: GatewayClientOptions, readonly stats: GatewayClientStats) {}

  /** Logs in (again): a wrong account or password fails with the gateway's text. */
  async login(): Promise<void> {
    const data = await this.request<{ token?: unknown }>('POST', '/api/login', { account: this.o.account, password: this.o.password }, false);
    if (typeof data?.token !== 'string') throw this.malformed('POST /api/login', JSON.stringify(data));
    this.token = data.token;
    this.stats.logins++;
  }

  get<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    return this.authed<T>('GET', q ? `${path}?${q}` : path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.authed<T>('POST', path, body);
  }

  private async authed<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.token) await this.login();
    try {
      return await this.request<T>(method, path, body, true);
    } catch (err) {
      if (!(err instanceof GatewayApiError) || err.gatewayCode !== GatewayCode.TOKEN_INVALID) throw err;
      // sessions expire (typically overnight or after idle time): log in once more and repeat
      this.o.logger?.info({ call: `${method} ${path}` }, 'gateway session expired; logging in again');
      await this.login();
      return this.request<T>(method, path, body, true);
    }
  }

  private async request<T>(method: string, path: string, body: unknown, authed: boolean): Promise<T> {
    const what = `${method} ${path.split('?')[0]}`;
    const max = this.o.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      let status: number;
      let text: string;
      try {
        const res = await fetch(this.o.url + path, {
          method,
          headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(authed && this.token ? { 'X-Session-Token': this.token } : {}) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        const cause = String((err as Error)?.cause ?? (err as Error)?.message ?? err).replaceAll(this.o.password, '***');
        if (attempt >= max) throw new VenueError('VENUE_DISCONNECTED', `ashare gateway: ${what} failed after ${max} retries: ${cause}`);
        await this.wait(attempt, what, cause);
        continue;
      }
      const reply = parseReply(text);
      if (status === 429 || status >= 500 || reply?.code === GatewayCode.BUSY) {
        this.stats.busy++;
        if (attempt >= max) throw new VenueError('VENUE_RATE_LIMITED', `ashare gateway: ${what} still busy after ${max} retries: ${reply?.msg ?? status}`);
        await this.wait(attempt, what, `busy (HTTP ${status})`);
        continue;
      }
      if (!reply) throw this.malformed(what, text);
      if (reply.code !== GatewayCode.OK) throw new GatewayApiError(reply.code, reply.msg, what);
      return reply.data as T;
    }
  }

  private async wait(attempt: number, what: string, why: string): Promise<void> {
    const delay = backoffDelay(attempt, this.o.backoff);
    this.o.logger?.warn({ call: what, attempt: attempt + 1, delayMs: Math.round(delay), why }, 'gateway call failed; retrying');
    await new Promise((r) => setTimeout(r, delay));
  }

  private malformed(what: string, text: string): VenueError {
    this.stats.malformed++;
    const shown = text.slice(0, 200).replaceAll(this.o.password, '***');
    this.o.logger?.warn({ call: what, body: shown }, 'malformed answer from the gateway');
    return new VenueError('VENUE_BAD_RESPONSE', `ashare gateway: ${what} answered a body that is not { code, msg, data } JSON: ${shown}`);
  }
}

function parseReply(text: string): GatewayReply<unknown> | undefined {
  try {
    const r = JSON.parse(text) as { code?: unknown; msg?: unknown; data?: unknown };
    if (typeof r?.code !== 'number') return undefined;
    return { code: r.code, msg: typeof r.msg === 'string' ? r.msg : '', data: r.data };
  } catch {
    return undefined;
  }
}
