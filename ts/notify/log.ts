/**
 * The record of every notification with its outcome. The notifier writes one entry per
 * notification and channel: sent, failed (after its attempts) or dropped (queue full, or closed
 * with `discard`). The store implements {@link NotificationLog} to keep them in its
 * `notifications` table; {@link MemoryNotificationLog} keeps them in memory.
 */
import type { EventLevel, FerroEventType } from '../events/index.js';

/** One notification's outcome on one channel. Holds no secret. */
export interface NotificationRecord {
  /** When the outcome was known (ms since 1970 UTC, wall clock). */
  time: number;
  /** When the notification was made (the event's time). */
  eventTime: number;
  channel: string;
  kind: string;
  level: EventLevel;
  type: FerroEventType;
  title: string;
  text: string;
  key: string;
  outcome: 'sent' | 'failed' | 'dropped';
  /** Attempts made (0 for a dropped one). */
  attempts: number;
  /** Why it failed or was dropped (secrets scrubbed). */
  error?: string;
  /** HTTP status or SMTP code of the last answer. */
  status?: number;
  /** The provider's id of the message, when it gives one. */
  providerId?: string;
  /** Occurrences folded into this one by deduplication. */
  repeats?: number;
}

/** Where outcomes are written. A log that throws or rejects is reported and never stops sending. */
export interface NotificationLog {
  record(entry: NotificationRecord): void | Promise<void>;
}

/** Keeps the latest outcomes in memory (default 10,000). */
export class MemoryNotificationLog implements NotificationLog {
  readonly entries: NotificationRecord[] = [];

  constructor(readonly capacity = 10_000) {}

  record(entry: NotificationRecord): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** The entries of one channel. */
  of(channel: string): NotificationRecord[] {
    return this.entries.filter((e) => e.channel === channel);
  }
}
