/**
 * A native sweep with a market's real costs, run off the JavaScript thread: the SMA crossover
 * with China A-share costs (a minimum commission of 5 per fill, stamp duty on sells, a transfer
 * fee) and slippage, over 20 × 10 periods, while the event loop goes on. Progress is printed as
 * the sweep runs, and an AbortSignal puts a time limit on it.
 *
 * Run it with `npx tsx examples/sweep-native-async.ts`.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feeds, range, rules, sweep, type NativeSweepResults, type SweepProgress } from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the sweep on the shipped sample data; `onProgress` sees it advance. */
export function runAsyncSweepExample(
  onProgress?: (p: SweepProgress) => void,
  dataFile = join(here, 'data', 'sample-daily.csv'),
): Promise<NativeSweepResults> {
  const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));
  return sweep.nativeAsync({
    data: feeds.backtraderCsv(dataFile),
    rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 100 } },
    grid: { fast: range(5, 25), slow: range(30, 80, 5) },
    broker: {
      cash: 100_000,
      commission: 0.00025, // 0.025 % of value ...
      minCommission: 5, // ... and at least 5 per fill
      stampDuty: 0.001, // 0.1 % on sells
      transferFee: 0.00001,
      slippage: { perc: 0.0005 },
    },
    onProgress,
    progressIntervalMs: 20,
    signal: AbortSignal.timeout(60_000), // give up after a minute
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await runAsyncSweepExample(({ done, total }) => console.log(`  ${done}/${total} combinations`));
  const best = results.best('totalReturn')!;
  console.log(`best after costs: fast ${best.params.fast} slow ${best.params.slow}, return ${(best.totalReturn * 100).toFixed(2)} % over ${best.trades} trades`);
}
