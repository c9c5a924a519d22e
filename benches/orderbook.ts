/**
 * Level2 benchmark: the Rust book alone (`crates/core/examples/book_bench.rs`: deltas applied
 * per second, average-price query time at 5 levels) and a tick backtest with a TypeScript
 * strategy on a synthetic stream (`generateLevel2`, `--bars` ticks, 5 levels): the strategy
 * reads the book's imbalance on every quote change and trades on it, orders filling against the
 * book. The same stream, converted to hftbacktest events (`lib/hft-events.ts`), runs the same
 * rule in hftbacktest (`peers/hftbacktest_imbalance.py`); `note` says where the two differ.
 */
import { join } from 'node:path';

import { Cerebro, feeds, generateLevel2, Strategy, type TickRunResult } from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, ensureHftbacktest, measure, runPython } from './lib/harness.js';
import { ensureHftEvents } from './lib/hft-events.js';
import { runRustExample } from './rust-examples.js';

/** Buys 5 when the book leans to the bids, sells when it leans to the asks. */
class Imbalance extends Strategy {
  quotes = 0;
  override onQuote(): void {
    this.quotes++;
    const imb = this.book().imbalance(5);
    const size = this.position.size;
    if (size === 0 && imb > 0.6) this.buy({ size: 5 });
    else if (size > 0 && imb < -0.6) this.sell({ size: 5 });
  }
}

function runTicks(feed: Level2Feed): TickRunResult {
  const c = new Cerebro();
  c.addL2Data(feed);
  c.broker.setCash(1e9);
  c.addStrategy(Imbalance);
  return c.runTicks()[0]!;
}

const DEPTH = 5;

/** What `peers/hftbacktest_imbalance.py` prints. */
interface PeerOutput {
  events: number;
  ticks: number;
  steps: number;
  seconds: number;
  runs_s: number[];
  ticks_per_s: number;
  events_per_s: number;
  quotes: number;
  orders: number;
  final_position: number;
  version: string;
}

const NOTE =
  'Same stream, same rule (on a best bid/ask price or size change: imbalance over 5 levels; buy 5 at ' +
  'market when flat and > 0.6, sell 5 when long and < -0.6), zero latency, no fees. ferrotrade: ' +
  'the Level2 columns in memory, a TypeScript strategy called per quote change by runTicks, ' +
  'market orders reaching the next tick\'s book and walking its levels (a rest stays open), ' +
  'trade records kept. hftbacktest: the stream as depth/trade events (trade first, then each ' +
  'changed level per tick; ticks with no change have no event), a numba strategy stepping ' +
  'elapse() from one event time to the next and checking the best quote itself, its ' +
  'no-partial-fill exchange (a market order fills whole at the best price at once); the timed ' +
  'run includes building the backtest from the event array, the first (compiling) run is not ' +
  'timed. ticks_per_s is stream ticks over median seconds on both sides.';

/** Runs the bench; see the module comment. */
export async function orderbook(options: BenchOptions): Promise<object> {
  const book = runRustExample('book_bench') as { updates_per_s: number; avg_price_ns: number };
  const ticks = options.bars;
  progress(`orderbook: generating ${ticks} ticks`);
  const stream = generateLevel2({ ticks, depth: DEPTH, seed: options.seed });
  const feed = feeds.level2Columns(stream, { barMs: 60_000 });
  progress(`orderbook: tick backtest x${options.runs}`);
  let last: TickRunResult | undefined;
  const run = await measure(() => {
    last = runTicks(feed);
  }, { runs: options.runs, warmup: 1 });
  const ticksPerS = ticks / (run.medianMs / 1000);
  const ours = {
    median_ms: run.medianMs,
    ticks_per_s: Math.round(ticksPerS),
    runs_ms: run.runsMs,
    quotes: (last?.strategy as Imbalance | undefined)?.quotes,
    orders: last?.orders.length,
  };

  let hftbacktest: object;
  let ratio: number | null = null;
  try {
    const python = ensureHftbacktest();
    const events = ensureHftEvents(stream, ticks, DEPTH, options.seed);
    progress(`orderbook: hftbacktest x${options.peerRuns} after one that compiles the strategy`);
    const peer = await runPython<PeerOutput>(
      join(BENCHES_DIR, 'peers', 'hftbacktest_imbalance.py'),
      [events, String(ticks), String(options.peerRuns)],
      { python },
    );
    hftbacktest = {
      median_ms: peer.seconds * 1000,
      ticks_per_s: peer.ticks_per_s,
      runs_ms: peer.runs_s.map((x) => x * 1000),
      events: peer.events,
      events_per_s: peer.events_per_s,
      steps: peer.steps,
      quotes: peer.quotes,
      orders: peer.orders,
      final_position: peer.final_position,
      version: peer.version,
    };
    ratio = ours.ticks_per_s / peer.ticks_per_s;
  } catch (err) {
    hftbacktest = { error: (err as Error).message };
  }
  return {
    bench: 'orderbook',
    book: { updates_per_s: book.updates_per_s, avg_price_ns_5_levels: book.avg_price_ns },
    tick_backtest: { ticks, ...ours, final_position: last?.strategy.position.size },
    hftbacktest,
    // ferrotrade's ticks per second over hftbacktest's (above 1: ferrotrade is faster).
    ratio_ticks_per_s: ratio,
    note: NOTE,
    machine: machineInfo(),
  };
}
