/**
 * What `cerebro.runLive({ broker: adapter })` builds before its session starts: the journal
 * (opened once, shared by the order routing and the session's strategy state), the venue route
 * with its reconciliation done, and the session's options.
 */
import type { Broker } from '../broker/broker.js';
import type { EventBus } from '../events/bus.js';
import type { LiveFeed } from './live-feed.js';
import type { LiveLevel2Feed } from './live-level2-feed.js';
import { openJournal, type OrderJournal } from '../store/journal.js';
import type { BrokerAdapter } from './broker-adapter.js';
import { defaultLogger } from './logger.js';
import type { LiveOptions } from './options.js';
import { VenueRoute } from './venue-broker.js';

/** The venue side of a live session, started (reconciled), and the options the session gets. @internal */
export async function startVenue(
  adapter: BrokerAdapter, broker: Broker, feeds: readonly (LiveFeed | LiveLevel2Feed)[], options: LiveOptions, bus: EventBus | null,
): Promise<{ venue: VenueRoute; options: LiveOptions; close: () => void }> {
  const log = options.logger === false ? null : options.logger ?? defaultLogger();
  const given = options.journal;
  if (given === undefined) log?.warn({ venue: adapter.name }, 'live trading without a journal: order intents are kept in memory only; pass journal: "orders.db"');
  const journal: OrderJournal = typeof given === 'object' ? given : openJournal(given ?? ':memory:');
  const close = () => {
    if (typeof given !== 'object') journal.close();
  };
  const session = options.session ?? 'live';
  const venue = new VenueRoute(adapter, broker, feeds, {
    journal, session, bus, log, ...(options.routerHooks ? { hooks: options.routerHooks } : {}),
  });
  try {
    await venue.start();
  } catch (err) {
    close();
    throw err;
  }
  // The session journals the strategies' orders and state beside the routing, under its own name.
  return { venue, options: { ...options, journal, session: `${session}.engine` }, close };
}
