/** Per-channel rate limits: sliding windows, each "at most N messages per T ms". */
import { NotifyConfigError } from '../errors.js';
import type { RateLimit } from './types.js';

/** Checks a channel's rate limits. */
export function checkRateLimits(limits: readonly RateLimit[], channel: string): void {
  for (const l of limits) {
    if (!Number.isInteger(l.limit) || l.limit < 1 || !Number.isFinite(l.perMs) || l.perMs <= 0) {
      throw new NotifyConfigError(`channel '${channel}': a rate limit needs limit >= 1 (whole) and perMs > 0, got ${JSON.stringify(l)}`);
    }
  }
}

/** Remembers recent send times and says how long to wait before the next one. */
export class RateLimiter {
  private readonly sent: number[] = [];
  private readonly longest: number;

  constructor(private readonly limits: readonly RateLimit[]) {
    this.longest = Math.max(0, ...limits.map((l) => l.limit));
  }

  /** Milliseconds to wait at `now` before a send respects every limit (0: send now). */
  waitMs(now: number): number {
    let wait = 0;
    const n = this.sent.length;
    for (const { limit, perMs } of this.limits) {
      // The send `limit` places back must be older than the window.
      if (n >= limit) wait = Math.max(wait, this.sent[n - limit]! + perMs - now);
    }
    return wait;
  }

  /** Notes a send at `now`. */
  record(now: number): void {
    this.sent.push(now);
    if (this.sent.length > this.longest) this.sent.splice(0, this.sent.length - this.longest);
  }
}
