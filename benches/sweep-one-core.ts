/**
 * The sweep bench's one-core measurement, run as its own process pinned to one CPU
 * (`taskset -c 0`), so that "one core" really is one: in-process, V8's garbage-collector helper
 * threads of a single worker would use the second core as well. Runs the published build with
 * the strategy module the bench compiled against it (argument 3). Prints `{ "seconds": n }`.
 */
import { range } from '../ts/index.js';
import { distLibrary } from './lib/dist.js';
import type { SweepSmaCross as SweepStrategy } from './sweep-strategy.js';

const [csv, bars, module] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!];
const { Cerebro, feeds } = await distLibrary();
const { SweepSmaCross } = (await import(module)) as { SweepSmaCross: typeof SweepStrategy };
const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(csv));
cerebro.broker.setCash(100_000);
const res = await cerebro.optStrategy(
  SweepSmaCross,
  { fast: range(5, 25), slow: range(30, 80, 5) },
  { module, maxCpus: 1, threads: true },
);
process.stdout.write(`${JSON.stringify({ seconds: res.elapsedMs / 1000, bars, errors: res.errors().length })}\n`);
