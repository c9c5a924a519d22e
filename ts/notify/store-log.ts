/**
 * Notification outcomes written to a store's `notifications` table, in batches, off the sending
 * path. The store is anything with `writeNotifications(rows)` (the shape of ferrotrade's `Store`);
 * a failed write keeps its rows for the next attempt, so an outage of the database loses nothing
 * up to `maxBuffered` rows (past it the oldest are dropped, counted and reported).
 */
import { randomUUID } from 'node:crypto';
import { NotifyConfigError } from '../errors.js';
import type { NotificationLog, NotificationRecord } from './log.js';
import type { NotificationRow } from '../store/types.js';

/** One row of the `notifications` table (the store's own row type). */
export type { NotificationRow };

/** What the log needs of a store. */
export interface NotificationRowWriter {
  writeNotifications(rows: NotificationRow[]): Promise<number>;
}

/** Options of {@link storeNotificationLog}. */
export interface StoreLogOptions {
  /** Rows written together (default 100). */
  batchSize?: number;
  /** Longest a row waits before it is written (default 1,000 ms). */
  flushMs?: number;
  /** Rows kept while the store fails (default 10,000). */
  maxBuffered?: number;
  /** Called with each failed write (default: a line on stderr). */
  onError?: (error: unknown, rows: number) => void;
}

/** A {@link NotificationLog} that also flushes. */
export interface StoreNotificationLog extends NotificationLog {
  /** Writes what is buffered; resolves when written (or the write failed and the rows were kept). */
  flush(): Promise<void>;
  /** Rows waiting to be written. */
  readonly buffered: number;
  /** Rows dropped because the store failed for longer than `maxBuffered` rows. */
  readonly dropped: number;
}

/** The row for an outcome. */
export function notificationRow(entry: NotificationRecord): NotificationRow {
  const data: Record<string, unknown> = {
    channel: entry.channel, channelKind: entry.kind, outcome: entry.outcome, attempts: entry.attempts, title: entry.title,
    key: entry.key, eventTime: entry.eventTime,
  };
  for (const k of ['error', 'status', 'providerId', 'repeats'] as const) if (entry[k] !== undefined) data[k] = entry[k];
  return { id: randomUUID(), time: entry.time, level: entry.level, kind: entry.type, message: entry.text, data };
}

/** Records outcomes in `store`'s `notifications` table; give it to `new Notifier({ log })`. */
export function storeNotificationLog(store: NotificationRowWriter, options: StoreLogOptions = {}): StoreNotificationLog {
  if (!store || typeof store.writeNotifications !== 'function') {
    throw new NotifyConfigError('storeNotificationLog: the store must have writeNotifications(rows) (open one with openStore)');
  }
  const batchSize = options.batchSize ?? 100;
  const flushMs = options.flushMs ?? 1000;
  const maxBuffered = options.maxBuffered ?? 10_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new NotifyConfigError(`storeNotificationLog: batchSize must be a whole number >= 1, got ${batchSize}`);
  if (!Number.isInteger(maxBuffered) || maxBuffered < batchSize) throw new NotifyConfigError(`storeNotificationLog: maxBuffered must be a whole number >= batchSize`);
  const onError = options.onError ?? ((error, rows) => console.error(`notify: writing ${rows} notification rows to the store failed (kept for the next attempt):`, (error as Error)?.message ?? error));
  let buffer: NotificationRow[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;

  const writeOnce = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    while (buffer.length > 0) {
      const rows = buffer.slice(0, batchSize);
      try {
        await store.writeNotifications(rows);
      } catch (error) {
        onError(error, rows.length);
        return; // kept; the next record or flush tries again
      }
      buffer = buffer.slice(rows.length);
    }
  };
  const write = (): Promise<void> => {
    // One write at a time, in order: a flush during a write waits for it, then writes the rest.
    const chain: Promise<void> = (writing ?? Promise.resolve()).then(writeOnce).finally(() => {
      if (writing === chain) writing = null;
    });
    writing = chain;
    return chain;
  };

  return {
    record(entry) {
      buffer.push(notificationRow(entry));
      if (buffer.length > maxBuffered) {
        dropped += buffer.length - maxBuffered;
        buffer.splice(0, buffer.length - maxBuffered);
      }
      if (buffer.length >= batchSize) void write();
      else if (timer === null) {
        timer = setTimeout(() => void write(), flushMs);
        timer.unref();
      }
    },
    flush: () => write(),
    get buffered() {
      return buffer.length;
    },
    get dropped() {
      return dropped;
    },
  };
}
