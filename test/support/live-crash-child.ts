/**
 * A trading process for the crash tests: it routes two orders through the journal to a simulated
 * venue kept in a file, and kills itself with SIGKILL at the point it is told to; run again with
 * `recover`, it reconciles and prints the report and the venue's orders as JSON.
 *
 * argv: <journal path> <venue path> <trade|recover> [after-intent|before-fill-journaled]
 */
import { openJournal } from '../../ts/store/journal.js';
import { OrderRouter } from '../../ts/live/order-router.js';
import { SimulatedVenue } from '../../ts/live/simulated-venue.js';
import type { VenueEvent } from '../../ts/live/broker-adapter.js';

const [journalPath, venuePath, mode, crashAt] = process.argv.slice(2) as [string, string, string, string | undefined];
const venue = new SimulatedVenue({ statePath: venuePath, timeoutMs: 50 });
const journal = openJournal(journalPath);
const die = () => process.kill(process.pid, 'SIGKILL');
const router = new OrderRouter(venue.adapter(), journal, {
  session: 'crash',
  hooks: {
    afterIntent: (cid) => {
      if (crashAt === 'after-intent' && cid === 'crash-2') die();
    },
    beforeJournalingEvent: (e: VenueEvent) => {
      if (crashAt === 'before-fill-journaled' && e.type === 'fill') die();
    },
  },
});

const report = await router.start();
if (mode === 'trade') {
  venue.setPrice('X', 100);
  router.saveState({ entries: 1 });
  await router.submit({ clientOrderId: router.nextClientOrderId(), symbol: 'X', side: 'buy', size: 2, type: 'Limit', price: 90 });
  await router.submit({ clientOrderId: router.nextClientOrderId(), symbol: 'X', side: 'buy', size: 5, type: 'Market' });
  await new Promise((r) => setTimeout(r, 50));
}
const snapshot = venue.snapshot();
process.stdout.write(JSON.stringify({ report, venueOrders: snapshot.orders, venueFills: snapshot.fills, journalPositions: router.journalPositions() }));
journal.close();
