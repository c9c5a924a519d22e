/**
 * A native parameter sweep: the SMA crossover of `sma-cross.ts` as rules, over 20 fast × 10
 * slow periods (200 combinations), evaluated in Rust on every core. Prints the five best
 * combinations by Sharpe ratio and writes every result to `out/sweep-native.csv`.
 *
 * Run it with `npx tsx examples/sweep-native.ts`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feeds, range, rules, sweep, type NativeSweepResults } from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the sweep on the shipped sample data. */
export function runSweepExample(dataFile = join(here, 'data', 'sample-daily.csv')): NativeSweepResults {
  const data = feeds.backtraderCsv(dataFile);
  const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));
  return sweep.native({
    data,
    rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 100 } },
    grid: { fast: range(5, 25), slow: range(30, 80, 5) },
    broker: { cash: 100_000, commission: 0.001 },
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = runSweepExample();
  console.log(`${results.rows.length} combinations; best by Sharpe ratio:`);
  for (const r of results.sortBy('sharpe').slice(0, 5)) {
    console.log(
      `  fast ${String(r.params.fast).padStart(2)} slow ${String(r.params.slow).padStart(2)}  ` +
        `return ${(r.totalReturn * 100).toFixed(2).padStart(6)} %  sharpe ${r.sharpe.toFixed(2).padStart(5)}  ` +
        `trades ${r.trades}  max drawdown ${(r.maxDrawdown * 100).toFixed(2)} %`,
    );
  }
  mkdirSync(resolve('out'), { recursive: true });
  results.toCSV(resolve('out', 'sweep-native.csv'));
  console.log(`  all results     ${resolve('out', 'sweep-native.csv')}`);
}
