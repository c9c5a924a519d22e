/**
 * One timed sweep of the sweep bench, as a process of its own: the bench compiles this file
 * against the published build (`dist/`) and runs it with plain `node`, as a user's compiled
 * program runs, once with one worker thread pinned to one CPU (`taskset -c 0`) and once with
 * two unpinned. Both configurations start alike (a fresh process, no TypeScript loader in the
 * worker threads), so their ratio is the scaling. Arguments: the CSV, its bar count, the
 * strategy module's URL and the worker count. Prints `{ "seconds": n, ... }`.
 */
import { Cerebro, feeds, range } from '../ts/index.js';
import type { SweepSmaCross as SweepStrategy } from './sweep-strategy.js';

const [csv, bars, module, workers] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!, Number(process.argv[5])];
const { SweepSmaCross } = (await import(module)) as { SweepSmaCross: typeof SweepStrategy };
const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(csv));
cerebro.broker.setCash(100_000);
const res = await cerebro.optStrategy(
  SweepSmaCross,
  { fast: range(5, 25), slow: range(30, 80, 5) },
  { module, maxCpus: workers, threads: true },
);
process.stdout.write(`${JSON.stringify({ seconds: res.elapsedMs / 1000, bars, workers, errors: res.errors().length })}\n`);
