/**
 * One channel's sending loop: takes notifications from its bounded queue in order, holds
 * non-critical ones in quiet hours, waits for the rate limits, sends with a timeout, retries
 * transient failures with backoff and jitter, and records every outcome. Runs on the event loop,
 * never on the publisher's call: `push` only appends.
 */
import { levelRank } from '../events/index.js';
import { NotifySendError } from '../errors.js';
import { LevelQueue } from './level-queue.js';
import type { NotificationLog, NotificationRecord } from './log.js';
import type { QuietHours } from './quiet-hours.js';
import { RateLimiter } from './rate-limit.js';
import { backoffDelay, type ResolvedRetry } from './retry.js';
import type { Redactor } from './secrets.js';
import type { Channel, Notification, NotifyLogger, SendReceipt } from './types.js';
import { formatDuration } from './format.js';

/** What a runner shares with the notifier. */
export interface RunnerContext {
  retry: ResolvedRetry;
  maxQueue: number;
  quiet: QuietHours | null;
  /** Longest nap while holding messages in quiet hours before looking at the clock again. */
  quietRecheckMs: number;
  now: () => number;
  logger: NotifyLogger;
  redactor: Redactor;
  log: NotificationLog | null;
  random: () => number;
}

/** A channel's counters. */
export interface ChannelStats {
  sent: number;
  failed: number;
  dropped: number;
  retries: number;
  pending: number;
}

const describe = (n: Notification) => `${n.level} '${n.title}'`;

export class ChannelRunner {
  private readonly queue: LevelQueue;
  private readonly limiter: RateLimiter;
  private readonly minRank: number;
  private readonly types: Set<string> | null;
  private running = false;
  private closing = false;
  /** Drops since the last sent message: reported in the next one. */
  private droppedSinceSend = 0;
  private wakeUp: (() => void) | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly abort = new AbortController();
  readonly stats: ChannelStats = { sent: 0, failed: 0, dropped: 0, retries: 0, pending: 0 };

  constructor(readonly channel: Channel, private readonly ctx: RunnerContext) {
    this.queue = new LevelQueue(ctx.maxQueue);
    this.limiter = new RateLimiter(channel.rateLimits);
    this.minRank = levelRank(channel.route.minLevel ?? 'INFO');
    this.types = channel.route.events ? new Set(channel.route.events) : null;
  }

  /** The lowest level rank this channel takes (the notifier skips work below every channel's). */
  get lowestRank(): number {
    return this.minRank;
  }

  /** Whether the channel takes `n` (level, event types, filter). */
  accepts(n: Notification): boolean {
    if (levelRank(n.level) < this.minRank) return false;
    if (this.types && !this.types.has(n.type)) return false;
    const filter = this.channel.route.filter;
    if (filter) {
      try {
        return filter(n) !== false;
      } catch (error) {
        this.ctx.logger.error(this.line(`filter threw on ${describe(n)}: ${(error as Error)?.message ?? error}; sending it`));
      }
    }
    return true;
  }

  /** Queues `n` (dropping the lowest level when full) and starts the loop. Never waits. */
  push(n: Notification): void {
    if (this.closing) {
      this.drop(n, 'the notifier is closed');
      return;
    }
    const dropped = this.queue.push(n);
    if (dropped) {
      if (this.droppedSinceSend === 0) {
        this.ctx.logger.warn(this.line(`queue full (${this.ctx.maxQueue}): dropping the lowest levels first, the count goes out with the next message`));
      }
      this.droppedSinceSend++;
      this.drop(dropped, `queue full (${this.ctx.maxQueue})`);
    }
    this.stats.pending = this.queue.size;
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.loop());
    } else this.wakeUp?.();
  }

  /** Resolves when the queue is empty and nothing is being sent. */
  idle(): Promise<void> {
    if (!this.running && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking notifications; with `discard`, drops the queued ones and aborts the send in flight. */
  async close(discard = false): Promise<void> {
    this.closing = true;
    this.wakeUp?.();
    if (discard) {
      for (const n of this.queue.drain()) this.drop(n, 'discarded on close');
      this.stats.pending = 0;
      this.abort.abort(new Error('the notifier closed'));
      this.wakeUp?.();
    }
    await this.idle();
    await this.channel.close?.();
  }

  private line(text: string): string {
    return this.ctx.redactor.scrub(`notify[${this.channel.name}]: ${text}`);
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        let n = this.next();
        if (n === undefined) {
          if (this.queue.size === 0 || this.abort.signal.aborted) break;
          // Only held messages are left: nap until quiet hours end or something new arrives.
          await this.nap(Math.min(this.ctx.quiet!.remainingMs(this.ctx.now()), this.ctx.quietRecheckMs), true);
          continue;
        }
        this.stats.pending = this.queue.size;
        if (this.droppedSinceSend > 0) {
          // A copy: the same notification may be queued on other channels too.
          n = { ...n, droppedBefore: (n.droppedBefore ?? 0) + this.droppedSinceSend };
          this.droppedSinceSend = 0;
        }
        await this.deliver(n);
      }
    } finally {
      this.running = false;
      this.stats.pending = this.queue.size;
      if (this.queue.size > 0 && !this.abort.signal.aborted) {
        this.running = true;
        setImmediate(() => void this.loop());
      } else {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  /** The next notification to send: the oldest, or in quiet hours the oldest that may still go out. */
  private next(): Notification | undefined {
    const quiet = this.ctx.quiet;
    // Closing ends the hold: a process that stops at night must not hang until morning or lose what it held.
    if (quiet && !this.closing && quiet.isQuiet(this.ctx.now())) return this.queue.shift(levelRank(quiet.minLevel));
    return this.queue.shift();
  }

  /** Waits `ms`; a wakeable nap also ends when a notification arrives. */
  private nap(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        if (this.wakeUp === done) this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.abort.signal.addEventListener('abort', done);
      if (wakeable) this.wakeUp = done;
    });
  }

  private async deliver(n: Notification): Promise<void> {
    const { retry } = this.ctx;
    for (let attempt = 1; ; attempt++) {
      const wait = this.limiter.waitMs(this.ctx.now());
      if (wait > 0) await this.nap(wait, false);
      if (this.abort.signal.aborted) return this.fail(n, attempt - 1, 'the notifier closed before it was sent');
      this.limiter.record(this.ctx.now());
      try {
        const receipt = await this.attempt(n);
        this.stats.sent++;
        this.ctx.logger.info(this.line(`sent ${describe(n)}${attempt > 1 ? ` on attempt ${attempt}` : ''}${n.droppedBefore ? ` (${n.droppedBefore} dropped before it)` : ''}`));
        this.record(n, 'sent', attempt, undefined, receipt.status, receipt.id);
        return;
      } catch (raw) {
        const error = this.classify(raw);
        const reason = this.ctx.redactor.scrub(error.message);
        if (this.abort.signal.aborted) return this.fail(n, attempt, reason, error.status);
        if (!error.transient) {
          this.ctx.logger.error(this.line(`failed to send ${describe(n)}, not retried (permanent): ${reason}`));
          return this.fail(n, attempt, reason, error.status);
        }
        if (attempt >= retry.attempts) {
          this.ctx.logger.error(this.line(`gave up on ${describe(n)} after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${reason}`));
          return this.fail(n, attempt, reason, error.status);
        }
        let delay = backoffDelay(attempt, retry, this.ctx.random);
        if (error.retryAfterMs !== undefined) {
          if (error.retryAfterMs > retry.maxRetryAfterMs) {
            const msg = `${reason}; the provider asked to wait ${formatDuration(error.retryAfterMs)}, longer than retry.maxRetryAfterMs`;
            this.ctx.logger.error(this.line(`gave up on ${describe(n)}: ${msg}`));
            return this.fail(n, attempt, msg, error.status);
          }
          delay = error.retryAfterMs;
        }
        this.stats.retries++;
        this.ctx.logger.warn(this.line(`attempt ${attempt}/${retry.attempts} for ${describe(n)} failed: ${reason}; retrying in ${formatDuration(delay)}${error.retryAfterMs !== undefined ? ' (Retry-After)' : ''}`));
        await this.nap(delay, false);
      }
    }
  }

  /** One send, aborted after the timeout or when the notifier closes with `discard`. */
  private async attempt(n: Notification): Promise<SendReceipt> {
    const controller = new AbortController();
    const ms = this.ctx.retry.timeoutMs;
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${formatDuration(ms)}`)), ms);
    const onClose = () => controller.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onClose);
    try {
      // A channel that ignores the signal still cannot hold the loop past the timeout.
      return await Promise.race([
        this.channel.send(n, controller.signal),
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener('abort', () => {
            const reason = (controller.signal.reason as Error)?.message ?? 'aborted';
            reject(new NotifySendError(`${this.channel.name}: no answer (${reason})`, this.channel.name, true));
          });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onClose);
    }
  }

  private classify(error: unknown): NotifySendError {
    if (error instanceof NotifySendError) return error;
    // A channel's own bug or an unexpected library error: not worth hammering the provider.
    const message = error instanceof Error ? error.message : String(error);
    return new NotifySendError(`${this.channel.name}: ${message}`, this.channel.name, false);
  }

  private fail(n: Notification, attempts: number, reason: string, status?: number): void {
    this.stats.failed++;
    this.record(n, 'failed', attempts, reason, status);
  }

  private drop(n: Notification, reason: string): void {
    this.stats.dropped++;
    this.record(n, 'dropped', 0, reason);
  }

  private record(n: Notification, outcome: NotificationRecord['outcome'], attempts: number, error?: string, status?: number, providerId?: string): void {
    const log = this.ctx.log;
    if (!log) return;
    const entry: NotificationRecord = {
      time: Date.now(), eventTime: n.time, channel: this.channel.name, kind: this.channel.kind, level: n.level, type: n.type,
      title: this.ctx.redactor.scrub(n.title), text: this.ctx.redactor.scrub(n.text), key: n.key, outcome, attempts,
    };
    if (error !== undefined) entry.error = this.ctx.redactor.scrub(error);
    if (status !== undefined) entry.status = status;
    if (providerId !== undefined) entry.providerId = providerId;
    if (n.repeats) entry.repeats = n.repeats.count;
    try {
      const result = log.record(entry);
      if (result && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).then(undefined, (e) => this.ctx.logger.error(this.line(`the notification log failed: ${(e as Error)?.message ?? e}`)));
      }
    } catch (e) {
      this.ctx.logger.error(this.line(`the notification log failed: ${(e as Error)?.message ?? e}`));
    }
  }
}
