/**
 * Two sweeps on one `sweepPool`, as a process of its own that never closes the pool: it prints
 * the rows and thread starts as JSON and must then end by itself (an idle pool keeps nothing
 * alive). Argument: the data file.
 */
import { Cerebro, feeds, sweepPool } from '../../ts/index.js';
import { SweepCross } from './sweep-strategy.js';

const pool = sweepPool({ workers: 2, module: new URL('./sweep-strategy.ts', import.meta.url).href });
const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(process.argv[2]!));
cerebro.broker.setCash(100_000);
const grid = { fast: [5, 10], slow: [20, 30] };
const first = await cerebro.optStrategy(SweepCross, grid, { pool });
const second = await cerebro.optStrategy(SweepCross, grid, { pool });
const values = (rows: typeof first.rows) => rows.map((r) => r.finalValue);
process.stdout.write(`${JSON.stringify({ first: values(first.rows), second: values(second.rows), threadsStarted: pool.threadsStarted })}\n`);
