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
import { compileAgainstDist } from './lib/dist.js';
import { BENCHES_DIR, ensureBacktrader, ensureCsv, runPython } from './lib/harness.js';

interface PeerResult {
  bars: number;
  combinations: number;
  seconds: number;
  bar_evals_per_s: number;
}

/** What `sweep-process.ts` prints. */
interface ProcessResult {
  seconds: number;
  errors: number;
}

/**
 * One sweep in a fresh `node` process on the built library: with one worker pinned to CPU 0
 * (where `taskset` exists, else unpinned; `pinned` says which), or with `workers` unpinned.
 */
function timedProcess(script: string, csv: string, bars: number, module: string, workers: number): ProcessResult & { pinned: boolean } {
  const args = [script, csv, String(bars), module, String(workers)];
  const run = (cmd: string, argv: string[]) =>
    spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  let res = workers === 1 ? run('taskset', ['-c', '0', process.execPath, ...args]) : null;
  // Unpinned only where there is no `taskset` (not when the pinned run itself failed).
  const noTaskset = res !== null && (res.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  const pinned = res !== null && !noTaskset;
  if (res === null || noTaskset) res = run(process.execPath, args);
  if (res!.error || res!.status !== 0) throw new Error(`sweep: the ${workers}-worker process failed (${res!.error?.message ?? `exit ${res!.status}`})`);
  return { ...(JSON.parse(res!.stdout.trim().split('\n').at(-1)!) as ProcessResult), pinned };
}

/** Runs the bench; see the module comment. Uses `--bars` (default here: 100,000). */
export async function sweep(options: BenchOptions): Promise<object> {
  const bars = Math.min(options.bars, 100_000);
  const csv = ensureCsv(bars, options.seed);
  const grid = { fast: range(5, 25), slow: range(30, 80, 5) };
  const combos = grid.fast.length * grid.slow.length;
  const MODULE = compileAgainstDist(new URL('./sweep-strategy.ts', import.meta.url));
  const SCRIPT = fileURLToPath(compileAgainstDist(new URL('./sweep-process.ts', import.meta.url)));
  // Both configurations run alike: a fresh plain-node process on the built library (no
  // TypeScript loader, which every worker thread would start again), one worker pinned to one
  // core against two unpinned. Each runs several times, alternating, and the medians are
  // compared: a single sweep on this kind of machine moves by ±10 % (a pinned one-core run by up
  // to ±25 %), so up to five of each.
  const runs = Math.max(1, Math.min(options.runs, 5));
  const oneRuns: number[] = [];
  const twoRuns: number[] = [];
  let pinnedOk = true;
  let errors = 0;
  for (let k = 0; k < runs; k++) {
    progress(`sweep: ferrotrade ${combos} combinations x ${bars} bars, one worker pinned to one core (${k + 1}/${runs})`);
    const one = timedProcess(SCRIPT, csv, bars, MODULE, 1);
    pinnedOk &&= one.pinned;
    oneRuns.push(one.seconds);
    progress(`sweep: ferrotrade ${combos} combinations x ${bars} bars on 2 worker threads (${k + 1}/${runs})`);
    const two = timedProcess(SCRIPT, csv, bars, MODULE, 2);
    twoRuns.push(two.seconds);
    errors += one.errors + two.errors;
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
