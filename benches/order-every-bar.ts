/**
 * Order-every-bar benchmark: a strategy that sends a Market order on every bar (alternating buy
 * and sell of one unit), so every bar crosses into the broker, fills, and notifies. ferrotrade
 * runs `--bars` bars; backtrader runs a tenth of them (at ~10k bars/s it would take minutes),
 * and the comparison is in bars per second. Both must end with the same number of closed
 * trades and the same final value on the common data.
 *
 * Also measures the Rust matching engine alone (`crates/core/examples/matching_bench.rs`):
 * resting orders evaluated per second.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import type { RunResult } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { distLibrary } from './lib/dist.js';
import { BENCHES_DIR, ensureBacktrader, ensureCsv, measure, runPython } from './lib/harness.js';
import { runRustExample } from './rust-examples.js';

type Library = Awaited<ReturnType<typeof distLibrary>>;
type Feed = ReturnType<Library['feeds']['backtraderCsv']>;

/** The bench strategy on the built library: buys one unit when flat, sells it when long. */
function everyBar(lib: Library) {
  return class EveryBar extends lib.Strategy {
    override next(): void {
      if (this.position.size > 0) this.sell({ size: 1 });
      else this.buy({ size: 1 });
    }
  };
}

const CASH = 1e9;

function runFerro(lib: Library, strategy: ReturnType<typeof everyBar>, data: Feed): RunResult {
  const cerebro = new lib.Cerebro();
  cerebro.addData(data);
  cerebro.broker.setCash(CASH);
  cerebro.addStrategy(strategy);
  return cerebro.run()[0]!;
}

interface PeerResult {
  bars: number;
  median_s: number;
  bars_per_s: number;
  orders: number;
  closed_trades: number;
  final_value: number;
}

/**
 * Peak RSS of a process that loads `csv` and runs the strategy once, keeping the result (and so
 * every order) alive: the bench's own process has run many times and holds the peer's data, so
 * its RSS would say little. Uses the profiling driver in benches/profile/.
 */
function peakRss(csv: string): { peak_rss_mb: number; orders_retained: number } {
  const driver = join(BENCHES_DIR, 'profile', 'order-every-bar.mjs');
  const res = spawnSync(process.execPath, [driver, csv, '1'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`order_every_bar: the memory run failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as { peak_rss_mb: number; orders_retained: number };
  return { peak_rss_mb: out.peak_rss_mb, orders_retained: out.orders_retained };
}

/** Runs the bench; see the module comment. */
export async function orderEveryBar(options: BenchOptions): Promise<object> {
  const peerBars = Math.max(1000, Math.floor(options.bars / 10));
  const csv = ensureCsv(options.bars, options.seed);
  const peerCsv = ensureCsv(peerBars, options.seed);
  // Timed as users run it: the published build (dist/), not the TypeScript sources.
  const lib = await distLibrary();
  const EveryBar = everyBar(lib);
  const data = lib.feeds.backtraderCsv(csv);
  progress(`order_every_bar: ferrotrade x${options.runs} on ${options.bars} bars`);
  let last: RunResult | undefined;
  const ferro = await measure(() => {
    last = runFerro(lib, EveryBar, data);
  }, { runs: options.runs, warmup: 1 });
  // A run's orders and closed trades are objects made when first read; this timing includes
  // making all of them (what a caller that walks every trade pays).
  progress(`order_every_bar: ferrotrade x${options.runs}, reading every order and trade`);
  const withResults = await measure(() => {
    const r = runFerro(lib, EveryBar, data);
    let pnl = 0;
    for (const t of r.trades) pnl += t.pnlcomm;
    if (r.orders.length !== options.bars || !Number.isFinite(pnl)) throw new Error('order_every_bar: unexpected result');
  }, { runs: options.runs, warmup: 0 });

  progress('order_every_bar: same run on the peer data, for the comparison');
  const common = runFerro(lib, EveryBar, lib.feeds.backtraderCsv(peerCsv));

  progress(`order_every_bar: backtrader x${options.peerRuns} on ${peerBars} bars`);
  const python = ensureBacktrader();
  const peer = await runPython<PeerResult>(join(BENCHES_DIR, 'peers', 'backtrader_every_bar.py'), [
    '--csv', peerCsv, '--cash', String(CASH), '--runs', String(options.peerRuns),
  ], { python });

  const matching = runRustExample('matching_bench');

  progress('order_every_bar: peak RSS of one run in a fresh process, every order retained');
  const memory = peakRss(csv);

  const barsPerS = options.bars / (ferro.medianMs / 1000);
  const barsPerSWithResults = options.bars / (withResults.medianMs / 1000);
  const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
  return {
    bench: 'order_every_bar',
    bars: options.bars,
    ferrotrade: { median_ms: ferro.medianMs, bars_per_s: Math.round(barsPerS), runs_ms: ferro.runsMs, orders: last?.orders.length },
    ferrotrade_reading_results: {
      median_ms: withResults.medianMs, bars_per_s: Math.round(barsPerSWithResults), runs_ms: withResults.runsMs,
    },
    backtrader: { bars: peer.bars, median_s: peer.median_s, bars_per_s: Math.round(peer.bars_per_s) },
    ratio_bars_per_s: Number((barsPerS / peer.bars_per_s).toFixed(2)),
    ratio_bars_per_s_reading_results: Number((barsPerSWithResults / peer.bars_per_s).toFixed(2)),
    same_result_on_peer_data: {
      closed_trades: [common.trades.length, peer.closed_trades],
      final_value: [common.finalValue, peer.final_value],
      match: common.trades.length === peer.closed_trades && relClose(common.finalValue, peer.final_value),
    },
    memory,
    matching_engine: matching,
    machine: machineInfo(),
  };
}
