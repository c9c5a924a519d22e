/**
 * Benchmark runner (`npm run bench`): runs every bench, or one with `--only`, and
 * prints their results as one JSON array on stdout. Progress goes to stderr, so
 * `npm run bench --silent > results.json` captures clean JSON.
 *
 * Options:
 *   --bars N       synthetic bars per bench (default 1,000,000; sweep_native uses at most 100,000)
 *   --runs R       timed runs per measurement (default 5 for ferrotrade, 3 for backtrader)
 *   --peer-runs R  timed backtrader runs, overriding --runs for the peer alone
 *   --seed S       synthetic data seed (default 42)
 *   --only NAME    run only the named bench
 */
import { parseArgs } from 'node:util';

import { progress, type Bench, type BenchOptions } from './lib/bench.js';
import { smaCross } from './sma-cross.js';
import { orderEveryBar } from './order-every-bar.js';
import { dependencies } from './rust-examples.js';
import { sweep } from './sweep.js';
import { resampleBench } from './resample.js';
import { replayBench } from './replay.js';
import { schedulerBench } from './scheduler.js';
import { indicators } from './indicators.js';
import { sweepNative } from './sweep-native.js';
import { orderbook } from './orderbook.js';
import { columnarBench } from './columnar.js';
import { livePaper } from './live-paper.js';
import { storeBench } from './store.js';
import { notifyBench } from './notify.js';
import { riskBench } from './risk.js';
import { algoBench } from './algo.js';
import { futuresRollBench } from './futures-roll.js';
import { leakBench } from './leak.js';
import { tickBarsBench } from './tick-bars.js';

/** Every bench, in the order they run. */
const BENCHES: readonly Bench[] = [
  { name: 'sma_cross', run: smaCross },
  { name: 'order_every_bar', run: orderEveryBar },
  { name: 'dependencies', run: dependencies },
  { name: 'sweep', run: sweep },
  { name: 'resample', run: resampleBench },
  { name: 'replay', run: replayBench },
  { name: 'scheduler', run: schedulerBench },
  { name: 'indicators', run: indicators },
  { name: 'sweep_native', run: sweepNative },
  { name: 'orderbook', run: orderbook },
  { name: 'columnar', run: columnarBench },
  { name: 'live_paper', run: livePaper },
  { name: 'store', run: storeBench },
  { name: 'notify', run: notifyBench },
  { name: 'risk', run: riskBench },
  { name: 'algo', run: algoBench },
  { name: 'futures_roll', run: futuresRollBench },
  { name: 'leak', run: leakBench },
  { name: 'tick_bars', run: tickBarsBench },
];

const DEFAULTS = { bars: 1_000_000, seed: 42, runs: 5, peerRuns: 3 } as const;

/** A bad command line: reported as a message and the usage line, without a stack trace. */
class UsageError extends Error {}

const USAGE = `usage: tsx benches/run.ts [--bars N] [--runs R] [--peer-runs R] [--seed S] [--only ${BENCHES.map((b) => b.name).join('|')}]`;

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  // Underscores allowed so '1_000_000' can be pasted as written in the docs.
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${value}'\n${USAGE}`);
  return n;
}

function integer(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be an integer, got '${value}'\n${USAGE}`);
  return n;
}

/** Parses the command line into bench options and the selected benches. */
function parseCli(argv: string[]): { options: BenchOptions; selected: readonly Bench[] } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        bars: { type: 'string' },
        runs: { type: 'string' },
        'peer-runs': { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    // Unknown flags and missing values are the user's typo, not a crash worth a stack trace.
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const runs = positiveInt(values.runs, '--runs', DEFAULTS.runs);
  // An explicit --runs applies to the peer too (a quick '--runs 1' smoke test should not
  // still wait for three backtrader runs); --peer-runs sets the peer alone.
  const peerFallback = values.runs === undefined ? DEFAULTS.peerRuns : runs;
  const options: BenchOptions = {
    bars: positiveInt(values.bars, '--bars', DEFAULTS.bars),
    seed: integer(values.seed, '--seed', DEFAULTS.seed),
    runs,
    peerRuns: positiveInt(values['peer-runs'], '--peer-runs', peerFallback),
  };
  let selected = BENCHES;
  if (values.only !== undefined) {
    selected = BENCHES.filter((b) => b.name === values.only);
    if (selected.length === 0) throw new UsageError(`unknown bench '${values.only}'\n${USAGE}`);
  }
  return { options, selected };
}

async function main(): Promise<void> {
  const { options, selected } = parseCli(process.argv.slice(2));
  progress(`options ${JSON.stringify(options)}`);
  const results: object[] = [];
  for (const bench of selected) {
    const t0 = Date.now();
    results.push(await bench.run(options));
    progress(`${bench.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
