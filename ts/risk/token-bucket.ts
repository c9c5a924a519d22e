/**
 * A token bucket on an injected clock (never `Date.now()`): `limit` tokens are added every
 * `intervalMs`, continuously, up to `burst`. The risk engine asks {@link TokenBucket.available}
 * during its checks and calls {@link TokenBucket.take} only once an order has passed all of
 * them, so a refused order costs no token.
 */
import type { Clock } from '../time/clock.js';
import type { RateLimit } from './config.js';

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(readonly spec: Required<RateLimit>, private readonly clock: Clock) {
    this.tokens = spec.burst;
    this.last = clock.now();
    this.perMs = spec.limit / spec.intervalMs;
  }

  /** Tokens in the bucket now (refilled for the time passed since the last look). */
  available(): number {
    const now = this.clock.now();
    // A clock that steps back (a resynchronised wall clock) adds nothing and takes nothing.
    if (now > this.last) {
      this.tokens = Math.min(this.spec.burst, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
    return this.tokens;
  }

  /** Takes one token; call after {@link available} said there is one. */
  take(): void {
    this.available();
    this.tokens -= 1;
  }

  /** ms until a token is available (0 when one is). */
  waitMs(): number {
    const missing = 1 - this.available();
    return missing <= 0 ? 0 : Math.ceil(missing / this.perMs);
  }
}
