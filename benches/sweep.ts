/**
 * Sweep benchmark: the SMA-cross strategy over a 200-combination grid (fast 5..24 × slow
 * 30..75 step 5) on synthetic bars, with ferrotrade's `optStrategy` on a `sweepPool` of 1 and
 * of 2 worker threads (scaling), against backtrader's `optstrategy` (maxcpus=2) in the same run.
 * backtrader runs 20 combinations of the grid on fewer bars (`peer_bars`: at 100k bars it needs
 * over ten seconds per combination); the comparison is in bar-evaluations (bars × combinations)
 * per second, which backtrader's cost is proportional to. Each ferrotrade process sweeps the
 * grid twice on one pool: `cold` is the first sweep (threads just started, code not yet
 * compiled), `warm` the second (no thread started). ferrotrade runs from its published build
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
  cpu_seconds: number;
  bar_evals_per_s: number;
}

/** What `sweep-process.ts` prints: the cold and the warm sweep's wall and CPU seconds. */
interface ProcessResult {
  seconds: number;
  warm_seconds: number;
  cpu_s: number;
  warm_cpu_s: number;
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
  const oneRuns: ProcessResult[] = [];
  const twoRuns: ProcessResult[] = [];
  let pinnedOk = true;
  for (let k = 0; k < runs; k++) {
    progress(`sweep: ferrotrade ${combos} combinations x ${bars} bars, twice, one worker pinned to one core (${k + 1}/${runs})`);
    const one = timedProcess(SCRIPT, csv, bars, MODULE, 1);
    pinnedOk &&= one.pinned;
    oneRuns.push(one);
    progress(`sweep: ferrotrade ${combos} combinations x ${bars} bars, twice, on 2 worker threads (${k + 1}/${runs})`);
    twoRuns.push(timedProcess(SCRIPT, csv, bars, MODULE, 2));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const of = (rs: ProcessResult[], key: Exclude<keyof ProcessResult, 'errors'>) => ({ median: median(rs.map((r) => r[key])), runs: rs.map((r) => r[key]) });
  const errors = [...oneRuns, ...twoRuns].reduce((n, r) => n + r.errors, 0);
  const one = { cold: of(oneRuns, 'seconds'), warm: of(oneRuns, 'warm_seconds'), coldCpu: of(oneRuns, 'cpu_s'), warmCpu: of(oneRuns, 'warm_cpu_s') };
  const two = { cold: of(twoRuns, 'seconds'), warm: of(twoRuns, 'warm_seconds'), coldCpu: of(twoRuns, 'cpu_s'), warmCpu: of(twoRuns, 'warm_cpu_s') };
  const evals = (seconds: number) => (combos * bars) / seconds;

  // 20 combinations (4 gave too unstable a rate), on fewer bars so that the run stays minutes.
  const peerBars = Math.min(bars, 20_000);
  const peerCsv = ensureCsv(peerBars, options.seed);
  const peerGrid = { fast: [5, 9, 13, 17, 21], slow: [30, 45, 60, 75] };
  progress(`sweep: backtrader optstrategy maxcpus=2 on ${peerGrid.fast.length * peerGrid.slow.length} combinations x ${peerBars} bars`);
  const python = ensureBacktrader();
  const peer = await runPython<PeerResult>(join(BENCHES_DIR, 'peers', 'backtrader_optstrategy.py'), [
    '--csv', peerCsv, '--fast', peerGrid.fast.join(','), '--slow', peerGrid.slow.join(','), '--maxcpus', '2',
  ], { python });
  const round = (x: number, digits = 2) => Number(x.toFixed(digits));

  return {
    bench: 'sweep',
    bars,
    combinations: combos,
    ferrotrade: {
      one_core_pinned: pinnedOk,
      one_core_s: one.cold.median,
      one_core_runs_s: one.cold.runs,
      two_cores_s: two.cold.median,
      two_cores_runs_s: two.cold.runs,
      scaling_1_to_2: round(one.cold.median / two.cold.median),
      warm_one_core_s: one.warm.median,
      warm_two_cores_s: two.warm.median,
      warm_two_cores_runs_s: two.warm.runs,
      warm_scaling_1_to_2: round(one.warm.median / two.warm.median),
      // CPU seconds of the whole process (every thread) per sweep: equal on 1 and 2 workers
      // means the second worker adds no work, so with a free core the wall time halves.
      cpu_s: { one_core: round(one.coldCpu.median, 3), two_cores: round(two.coldCpu.median, 3), warm_one_core: round(one.warmCpu.median, 3), warm_two_cores: round(two.warmCpu.median, 3) },
      cpu_2_over_1: round(two.coldCpu.median / one.coldCpu.median),
      warm_cpu_2_over_1: round(two.warmCpu.median / one.warmCpu.median),
      bar_evals_per_s: Math.round(evals(two.cold.median)),
      warm_bar_evals_per_s: Math.round(evals(two.warm.median)),
      combos_per_s: round(combos / two.cold.median, 1),
      errors,
    },
    backtrader: {
      combinations: peer.combinations,
      peer_bars: peer.bars,
      seconds: peer.seconds,
      bar_evals_per_s: Math.round(peer.bar_evals_per_s),
      cpu_s: round(peer.cpu_seconds, 3),
      bar_evals_per_cpu_s: Math.round((peer.combinations * peer.bars) / peer.cpu_seconds),
      note: `backtrader runs ${peer.combinations} combinations on ${peer.bars} bars; its time per bar-evaluation is compared`,
    },
    ratio_bar_evals_per_s: round(evals(two.cold.median) / peer.bar_evals_per_s, 1),
    warm_ratio_bar_evals_per_s: round(evals(two.warm.median) / peer.bar_evals_per_s, 1),
    // The same per CPU-second (every thread and process of each side): what the ratio is on a
    // machine with free cores, where the wall-time ratio depends on the other work's load.
    ratio_bar_evals_per_cpu_s: round((combos * bars) / two.coldCpu.median / ((peer.combinations * peer.bars) / peer.cpu_seconds), 1),
    warm_ratio_bar_evals_per_cpu_s: round((combos * bars) / two.warmCpu.median / ((peer.combinations * peer.bars) / peer.cpu_seconds), 1),
    machine: machineInfo(),
  };
}
