/**
 * Where a sweep's CPU goes on 1 and on N worker threads: the sweep bench's grid (SMA cross,
 * fast 5..24 × slow 30..75 step 5, 200 combinations) on the bench's 100k-bar CSV, swept
 * `sweeps` times on one warm pool (`sweepPool`), on the published build (dist/). Prints one
 * JSON line per sweep: wall and CPU time of the process (every thread), the sum of the
 * combinations' own times, and the first and median combination time (the cold start shows in
 * the first sweep's first combinations; the second sweep starts no thread).
 *
 *   node benches/profile/sweep-scaling.mjs <csv> <workers> [sweeps]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof benches/profile/sweep-scaling.mjs <csv> 2   # a profile per thread
 *   node --trace-gc benches/profile/sweep-scaling.mjs <csv> 2 | grep -c Scavenge
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));
const module = pathToFileURL(join(here, 'sweep-strategy.mjs')).href;
const [csv, workersArg, sweepsArg] = process.argv.slice(2);
if (!csv) throw new Error('usage: node benches/profile/sweep-scaling.mjs <csv> <workers> [sweeps]');
const workers = Number(workersArg ?? 2);
const sweeps = Number(sweepsArg ?? 2);

const c0 = process.cpuUsage();
const t0 = performance.now();
// Started first: the threads start while the CSV is read.
const pool = lib.sweepPool({ workers, module });
const cerebro = new lib.Cerebro();
cerebro.addData(lib.feeds.backtraderCsv(csv));
cerebro.broker.setCash(100_000);
const prepared = { ms: performance.now() - t0 };
const { SweepSmaCross } = await import(module);
const grid = { fast: lib.range(5, 25), slow: lib.range(30, 80, 5) };
const round = (x) => Math.round(x * 10) / 10;
for (let k = 0; k < sweeps; k++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const res = await cerebro.optStrategy(SweepSmaCross, grid, { pool });
  const cpu = process.cpuUsage(c);
  const ms = res.rows.map((r) => r.ms);
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(JSON.stringify({
    sweep: k + 1,
    workers,
    errors: res.errors().length,
    wall_ms: round(performance.now() - t),
    cpu_ms: round((cpu.user + cpu.system) / 1000),
    combinations_ms: round(ms.reduce((s, x) => s + x, 0)),
    first_ms: ms.slice(0, workers * 2).map(round),
    median_ms: round(sorted[sorted.length >> 1]),
    threads_started: pool.threadsStarted,
    ...(k === 0 ? { data_ready_ms: round(prepared.ms) } : {}),
  }));
}
const all = process.cpuUsage(c0);
console.log(JSON.stringify({ total_cpu_ms: round((all.user + all.system) / 1000), total_wall_ms: round(performance.now() - t0) }));
await pool.close();
