/**
 * Resample bench: `--bars` synthetic ticks (default 1,000,000) → 1-minute bars with
 * `feeds.resample`, in ticks per second (data already in memory, as for the peer); and the
 * CSV reader alone (`feeds.backtraderCsv` over `--bars` daily rows) in rows per second.
 * backtrader's `resampledata` runs on a tenth of the ticks (it manages tens of thousands per
 * second), and both must give the same bars on that common data.
 */
import { join } from 'node:path';

import { feeds } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, ensureBacktrader, ensureCsv, measure, runPython } from './lib/harness.js';
import { ensureTicksCsv, generateTicks } from './lib/ticks.js';

function tickFeed(n: number, seed: number) {
  const { datetime, price, volume } = generateTicks(n, seed);
  return feeds.fromColumns({ datetime, open: price, high: price, low: price, close: price, volume }, { timeframe: 'Ticks' });
}

interface PeerResult {
  ticks: number;
  median_s: number;
  ticks_per_s: number;
  bars: number;
  sum_close: number;
  sum_volume: number;
}

/** Runs the bench; see the module comment. */
export async function resampleBench(options: BenchOptions): Promise<object> {
  const n = options.bars;
  const ticks = tickFeed(n, options.seed);
  progress(`resample: ferrotrade x${options.runs} on ${n} ticks`);
  let bars = 0;
  const ferro = await measure(() => {
    bars = feeds.resample(ticks, { timeframe: 'Minutes' }).size;
  }, { runs: options.runs, warmup: 1 });

  const csv = ensureCsv(n, options.seed);
  progress(`resample: CSV parse x${options.runs} on ${n} rows`);
  const parse = await measure(() => feeds.backtraderCsv(csv), { runs: options.runs, warmup: 1 });

  const peerTicks = Math.max(1000, Math.floor(n / 10));
  progress(`resample: backtrader x${options.peerRuns} on ${peerTicks} ticks`);
  const python = ensureBacktrader();
  const peer = await runPython<PeerResult>(join(BENCHES_DIR, 'peers', 'backtrader_resample.py'), [
    '--csv', ensureTicksCsv(peerTicks, options.seed), '--runs', String(options.peerRuns),
  ], { python });
  const common = feeds.resample(tickFeed(peerTicks, options.seed), { timeframe: 'Minutes' }).columns;
  const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);

  const ticksPerS = n / (ferro.medianMs / 1000);
  return {
    bench: 'resample',
    ticks: n,
    ferrotrade: { median_ms: ferro.medianMs, ticks_per_s: Math.round(ticksPerS), runs_ms: ferro.runsMs, bars },
    backtrader: { ticks: peer.ticks, median_s: peer.median_s, ticks_per_s: Math.round(peer.ticks_per_s) },
    ratio_ticks_per_s: Number((ticksPerS / peer.ticks_per_s).toFixed(1)),
    same_result_on_peer_data: {
      bars: [common.close.length, peer.bars],
      sum_close: [sum(common.close), peer.sum_close],
      sum_volume: [sum(common.volume), peer.sum_volume],
      match: common.close.length === peer.bars && close(sum(common.close), peer.sum_close) && sum(common.volume) === peer.sum_volume,
    },
    csv_parse: { rows: n, median_ms: parse.medianMs, rows_per_s: Math.round(n / (parse.medianMs / 1000)), runs_ms: parse.runsMs },
    goals: { ticks_per_s: 20_000_000, csv_rows_per_s: 2_000_000 },
    machine: machineInfo(),
  };
}
