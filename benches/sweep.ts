/**
 * Sweep benchmark: the SMA-cross strategy over a 200-combination grid (fast 5..24 × slow
 * 30..75 step 5) on synthetic bars, with ferrotrade's `optStrategy` on 1 and on 2 worker threads
 * (scaling), against backtrader's `optstrategy` (maxcpus=2) in the same run. backtrader runs a
 * subset of the grid (it needs minutes per combination count at this size); the comparison is
 * in bar-evaluations (bars × combinations) per second. ferrotrade runs from its published build
 * (see lib/dist.ts), as users run it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { range } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { compileAgainstDist, distLibrary } from './lib/dist.js';
import { BENCHES_DIR, ensureBacktrader, ensureCsv, runPython } from './lib/harness.js';
import type { SweepSmaCross as SweepStrategy } from './sweep-strategy.js';

interface PeerResult {
  bars: number;
  combinations: number;
  seconds: number;
  bar_evals_per_s: number;
}

/** The one-core run in a process pinned to CPU 0, or null where `taskset` is not available. */
function oneCorePinned(csv: string, bars: number, module: string): { seconds: number } | null {
  progress('sweep: ferrotrade on one worker, pinned to one core');
  const script = fileURLToPath(new URL('./sweep-one-core.ts', import.meta.url));
  const res = spawnSync('taskset', ['-c', '0', process.execPath, '--import', 'tsx', script, csv, String(bars), module], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.error || res.status !== 0) return null;
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { seconds: number };
}

/** Runs the bench; see the module comment. Uses `--bars` (default here: 100,000). */
export async function sweep(options: BenchOptions): Promise<object> {
  const bars = Math.min(options.bars, 100_000);
  const csv = ensureCsv(bars, options.seed);
  const grid = { fast: range(5, 25), slow: range(30, 80, 5) };
  const combos = grid.fast.length * grid.slow.length;
  const MODULE = compileAgainstDist(new URL('./sweep-strategy.ts', import.meta.url));
  const { Cerebro, feeds } = await distLibrary();
  const { SweepSmaCross } = (await import(MODULE)) as { SweepSmaCross: typeof SweepStrategy };
  const timed = async (maxCpus: number) => {
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(csv));
    cerebro.broker.setCash(100_000);
    progress(`sweep: ferrotrade ${combos} combinations x ${bars} bars on ${maxCpus} thread(s)`);
    // Worker threads on both sides, so 1 vs 2 compares like with like (same start-up costs).
    const res = await cerebro.optStrategy(SweepSmaCross, grid, { module: MODULE, maxCpus, threads: true });
    return { seconds: res.elapsedMs / 1000, errors: res.errors().length, res };
  };
  // One core: a separate process pinned to CPU 0 where `taskset` exists (Linux), else in-process.
  // Each configuration runs several times, alternating, and the medians are compared: a single
  // sweep on this kind of machine moves by ±10 %.
  const runs = Math.max(1, Math.min(options.runs, 3));
  const oneRuns: number[] = [];
  const twoRuns: number[] = [];
  let pinnedOk = true;
  let errors = 0;
  for (let k = 0; k < runs; k++) {
    const pinned = oneCorePinned(csv, bars, MODULE);
    pinnedOk &&= pinned !== null;
    oneRuns.push((pinned ?? (await timed(1))).seconds);
    const two = await timed(2);
    twoRuns.push(two.seconds);
    errors += two.errors;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const one = { seconds: median(oneRuns) };
  const two = { seconds: median(twoRuns), errors };
  const ferroEvals = (combos * bars) / two.seconds;

  const peerGrid = { fast: [5, 10], slow: [30, 40] };
  progress(`sweep: backtrader optstrategy maxcpus=2 on ${peerGrid.fast.length * peerGrid.slow.length} combinations`);
  const python = ensureBacktrader();
  const peer = await runPython<PeerResult>(join(BENCHES_DIR, 'peers', 'backtrader_optstrategy.py'), [
    '--csv', csv, '--fast', peerGrid.fast.join(','), '--slow', peerGrid.slow.join(','), '--maxcpus', '2',
  ], { python });

  return {
    bench: 'sweep',
    bars,
    combinations: combos,
    ferrotrade: {
      one_core_s: one.seconds,
      one_core_runs_s: oneRuns,
      one_core_pinned: pinnedOk,
      two_cores_s: two.seconds,
      two_cores_runs_s: twoRuns,
      scaling_1_to_2: Number((one.seconds / two.seconds).toFixed(2)),
      bar_evals_per_s: Math.round(ferroEvals),
      combos_per_s: Number((combos / two.seconds).toFixed(1)),
      errors: two.errors,
    },
    backtrader: { combinations: peer.combinations, seconds: peer.seconds, bar_evals_per_s: Math.round(peer.bar_evals_per_s) },
    ratio_bar_evals_per_s: Number((ferroEvals / peer.bar_evals_per_s).toFixed(1)),
    machine: machineInfo(),
  };
}
