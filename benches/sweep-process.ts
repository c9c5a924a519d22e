/**
 * The timed sweeps of the sweep bench, as a process of its own: the bench compiles this file
 * against the published build (`dist/`) and runs it with plain `node`, as a user's compiled
 * program runs, once with one worker thread pinned to one CPU (`taskset -c 0`) and once with
 * two unpinned. Both configurations start alike (a fresh process, no TypeScript loader in the
 * worker threads), so their ratio is the scaling. As the docs advise, the worker pool is made
 * first, so that its threads start while the CSV is read; then the grid is swept twice on it:
 * the first sweep is what a program that sweeps once pays, the second what each further sweep
 * on warm threads pays. Arguments: the CSV, its bar count, the strategy module's URL and the
 * worker count. Prints `{ "seconds": n, "warm_seconds": n, "cpu_s": n, "warm_cpu_s": n, ... }`
 * (CPU time of the whole process, every thread).
 */
import { Cerebro, feeds, range, sweepPool } from '../ts/index.js';
import type { SweepSmaCross as SweepStrategy } from './sweep-strategy.js';

const [csv, bars, module, workers] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!, Number(process.argv[5])];
const pool = sweepPool({ workers, module });
const { SweepSmaCross } = (await import(module)) as { SweepSmaCross: typeof SweepStrategy };
const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(csv));
cerebro.broker.setCash(100_000);
const grid = { fast: range(5, 25), slow: range(30, 80, 5) };

async function timed() {
  const c0 = process.cpuUsage();
  const res = await cerebro.optStrategy(SweepSmaCross, grid, { pool });
  const cpu = process.cpuUsage(c0);
  return { seconds: res.elapsedMs / 1000, cpu: (cpu.user + cpu.system) / 1e6, errors: res.errors().length };
}
const cold = await timed();
const warm = await timed();
await pool.close();
process.stdout.write(
  `${JSON.stringify({ seconds: cold.seconds, warm_seconds: warm.seconds, cpu_s: cold.cpu, warm_cpu_s: warm.cpu, bars, workers, errors: cold.errors + warm.errors })}\n`,
);
