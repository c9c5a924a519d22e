/**
 * Paper trading on a venue's incremental depth feed: a first book snapshot with a sequence
 * number, then level deltas (add, modify, delete) the session applies to the Rust order book.
 * The same strategy on the same stream sent as snapshots (or backtested with `runTicks()`)
 * fills the same; here one update is lost on the way, so the session counts the gap, keeps the
 * stale book away from the strategy and resumes on the venue's next snapshot.
 *
 * Run it with `npx tsx examples/live-book-deltas.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bookDeltas, Cerebro, feeds, iterableSource, paper, Strategy, type BookMessage, type LiveResult, type LiveSource } from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Buys when the best three bid levels outweigh the asks, sells when they turn. */
export class DepthImbalance extends Strategy {
  books = 0;
  override onOrderBook(): void {
    this.books++;
    if (this.broker.getOrdersOpen().length > 0) return;
    const imbalance = this.book().imbalance(3);
    if (this.position.size === 0 && imbalance > 0.3) this.buy({ size: 5 });
    else if (this.position.size > 0 && imbalance < -0.2) this.close();
  }
}

/** The sample Level2 file's rows, as a snapshot source sends them. */
function snapshots(feed: Level2Feed): BookMessage[] {
  const b = feed.book;
  const at = (cols: Float64Array[], i: number) => cols.map((c) => c[i]!);
  return Array.from({ length: feed.size }, (_, i) => ({
    type: 'book' as const, time: feed.columns.datetime[i]!, bidPrice: at(b.bidPrice, i), bidVolume: at(b.bidVolume, i),
    askPrice: at(b.askPrice, i), askVolume: at(b.askVolume, i), last: b.last[i]!, lastVolume: b.lastVolume[i]!,
  }));
}

/** Runs the session on the delta stream with update `lose` missing; returns its result. */
export async function runBookDeltasExample(file = join(here, 'data', 'sample-level2.csv'), lose = 1500): Promise<LiveResult> {
  const feed = feeds.level2Csv(file, { barMs: 1000 });
  // A snapshot every 1000 updates, as venues resend them; update `lose` never arrives.
  const stream = bookDeltas(snapshots(feed), { snapshotEvery: 1000 }).filter((m) => !('seq' in m && m.seq === lose));
  const source: LiveSource = { ...iterableSource('depth', stream, { frame: { timeframe: 'Ticks', compression: 1 } }), level2: { depth: feed.depth, barMs: 1000 } };
  const cerebro = new Cerebro();
  cerebro.broker.setCash(100_000);
  cerebro.addStrategy(DepthImbalance);
  const [result] = await cerebro.runLive({ sources: [source], broker: paper(), clock: 'data', logger: false, handleSignals: false });
  return result!;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runBookDeltasExample();
  console.log(r.summary);
  console.log(r.sources.depth); // ticks, bookGaps: 1, staleDeltas: the updates until the next snapshot
}
