/** Retry policy: how many attempts, and how long to wait between them. */
import { NotifyConfigError } from '../errors.js';

/** Retries of transient failures. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 5; 1 = no retry). */
  attempts?: number;
  /** Wait before the first retry, doubled after each (default 1,000 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts (default 60,000 ms). */
  maxDelayMs?: number;
  /** A provider's `Retry-After` is honoured up to this long (default 300,000 ms); a longer one fails the notification. */
  maxRetryAfterMs?: number;
  /** Time allowed for one attempt (default 10,000 ms). */
  timeoutMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

function positive(value: number | undefined, fallback: number, what: string, min = 0): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new NotifyConfigError(`retry.${what} must be a number >= ${min}, got ${String(value)}`);
  return v;
}

/** Fills in the defaults and checks the values. */
export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const attempts = positive(options.attempts, 5, 'attempts', 1);
  if (!Number.isInteger(attempts)) throw new NotifyConfigError(`retry.attempts must be a whole number, got ${attempts}`);
  return {
    attempts,
    baseDelayMs: positive(options.baseDelayMs, 1000, 'baseDelayMs'),
    maxDelayMs: positive(options.maxDelayMs, 60_000, 'maxDelayMs'),
    maxRetryAfterMs: positive(options.maxRetryAfterMs, 300_000, 'maxRetryAfterMs'),
    timeoutMs: positive(options.timeoutMs, 10_000, 'timeoutMs', 1),
  };
}

/**
 * The wait after failed attempt `attempt` (1-based): exponential, capped, with "equal jitter"
 * (half the step fixed, half random) so that many senders failing together do not retry together.
 */
export function backoffDelay(attempt: number, retry: ResolvedRetry, random: () => number = Math.random): number {
  const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return step / 2 + random() * (step / 2);
}
