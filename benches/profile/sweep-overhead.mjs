/**
 * What a TypeScript sweep costs besides the backtests: worker start, per-combination overhead and
 * 1→2 worker scaling, on the published build (dist/). Prints one JSON line.
 *
 *   node benches/profile/sweep-overhead.mjs [csv] [combinations]
 *
 * - `start_ms`: a one-combination sweep on 2 workers minus the same combination run in the
 *   calling thread (starting the threads, loading the library and the strategy in each);
 * - `per_combination_ms`: a sweep of `combinations` in the calling thread (`maxCpus: 1`), per
 *   combination, next to `run_ms`, one `cerebro.run()` of the same strategy: the difference is
 *   the sweep's bookkeeping per combination;
 * - `scaling_1_to_2`: the same sweep's time in the calling thread over its time on 2 workers
 *   (start included, as a user pays it);
 * - `two_workers_warm_*`: the same sweep again on a `sweepPool` of 2 workers that has already
 *   run it once (threads started and code compiled: what each further sweep on a kept pool
 *   costs), and `warm_scaling_1_to_2`.
 * The CSV defaults to examples/data/sample-daily.csv (1,000 bars: combinations are short, so
 * the overheads show). CPU time is given too: on a shared machine the wall time also counts
 * waiting for a core.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));
const { EveryBarSized } = await import('./sweep-strategy.mjs');
const args = process.argv.slice(2);
const csv = args[0] || join(here, '..', '..', 'examples', 'data', 'sample-daily.csv');
const combinations = Number(args[1] ?? 200);
const module = pathToFileURL(join(here, 'sweep-strategy.mjs')).href;

// One feed for every run and sweep: the CSV is parsed once, as in the sweep bench.
const data = lib.feeds.backtraderCsv(csv);

function cerebro() {
  const c = new lib.Cerebro();
  c.addData(data);
  c.broker.setCash(1e9);
  return c;
}

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, out };
}

const sizes = { size: Array.from({ length: combinations }, (_, k) => k + 1) };
// Warm the calling thread (compiled code, the addon) so that its numbers are steady.
await cerebro().optStrategy(EveryBarSized, { size: [1, 2, 3] }, { maxCpus: 1 });

const single = await timed(async () => cerebro().optStrategy(EveryBarSized, { size: [1] }, { maxCpus: 1 }));
const started = await timed(async () => cerebro().optStrategy(EveryBarSized, { size: [1] }, { maxCpus: 2, module }));
// One plain run, median of 11 (the first runs still compile).
const runs = [];
for (let k = 0; k < 11; k++) {
  runs.push(await timed(async () => {
    const c = cerebro();
    c.addStrategy(EveryBarSized);
    return c.run();
  }));
}
const run = runs.sort((a, b) => a.ms - b.ms)[5];
const inThread = await timed(async () => cerebro().optStrategy(EveryBarSized, sizes, { maxCpus: 1 }));
const twoWorkers = await timed(async () => cerebro().optStrategy(EveryBarSized, sizes, { maxCpus: 2, module }));
const pool = lib.sweepPool({ workers: 2, module });
await cerebro().optStrategy(EveryBarSized, sizes, { pool });
const twoWarm = await timed(async () => cerebro().optStrategy(EveryBarSized, sizes, { pool }));
await pool.close();
for (const r of [inThread.out, twoWorkers.out, twoWarm.out]) {
  const failed = r.rows ? r.rows.filter((row) => row.error) : [];
  if (failed.length > 0) throw new Error(`sweep rows failed: ${failed[0].error}`);
}

const round = (x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({
  combinations,
  start_ms: round(started.ms - single.ms),
  run_ms: round(run.ms),
  per_combination_ms: round(inThread.ms / combinations),
  per_combination_overhead_ms: round(inThread.ms / combinations - run.ms),
  one_worker_ms: round(inThread.ms),
  one_worker_cpu_ms: round(inThread.cpuMs),
  two_workers_ms: round(twoWorkers.ms),
  two_workers_cpu_ms: round(twoWorkers.cpuMs),
  scaling_1_to_2: round(inThread.ms / twoWorkers.ms),
  two_workers_warm_ms: round(twoWarm.ms),
  two_workers_warm_cpu_ms: round(twoWarm.cpuMs),
  warm_scaling_1_to_2: round(inThread.ms / twoWarm.ms),
}));
