/**
 * The sweep bench's one-core measurement, run as its own process pinned to one CPU
 * (`taskset -c 0`), so that "one core" really is one: in-process, V8's garbage-collector helper
 * threads of a single worker would use the second core as well. Prints `{ "seconds": n }`.
 */
import { Cerebro, feeds, range } from '../ts/index.js';
import { SweepSmaCross } from './sweep-strategy.js';

const [csv, bars] = [process.argv[2]!, Number(process.argv[3])];
const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(csv));
cerebro.broker.setCash(100_000);
const res = await cerebro.optStrategy(
  SweepSmaCross,
  { fast: range(5, 25), slow: range(30, 80, 5) },
  { module: new URL('./sweep-strategy.ts', import.meta.url).href, maxCpus: 1, threads: true },
);
process.stdout.write(`${JSON.stringify({ seconds: res.elapsedMs / 1000, bars, errors: res.errors().length })}\n`);
