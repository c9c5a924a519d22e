/**
 * Profiling driver for native sweeps: the `sweep_native` bench's grid (SMA crossover, fast
 * 5..24 × slow 30..75 step 5, 200 combinations) on the published build (dist/) with nothing else
 * in the process, so `perf` sees only the sweep. Prints one JSON line per thread count: wall and
 * CPU time per run and bar-evaluations per second of each (CPU time counts what every thread
 * spent, so on a loaded machine it is the comparison to read).
 *
 *   node benches/profile/sweep-native.mjs [csv] [runs] [threads...]
 *   perf record -F 999 -o /tmp/perf.data node benches/profile/sweep-native.mjs "" 20 2
 *
 * Set FERROTRADE_DIST to time another build's dist/ (A/B against this one). The CSV defaults to
 * the bench's cached 100k-bar file (made by `benches/run.ts --only sweep_native`).
 */
import { cpuUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));
const args = process.argv.slice(2);
const csv = args[0] || join(here, '..', '.cache', 'bars-v1-n100000-s42.csv');
const runs = Number(args[1] ?? 5);
const threadCounts = args.length > 2 ? args.slice(2).map(Number) : [1, 2];

const fasts = [...lib.range(5, 25)];
const slows = [...lib.range(30, 80, 5)];
const data = lib.feeds.backtraderCsv(csv);
const cross = lib.rules.crossOver(lib.rules.sma('close', 'fast'), lib.rules.sma('close', 'slow'));
const run = (threads) =>
  lib.sweep.native({
    data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 10 } },
    grid: { fast: fasts, slow: slows }, broker: { cash: 100_000, commission: 0.001 }, threads,
  });
const evals = data.size * fasts.length * slows.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const threads of threadCounts) {
  run(threads); // warm: columns kept between sweeps, threads started
  const wall = [];
  const cpu = [];
  let trades = 0;
  for (let k = 0; k < runs; k++) {
    const c0 = cpuUsage();
    const t0 = performance.now();
    const res = run(threads);
    wall.push(performance.now() - t0);
    const c = cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    trades = res.rows.reduce((s, r) => s + r.trades, 0);
  }
  console.log(JSON.stringify({
    threads, runs, bars: data.size, trades,
    median_wall_ms: median(wall), median_cpu_ms: median(cpu),
    bar_evals_per_s_wall: evals / (median(wall) / 1000),
    bar_evals_per_cpu_s: evals / (median(cpu) / 1000),
    wall_ms: wall.map(Math.round), cpu_ms: cpu.map(Math.round),
  }));
}
