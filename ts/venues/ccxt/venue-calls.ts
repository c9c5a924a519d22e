/**
 * The ccxt broker adapter's calls to the venue (./adapter.ts): each counted, retried with backoff
 * while the venue answers HTTP 429 or 418 (never sooner than its `Retry-After`), and an answer of
 * the wrong shape counted, logged without the keys, and turned into VENUE_BAD_RESPONSE; and the
 * spot account's valuation, which takes several of them.
 */
import { VenueError } from '../../errors.js';
import type { VenueAccount } from '../../live/broker-adapter.js';
import type { Logger } from '../../live/logger.js';
import { backoffDelay, type BackoffOptions } from '../connection.js';
import type { CcxtBrokerStats } from './adapter-options.js';
import { redact, type CcxtCredentials } from './credentials.js';
import { isCcxtError, isRateLimit, retryAfterMs, unparsedBody, venueText } from './errors.js';
import type { CcxtExchange } from './exchange.js';
import { shownAnswer } from '../shown.js';

/** @internal see the module comment. */
export class VenueCalls {
  constructor(
    private readonly name: string,
    private readonly options: { maxRetries?: number; backoff?: BackoffOptions },
    private readonly stats: CcxtBrokerStats,
    private readonly log: Logger | undefined,
    private readonly exchange: () => CcxtExchange | undefined,
    private readonly secrets: () => CcxtCredentials,
  ) {}

  /** Counts and logs an answer of the wrong shape; returns the error to throw for it. */
  malformed(what: string, value: unknown): VenueError {
    this.stats.malformed++;
    const shown = shownAnswer(value);
    this.log?.warn({ call: what, value: redact(shown, this.secrets()) }, 'malformed answer from the venue');
    return new VenueError('VENUE_BAD_RESPONSE', `${this.name}: ${what} answered with an unexpected shape: ${redact(shown, this.secrets())}`);
  }

  /** One ccxt call, counted, and retried with backoff while the venue answers 429 or 418. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const max = this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      try {
        const out = await fn();
        const unparsed = unparsedBody(this.exchange());
        if (unparsed !== undefined) throw this.malformed(what, unparsed);
        return out;
      } catch (err) {
        if (err instanceof VenueError) throw err;
        if (!isRateLimit(err)) {
          if (isCcxtError(err, 'BadResponse')) throw this.malformed(what, venueText(err, this.exchange()?.id ?? ''));
          throw err;
        }
        this.stats.rateLimited++;
        if (attempt >= max) throw new VenueError('VENUE_RATE_LIMITED', `${this.name}: ${what} still rate-limited after ${max} retries`);
        // Never sooner than the venue asked (Binance extends a ban for requests made during it).
        const asked = retryAfterMs(this.exchange());
        const delay = Math.max(backoffDelay(attempt, this.options.backoff), asked ?? 0);
        this.log?.warn({ call: what, attempt: attempt + 1, delayMs: Math.round(delay), ...(asked === undefined ? {} : { retryAfterMs: asked }) }, 'rate limited; backing off');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

/**
 * A spot account: the cash in `currency`, and the equity with each traded base currency held
 * valued at the middle of the best bid and ask (Binance: /api/v3/ticker/bookTicker; the last
 * trade where the venue has no such call).
 */
export async function spotAccount(ex: CcxtExchange, symbols: readonly string[], currency: string, total: Record<string, number>, calls: VenueCalls): Promise<VenueAccount> {
  const cash = total[currency] ?? 0;
  let equity = cash;
  const held = symbols.filter((s) => (total[ex.markets![s]!.base] ?? 0) !== 0 && ex.markets![s]!.quote === currency);
  if (held.length > 0) {
    const quotes = ex.has.fetchBidsAsks && ex.fetchBidsAsks
      ? await calls.call('fetchBidsAsks', () => ex.fetchBidsAsks!(held))
      : Object.fromEntries(await Promise.all(held.map(async (s) => [s, await calls.call('fetchTicker', () => ex.fetchTicker(s))] as const)));
    for (const s of held) {
      const t = (quotes as Record<string, { bid?: number; ask?: number; last?: number }>)[s];
      const mid = t?.bid !== undefined && t.ask !== undefined ? (t.bid + t.ask) / 2 : t?.last;
      if (mid === undefined || !Number.isFinite(mid)) throw calls.malformed('fetchBidsAsks', t);
      equity += total[ex.markets![s]!.base]! * mid;
    }
  }
  return { cash, equity, margin: 0, currency };
}
