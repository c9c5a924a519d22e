/**
 * From paper to live with one switch: the same bracket strategy on the sample data, first with
 * the paper broker, then routed to a venue — here a SimulatedVenue that has only Market and
 * Limit orders, so each bracket's stop is watched locally and sent as a Market order when a bar
 * reaches it, and the take-profit is canceled at the venue when the stop fills.
 *
 * The venue is driven bar by bar by the replay (a rehearsal): it meets each bar before the
 * session does, as a market's prices come before the bar that summarises them.
 *
 * Run it with `npx tsx examples/live-venue.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Cerebro, feeds, ind, paper, replaySource, SimulatedVenue, Strategy, type DataFeed, type Indicator, type LiveResult, type LiveSource } from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** On an upward SMA cross, a bracket: buy at the close, stop 3 % below, take profit 5 % above. */
export class BracketCross extends Strategy<{ fast: number; slow: number }> {
  static override params = { fast: 10, slow: 30 };
  cross!: Indicator;
  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  override next(): void {
    if (this.position.size !== 0 || this.broker.getOrdersOpen().length > 0 || !(this.cross.get() > 0)) return;
    const close = this.data.close.get();
    this.buyBracket({ size: 10, exectype: 'Limit', price: close, stopprice: close * 0.97, limitprice: close * 1.05 });
  }
}

/** Replays `feed` into the session and the venue: the venue meets each bar first. */
function rehearsal(venue: SimulatedVenue, feed: DataFeed): LiveSource {
  let stopped = false;
  const c = feed.columns;
  return {
    name: feed.name, frame: feed.frame, paced: false, startTime: c.datetime[0]!,
    async start(sink) {
      for (let i = 0; i < feed.size && !stopped; i++) {
        venue.setBar(feed.name, { time: c.datetime[i]! + 86_400_000 - 1, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]! });
        await new Promise((r) => setImmediate(r)); // the venue's fills reach the session
        sink.push({ type: 'bar', time: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! });
        await new Promise((r) => setImmediate(r)); // the new orders reach the venue
      }
      sink.end();
    },
    stop() {
      stopped = true;
    },
  };
}

function setup(): Cerebro {
  const cerebro = new Cerebro();
  cerebro.broker.setCash(100_000);
  cerebro.addStrategy(BracketCross);
  return cerebro;
}

/** Runs the strategy on paper and at the venue; returns both results and the venue. */
export async function runLiveVenueExample(file = join(here, 'data', 'sample-daily.csv')): Promise<{ paper: LiveResult; live: LiveResult; venue: SimulatedVenue }> {
  const [onPaper] = await setup().runLive({ sources: [replaySource(file, { speed: 'max' })], broker: paper(), logger: false, handleSignals: false });

  // The switch: the broker is a venue adapter, and the orders are journaled before they are sent.
  const venue = new SimulatedVenue({ cash: 100_000, capabilities: { orderTypes: ['Market', 'Limit'] } });
  const feed = feeds.backtraderCsv(file);
  const [live] = await setup().runLive({
    sources: [rehearsal(venue, feed)], broker: venue.adapter('rehearsal'), journal: ':memory:', logger: false, handleSignals: false, clock: 'data',
  });
  return { paper: onPaper!, live: live!, venue };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { paper: p, live: l, venue } = await runLiveVenueExample();
  console.log('paper', p.summary);
  console.log('live ', l.summary);
  console.log('venue orders by type', venue.snapshot().orders.reduce<Record<string, number>>((a, o) => ((a[o.type] = (a[o.type] ?? 0) + 1), a), {}));
}
