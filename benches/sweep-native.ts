/**
 * Native sweep benchmark: the SMA crossover (Market orders at the next open, 0.1 % commission)
 * over fast 5..24 × slow 30..75 step 5 (200 combinations) on 100k synthetic bars, with
 * `sweep.native` on 1 and 2 worker threads, and vectorbt (`peers/vectorbt_sma_sweep.py`) on
 * the same file and grid in the same run. Reports bar-evaluations per second (bars ×
 * combinations / median wall time), the ratios, and whether both find the same trade counts.
 */
import { join } from 'node:path';

import { feeds, range, rules, sweep, type NativeSweepResults } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions, type MachineInfo } from './lib/bench.js';
import { BENCHES_DIR, ensureCsv, ensureVectorbt, measure, runPython } from './lib/harness.js';

/** Bars of this bench (at most; a smaller `--bars` is used as given). */
const MAX_BARS = 100_000;
const FASTS = [...range(5, 25)];
const SLOWS = [...range(30, 80, 5)];
const SIZE = 10;
const CASH = 100_000;
const COMMISSION = 0.001;

/** What `peers/vectorbt_sma_sweep.py` prints. */
interface PeerOutput {
  runs_s: number[];
  median_s: number;
  combos: [number, number][];
  trades: number[];
  final_value: number[];
  vectorbt_version: string;
  python_version: string;
}

/** Result of {@link sweepNative}; durations are medians over the timed runs. */
export interface SweepNativeResult {
  bench: 'sweep_native';
  bars: number;
  combinations: number;
  bar_evaluations: number;
  ferrotrade: {
    /** Per worker-thread count: median wall time and bar-evaluations per second. */
    threads: { threads: number; median_ms: number; runs_ms: number[]; bar_evals_per_s: number }[];
    /** bar-evals/s on 2 threads over 1 thread. */
    scaling_2_vs_1: number;
  };
  vectorbt: { median_s: number; runs_s: number[]; bar_evals_per_s: number; version: string; python: string } | { error: string };
  /** ferrotrade (2 threads) bar-evals/s over vectorbt's. */
  ratio_vs_vectorbt: number | null;
  /** Combinations where both count the same closed trades, and the first that differ. */
  trade_counts: { equal: number; of: number; differing: { fast: number; slow: number; ferrotrade: number; vectorbt: number }[] } | null;
  /** Largest relative difference of the final values (commission and fills agree, so this is rounding or a differing trade). */
  final_value_max_rel_diff: number | null;
  machine: MachineInfo;
}

/** Runs the bench. */
export async function sweepNative(options: BenchOptions): Promise<SweepNativeResult> {
  const n = Math.min(options.bars, MAX_BARS);
  const csv = ensureCsv(n, options.seed);
  const data = feeds.backtraderCsv(csv);
  const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));
  const run = (threads: number): NativeSweepResults =>
    sweep.native({
      data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: SIZE } },
      grid: { fast: FASTS, slow: SLOWS }, broker: { cash: CASH, commission: COMMISSION }, threads,
    });
  const combos = FASTS.length * SLOWS.length;
  const evals = n * combos;
  const threads = [];
  let results: NativeSweepResults | undefined;
  for (const t of [1, 2]) {
    progress(`sweep_native: ferrotrade, ${combos} combinations × ${n} bars on ${t} thread(s)`);
    const m = await measure(() => (results = run(t)), { runs: options.runs });
    threads.push({ threads: t, median_ms: m.medianMs, runs_ms: m.runsMs, bar_evals_per_s: evals / (m.medianMs / 1000) });
  }
  const ours = results!;

  let vectorbt: SweepNativeResult['vectorbt'];
  let peer: PeerOutput | undefined;
  try {
    const python = ensureVectorbt();
    progress(`sweep_native: vectorbt, ${options.peerRuns} run(s) after one that compiles numba's kernels`);
    peer = await runPython<PeerOutput>(
      join(BENCHES_DIR, 'peers', 'vectorbt_sma_sweep.py'),
      [csv, FASTS.join(','), SLOWS.join(','), String(SIZE), String(CASH), String(COMMISSION), String(options.peerRuns)],
      { python },
    );
    vectorbt = { median_s: peer.median_s, runs_s: peer.runs_s, bar_evals_per_s: evals / peer.median_s, version: peer.vectorbt_version, python: peer.python_version };
  } catch (err) {
    vectorbt = { error: (err as Error).message };
  }

  let tradeCounts: SweepNativeResult['trade_counts'] = null;
  let maxRel: number | null = null;
  if (peer) {
    const differing = [];
    let equal = 0;
    maxRel = 0;
    for (let k = 0; k < peer.combos.length; k++) {
      const [fast, slow] = peer.combos[k]!;
      const row = ours.rows.find((r) => r.params.fast === fast && r.params.slow === slow)!;
      if (row.trades === peer.trades[k]) equal++;
      else differing.push({ fast, slow, ferrotrade: row.trades, vectorbt: peer.trades[k]! });
      maxRel = Math.max(maxRel, Math.abs(row.finalValue - peer.final_value[k]!) / peer.final_value[k]!);
    }
    tradeCounts = { equal, of: peer.combos.length, differing: differing.slice(0, 5) };
  }
  const two = threads[1]!.bar_evals_per_s;
  return {
    bench: 'sweep_native',
    bars: n,
    combinations: combos,
    bar_evaluations: evals,
    ferrotrade: { threads, scaling_2_vs_1: two / threads[0]!.bar_evals_per_s },
    vectorbt,
    ratio_vs_vectorbt: 'bar_evals_per_s' in vectorbt ? two / vectorbt.bar_evals_per_s : null,
    trade_counts: tradeCounts,
    final_value_max_rel_diff: maxRel,
    machine: machineInfo(),
  };
}
