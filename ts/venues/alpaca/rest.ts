/**
 * Alpaca's REST APIs over `fetch`: the key headers, JSON in and out, and Alpaca's error bodies
 * (`{"code":40310000,"message":"insufficient buying power"}`) turned into {@link AlpacaApiError}.
 * An HTTP 429 is retried: not before the time in `X-RateLimit-Reset` (or `Retry-After`) when the
 * venue gives one, and never sooner than the exponential backoff with jitter. A 2xx body that is not
 * JSON is counted as malformed and fails with VENUE_BAD_RESPONSE; an unreachable venue fails with
 * VENUE_DISCONNECTED. Keys never appear in a log line or an error.
 */
import { VenueError } from '../../errors.js';
import type { Logger } from '../../live/logger.js';
import { backoffDelay, type BackoffOptions } from '../connection.js';
import { redactKeys, type AlpacaConfig } from './config.js';

/** An error answer of Alpaca's: the HTTP status, Alpaca's code and its message. */
export class AlpacaApiError extends VenueError {
  constructor(readonly status: number, readonly alpacaCode: number | undefined, readonly venueMessage: string, what: string) {
    super(status === 429 ? 'VENUE_RATE_LIMITED' : status === 404 ? 'VENUE_UNKNOWN_ORDER' : 'VENUE_REJECTED', `alpaca: ${what} answered ${status}: ${venueMessage}${alpacaCode === undefined ? '' : ` (code ${alpacaCode})`}`);
  }
}

/** Counters the client adds to. */
export interface AlpacaRestStats {
  requests: number;
  rateLimited: number;
  malformed: number;
}

export interface AlpacaRestOptions {
  /** Retries of a 429 before the call fails with VENUE_RATE_LIMITED (default 5). */
  maxRetries?: number;
  backoff?: BackoffOptions;
  /** Longest wait for a rate-limit reset, ms (default 60,000). */
  maxRateLimitWaitMs?: number;
  /** Per-request timeout, ms (default 15,000). */
  timeoutMs?: number;
  logger?: Logger;
}

type Query = Record<string, string | number | boolean | undefined>;

/** One Alpaca REST client (trading and market data share the keys). */
export class AlpacaRest {
  constructor(private readonly cfg: AlpacaConfig, readonly stats: AlpacaRestStats, private readonly o: AlpacaRestOptions = {}) {}

  /** A trading API call (`/v2/...` on the paper or live host). */
  trading<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    return this.call<T>(this.cfg.baseUrl, method, path, options);
  }

  /** A market data API call. */
  data<T>(path: string, query: Query = {}): Promise<T> {
    return this.call<T>(this.cfg.dataUrl, 'GET', path, { query });
  }

  private async call<T>(base: string, method: string, path: string, options: { query?: Query; body?: unknown }): Promise<T> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${method} ${path}`;
    const max = this.o.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method,
          headers: {
            'APCA-API-KEY-ID': this.cfg.keyId, 'APCA-API-SECRET-KEY': this.cfg.secretKey, Accept: 'application/json',
            ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000),
        });
        text = await res.text();
      } catch (err) {
        throw new VenueError('VENUE_DISCONNECTED', `alpaca: ${what} failed: ${redactKeys(String((err as Error)?.cause ?? (err as Error)?.message ?? err), this.cfg)}`);
      }
      if (res.status === 429) {
        this.stats.rateLimited++;
        if (attempt >= max) throw new AlpacaApiError(429, parseBody(text)?.code, `still rate-limited after ${max} retries`, what);
        const delay = this.rateLimitDelay(res.headers, attempt);
        this.o.logger?.warn({ call: what, attempt: attempt + 1, delayMs: Math.round(delay), reset: res.headers.get('x-ratelimit-reset') }, 'rate limited; waiting for the reset');
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      if (res.status === 204 || (res.ok && text === '')) return undefined as T;
      if (!res.ok) {
        const body = parseBody(text);
        throw new AlpacaApiError(res.status, body?.code, body?.message ?? (text.slice(0, 200) || res.statusText), what);
      }
      try {
        return JSON.parse(text) as T;
      } catch {
        this.stats.malformed++;
        const shown = redactKeys(text.slice(0, 200), this.cfg);
        this.o.logger?.warn({ call: what, body: shown }, 'malformed answer from alpaca');
        throw new VenueError('VENUE_BAD_RESPONSE', `alpaca: ${what} answered a body that is not JSON: ${shown}`);
      }
    }
  }

  /** The wait before retry `attempt`: the venue's reset time when it gives one, and at least the backoff. */
  private rateLimitDelay(headers: Headers, attempt: number): number {
    const backoff = backoffDelay(attempt, this.o.backoff);
    const cap = this.o.maxRateLimitWaitMs ?? 60_000;
    const retryAfter = Number(headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(cap, Math.max(backoff, retryAfter * 1000));
    const reset = Number(headers.get('x-ratelimit-reset'));
    // X-RateLimit-Reset is the epoch second the window resets; wait into it (a few ms past)
    if (Number.isFinite(reset) && reset > 0) return Math.min(cap, Math.max(backoff, reset * 1000 - Date.now() + 5));
    return backoff;
  }
}

function parseBody(text: string): { code?: number; message?: string } | undefined {
  try {
    const b = JSON.parse(text) as { code?: unknown; message?: unknown };
    return { ...(typeof b.code === 'number' ? { code: b.code } : {}), ...(typeof b.message === 'string' ? { message: b.message } : {}) };
  } catch {
    return undefined;
  }
}
