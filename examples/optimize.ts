/**
 * A parameter sweep of the SMA crossover (examples/sma-cross.ts) with `cerebro.optStrategy`,
 * on worker threads, ranked by return, with the SQN analyzer per combination.
 *
 * Run it with `npx tsx examples/optimize.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Analyzers, Cerebro, feeds, range, type SweepResults } from '../ts/index.js';
import { SmaCross } from './sma-cross.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Sweeps fast 5..20 step 5 × slow 30..60 step 10 on the sample data. */
export async function runOptimizeExample(maxCpus = 2): Promise<SweepResults> {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(join(here, 'data', 'sample-daily.csv')));
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addAnalyzer(Analyzers.SQN);
  return cerebro.optStrategy(
    SmaCross,
    { fast: range(5, 25, 5), slow: range(30, 70, 10), stake: [100] },
    { module: new URL('./sma-cross.ts', import.meta.url).href, maxCpus },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await runOptimizeExample();
  console.log(`${results.rows.length} combinations in ${results.elapsedMs.toFixed(0)} ms on ${results.workers} workers`);
  for (const row of results.sortBy('returnPct').slice(0, 5)) {
    console.log(`  fast ${row.params.fast} slow ${row.params.slow}: ${row.returnPct.toFixed(2)} %, ${row.closedTrades} trades`);
  }
}
