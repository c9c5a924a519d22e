/**
 * Where a dashboard's events come from: the event bus of a session in the same process
 * (`ferrotrade run` with a live role), or the journal of a session in another process
 * (`ferrotrade dashboard --store sqlite:FILE`), whose order entries become order and fill events.
 */
import { followBlotter } from '../blotter/follow.js';
import type { BlotterRow } from '../blotter/rows.js';
import type { EventBus } from '../events/bus.js';
import type { FerroEvent, OrderSnapshot } from '../events/types.js';
import type { DashboardFeed } from './server.js';

/** Every event of `bus`. */
export function busFeed(bus: EventBus): DashboardFeed {
  return { subscribe: (handler) => bus.on('*', handler) };
}

function snapshotOf(row: BlotterRow): OrderSnapshot {
  return {
    ref: row.ref, clientOrderId: row.clientOrderId, symbol: row.symbol, side: row.side, orderType: row.type, size: row.size,
    ...(row.price === null ? {} : { price: row.price }), status: row.status, filled: row.filled, avgPrice: row.avgPrice ?? NaN,
  };
}

/** The events a journal entry stands for: an order event, and a fill event when it carried a fill. */
export function eventsOfRow(row: BlotterRow): FerroEvent[] {
  const order = snapshotOf(row);
  const events: FerroEvent[] = [{ type: 'order', time: row.time, source: row.session, order }];
  if (row.fill) events.push({ type: 'fill', time: row.time, source: row.session, order, size: row.fill.size, price: row.fill.price, commission: row.fill.commission });
  return events;
}

/** Options of {@link journalFeed}. */
export interface JournalFeedOptions {
  session?: string;
  /** How often the journal is read for new entries (default 250 ms). */
  intervalMs?: number;
  /** Called when following the journal fails (default: the error is printed on stderr). */
  onError?(error: unknown): void;
}

/** The orders and fills a session writes to its journal at `path`, from the first entry on. */
export function journalFeed(path: string, options: JournalFeedOptions = {}): DashboardFeed {
  const stop = new AbortController();
  const handlers = new Set<(event: FerroEvent) => void>();
  let following: Promise<void> | undefined;
  const follow = async () => {
    try {
      for await (const row of followBlotter(path, { signal: stop.signal, intervalMs: options.intervalMs ?? 250, ...(options.session ? { session: options.session } : {}) })) {
        for (const event of eventsOfRow(row)) for (const h of handlers) h(event);
      }
    } catch (error) {
      (options.onError ?? ((e) => process.stderr.write(`ferrotrade dashboard: reading ${path} failed: ${e instanceof Error ? e.message : String(e)}\n`)))(error);
    }
  };
  return {
    subscribe(handler) {
      handlers.add(handler);
      following ??= follow();
      return () => handlers.delete(handler);
    },
    async close() {
      stop.abort();
      await following;
    },
  };
}
