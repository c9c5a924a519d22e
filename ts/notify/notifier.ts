/**
 * The notifier: takes events from the bus (and `notify()` calls), routes each to the channels
 * that want it, folds repeats, and hands it to each channel's own sending loop. Trading never
 * waits on it: the bus handler only builds a notification and appends it to bounded queues.
 */
import { eventLevel, levelRank, type EventBus, type EventLevel, type FerroEvent, type FerroEventType } from '../events/index.js';
import { NotifyConfigError } from '../errors.js';
import { ChannelRunner, type ChannelStats } from './channel-runner.js';
import { Deduplicator } from './dedup.js';
import type { NotificationLog } from './log.js';
import { fromEvent } from './notification.js';
import { QuietHours, type QuietHoursOptions } from './quiet-hours.js';
import { checkRateLimits } from './rate-limit.js';
import { resolveRetry, type RetryOptions } from './retry.js';
import { checkLevel, checkRoute, EVENT_TYPES } from './routing.js';
import { Redactor } from './secrets.js';
import type { Channel, Notification, NotifyLogger } from './types.js';

/** Options of a {@link Notifier}. */
export interface NotifierOptions {
  /** Where notifications go (see `channels.telegram`, `channels.email`, ...). */
  channels: Channel[];
  /** Repeats of a key (event type + instrument + text) within this window are folded into one message (default 300,000 ms = 5 min; 0 = off). */
  dedupWindowMs?: number;
  /** Notifications held per channel; past it the lowest levels are dropped first (default 1,000). */
  maxQueue?: number;
  /** Retries of transient failures, and the timeout of one attempt. */
  retry?: RetryOptions;
  /** Hold notifications below `minLevel` (default CRITICAL) during these hours, send them after. */
  quietHours?: QuietHoursOptions;
  /** Receives every outcome (sent, failed, dropped); the store implements it. */
  log?: NotificationLog;
  /** Where attempts, retries, drops and failures are reported (default: warnings and errors on stderr). */
  logger?: NotifyLogger;
  /** Overrides the level events are reported at, by type (e.g. `{ fill: 'WARNING' }`). */
  levels?: Partial<Record<FerroEventType, EventLevel>>;
  /** The wall clock for quiet hours and rate limits (default `Date.now`). */
  now?: () => number;
  /** Longest wait in quiet hours before the clock is read again (default 60,000 ms). */
  quietRecheckMs?: number;
}

/** Options of {@link Notifier.notify}. */
export interface NotifyOptions {
  /** A title (default: the first line of the text). */
  title?: string;
  /** Who sends it (a strategy, a component). */
  source?: string;
  /** When it happened (default now). */
  time?: number;
}

const stderrLogger: NotifyLogger = {
  info: () => {},
  warn: (m) => console.error(m),
  error: (m) => console.error(m),
};

/**
 * Sends notifications to e-mail, SMS, webhooks and chats.
 *
 * ```ts
 * const notifier = new Notifier({
 *   channels: [
 *     channels.telegram({ token: { env: 'TELEGRAM_BOT_TOKEN' }, chatId: '123456', events: ['fill', 'trade'] }),
 *     channels.email({ host: 'smtp.example.com', port: 587, user: 'bot', password: { env: 'SMTP_PASSWORD' },
 *                      from: 'bot@example.com', to: 'me@example.com', minLevel: 'ERROR' }),
 *   ],
 * });
 * notifier.attach(bus);
 * ```
 */
export class Notifier {
  private readonly runners: ChannelRunner[];
  private readonly dedup: Deduplicator;
  private readonly redactor = new Redactor();
  private readonly levels: Partial<Record<FerroEventType, EventLevel>>;
  private readonly logger: NotifyLogger;
  /** Below this level rank no channel takes anything: skipped before any work. */
  private readonly floor: number;
  private readonly now: () => number;
  /** Event types some channel takes, or null when one takes all. */
  private readonly types: Set<string> | null;
  private closed = false;
  private readonly detachers: Array<() => void> = [];

  constructor(options: NotifierOptions) {
    if (!options || !Array.isArray(options.channels) || options.channels.length === 0) {
      throw new NotifyConfigError('Notifier needs at least one channel: new Notifier({ channels: [channels.telegram({...}), ...] })');
    }
    const names = new Set<string>();
    for (const c of options.channels) {
      if (!c || typeof c.send !== 'function') throw new NotifyConfigError('each channel must be a Channel (make one with channels.email, channels.telegram, ...)');
      if (names.has(c.name)) throw new NotifyConfigError(`two channels are named '${c.name}': give each a unique name`);
      names.add(c.name);
      checkRoute(c.route, c.name);
      checkRateLimits(c.rateLimits, c.name);
      this.redactor.add(c.secrets);
    }
    this.levels = { ...options.levels };
    for (const [type, level] of Object.entries(this.levels)) {
      if (!EVENT_TYPES.includes(type as FerroEventType)) throw new NotifyConfigError(`levels: unknown event type '${type}' (known: ${EVENT_TYPES.join(', ')})`);
      checkLevel(level, `levels.${type}`);
    }
    const maxQueue = options.maxQueue ?? 1000;
    if (!Number.isInteger(maxQueue) || maxQueue < 1) throw new NotifyConfigError(`maxQueue must be a whole number >= 1, got ${maxQueue}`);
    const dedupWindowMs = options.dedupWindowMs ?? 300_000;
    if (!Number.isFinite(dedupWindowMs) || dedupWindowMs < 0) throw new NotifyConfigError(`dedupWindowMs must be >= 0, got ${dedupWindowMs}`);
    this.now = options.now ?? Date.now;
    this.logger = wrapLogger(options.logger ?? stderrLogger, this.redactor);
    const ctx = {
      retry: resolveRetry(options.retry),
      maxQueue,
      quiet: options.quietHours ? new QuietHours(options.quietHours) : null,
      quietRecheckMs: options.quietRecheckMs ?? 60_000,
      now: this.now,
      logger: this.logger,
      redactor: this.redactor,
      log: options.log ?? null,
      random: Math.random,
    };
    this.runners = options.channels.map((c) => new ChannelRunner(c, ctx));
    this.floor = Math.min(...this.runners.map((r) => r.lowestRank));
    const routes = options.channels.map((c) => c.route.events);
    this.types = routes.some((t) => t === undefined) ? null : new Set(routes.flatMap((t) => t ?? []));
    this.dedup = new Deduplicator(dedupWindowMs, (folded) => this.dispatch(folded), this.now);
  }

  /** Subscribes to every event on `bus`. Returns the unsubscribe. */
  attach(bus: EventBus): () => void {
    const off = bus.on('*', (event) => this.publish(event));
    this.detachers.push(off);
    return off;
  }

  /** Routes one event. Cheap and synchronous: it never waits on a channel. */
  publish(event: FerroEvent): void {
    if (this.closed || (this.types !== null && !this.types.has(event.type))) return;
    const level = this.levels[event.type] ?? notifyLevel(event);
    if (levelRank(level) < this.floor) return;
    this.route(fromEvent(event, level));
  }

  /** Sends a free-form message (what a strategy's `this.notify()` becomes). */
  notify(level: EventLevel, text: string, data?: Record<string, unknown>, options: NotifyOptions = {}): void {
    checkLevel(level, 'notify: level');
    const event: FerroEvent = { type: 'message', time: options.time ?? this.now(), level, text: String(text) };
    if (options.source !== undefined) event.source = options.source;
    if (data !== undefined) event.data = data;
    if (this.closed || levelRank(level) < this.floor) return;
    const n = fromEvent(event, level);
    if (options.title !== undefined) n.title = options.title;
    this.route(n);
  }

  /** Counters per channel name. */
  stats(): Record<string, ChannelStats> {
    return Object.fromEntries(this.runners.map((r) => [r.channel.name, { ...r.stats }]));
  }

  /**
   * Resolves when every queued notification is sent or has failed. Messages held by quiet hours
   * are waited for (until the hours end); repeats still counting in a window are not sent (see
   * {@link close}).
   */
  async flush(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.idle()));
  }

  /**
   * Stops taking events, sends the folded repeats of open windows, waits for the queues to empty
   * (messages held by quiet hours are sent now) and closes the channels. With `discard`, queued notifications are dropped (and recorded as
   * such) and sends in flight are aborted.
   */
  async close(options: { discard?: boolean } = {}): Promise<void> {
    if (!this.closed) {
      for (const off of this.detachers) off();
      if (!options.discard) this.dedup.flush();
      this.closed = true;
    }
    await Promise.all(this.runners.map((r) => r.close(options.discard ?? false)));
  }

  private route(n: Notification): void {
    const targets = this.runners.filter((r) => r.accepts(n));
    if (targets.length === 0 || !this.dedup.offer(n)) return;
    for (const r of targets) r.push(n);
  }

  private dispatch(n: Notification): void {
    for (const r of this.runners) if (r.accepts(n)) r.push(n);
  }
}

/** Order states that a `fill` event or a later state reports better: DEBUG, so a channel taking INFO gets one message per execution, not four. */
const ORDER_IN_PROGRESS = new Set(['Created', 'Submitted', 'Accepted', 'Partial', 'Completed']);

/** The level the notifier gives an event: the bus's `eventLevel`, with orders in progress lowered to DEBUG. */
export function notifyLevel(event: FerroEvent): EventLevel {
  if (event.type === 'order' && ORDER_IN_PROGRESS.has(event.order.status)) return 'DEBUG';
  return eventLevel(event);
}

/** Every line a logger gets is scrubbed of secrets first, whatever logger the user gives. */
function wrapLogger(logger: NotifyLogger, redactor: Redactor): NotifyLogger {
  return {
    info: (m) => logger.info(redactor.scrub(m)),
    warn: (m) => logger.warn(redactor.scrub(m)),
    error: (m) => logger.error(redactor.scrub(m)),
  };
}
