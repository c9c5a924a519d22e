/**
 * A sweep on two worker threads in which one thread dies after a run (see
 * `CrashingSweepCross`), as a process of its own: it prints its rows as JSON and must then end
 * by itself (no thread left running). Argument: the data file.
 */
import { Cerebro, feeds } from '../../ts/index.js';
import { CrashingSweepCross } from './sweep-strategy.js';

const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(process.argv[2]!));
cerebro.broker.setCash(100_000);
const res = await cerebro.optStrategy(
  CrashingSweepCross,
  { fast: [5, 10, 15, 20], slow: [20, 30], crashAt: [10020] } as never,
  { module: new URL('./sweep-strategy.ts', import.meta.url).href, maxCpus: 2 },
);
process.stdout.write(`${JSON.stringify(res.rows.map((r) => ({ fast: r.params.fast, slow: r.params.slow, error: r.error ?? null })))}\n`);
