/**
 * Level2 benchmark: the Rust book alone (`crates/core/examples/book_bench.rs`: deltas applied
 * per second, average-price query time at 5 levels) and a tick backtest with a TypeScript
 * strategy on a synthetic stream (`generateLevel2`, `--bars` ticks, 5 levels): the strategy
 * reads the book's imbalance on every quote change and trades on it, orders filling against the
 * book. No peer runs yet (see docs/orderbook.md for the planned hftbacktest comparison).
 */
import { Cerebro, feeds, generateLevel2, Strategy, type TickRunResult } from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { measure } from './lib/harness.js';
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

/** Runs the bench; see the module comment. */
export async function orderbook(options: BenchOptions): Promise<object> {
  const book = runRustExample('book_bench') as { updates_per_s: number; avg_price_ns: number };
  const ticks = options.bars;
  progress(`orderbook: generating ${ticks} ticks`);
  const stream = generateLevel2({ ticks, depth: 5, seed: options.seed });
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
  return {
    bench: 'orderbook',
    book: { updates_per_s: book.updates_per_s, avg_price_ns_5_levels: book.avg_price_ns },
    tick_backtest: { ticks, ...ours },
    machine: machineInfo(),
  };
}
