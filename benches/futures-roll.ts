/**
 * Continuous-futures benchmark: a generated chain of quarterly contracts joined into one series
 * by ferrotrade (`futures.continuous` with backtrader's checkdate rule, unadjusted, then a run
 * over it) and by backtrader (`cerebro.rolloverdata` with the same checkdate,
 * `peers/backtrader_rollover.py`). Both must produce the same bars from the same contracts;
 * the bench reports the time of each and the ratio.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Cerebro, feeds, futures, Strategy, type DataFeed } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions, type MachineInfo } from './lib/bench.js';
import { BENCHES_DIR, CACHE_DIR, ensureBacktrader, measure, runPython } from './lib/harness.js';

const DAY = 86_400_000;
const DAYS_BEFORE = 5;

/** Third Fridays of March, June, September and December from 2000, `count` of them. */
function quarterlyExpiries(count: number): string[] {
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    const year = 2000 + Math.floor(k / 4);
    const month = 2 + 3 * (k % 4);
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    const day = 1 + ((5 - first + 7) % 7) + 14;
    out.push(new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10));
  }
  return out;
}

class Idle extends Strategy {
  override next(): void {}
}

interface PeerOutput {
  runs_s: number[];
  median_s: number;
  bars: number;
  rows: [string, number, string][];
  backtrader_version: string;
}

/** Result of {@link futuresRollBench}. */
export interface FuturesRollResult {
  bench: 'futures_roll';
  contracts: number;
  contract_bars: number;
  continuous_bars: number;
  ferrotrade: { build_median_ms: number; build_runs_ms: number[]; run_median_ms: number; run_runs_ms: number[] };
  backtrader: { median_s: number; runs_s: number[]; version: string };
  /** backtrader's run time over ferrotrade's build + run. */
  ratio: number;
  same_bars: boolean;
  first_difference: { index: number; ferrotrade: unknown; backtrader: unknown } | null;
  machine: MachineInfo;
}

/** Runs the continuous-futures benchmark (`--bars` sets the approximate number of contract bars). */
export async function futuresRollBench(options: BenchOptions): Promise<FuturesRollResult> {
  const { runs, peerRuns } = options;
  // About 105 trading days listed per contract (150 calendar days).
  const count = Math.max(4, Math.min(400, Math.round(options.bars / 105)));
  const expiries = quarterlyExpiries(count);
  const chain = futures.syntheticChain({ root: 'BX', expiries, listedDays: 150, seed: options.seed, start: 1000, carry: 3 });
  // Two contracts of one symbol (same month and year) cannot happen within 100 years of quarters.
  const dir = join(CACHE_DIR, `futures-v1-c${count}-s${options.seed}`);
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(dir, { recursive: true });
    for (const c of chain) {
      const k = c.columns;
      const rows = Array.from(k.datetime, (t, i) => `${new Date(t).toISOString().slice(0, 10)},${k.open[i]},${k.high[i]},${k.low[i]},${k.close[i]},${k.volume[i]},${k.openinterest[i]}`);
      writeFileSync(join(dir, `${c.symbol}.csv`), `Date,Open,High,Low,Close,Volume,OpenInterest\n${rows.join('\n')}\n`);
    }
    writeFileSync(join(dir, 'done'), '');
  }
  const python = ensureBacktrader();
  const datas: DataFeed[] = chain.map((c) => feeds.backtraderCsv(join(dir, `${c.symbol}.csv`), { name: c.symbol }));
  const contracts = chain.map((c, k) => ({ data: datas[k]!, expiry: c.expiry }));
  const roll = { by: 'custom' as const, checkdate: (time: number, active: { expiry: number }) => (active.expiry - time) / DAY <= DAYS_BEFORE };
  progress(`futures_roll: ${count} contracts, build x${runs}`);
  let feed = futures.continuous(contracts, { roll, adjust: 'none' });
  const build = await measure(() => {
    feed = futures.continuous(contracts, { roll, adjust: 'none' });
  }, { runs });
  const run = await measure(() => {
    const cerebro = new Cerebro({ stdstats: false });
    cerebro.addData(feed);
    cerebro.addStrategy(Idle);
    cerebro.run();
  }, { runs });
  progress(`futures_roll: backtrader rolloverdata x${peerRuns}`);
  const peer = await runPython<PeerOutput>(join(BENCHES_DIR, 'peers', 'backtrader_rollover.py'), [
    '--dir', dir, '--contracts', chain.map((c) => `${c.symbol}:${c.expiry}`).join(','), '--days', String(DAYS_BEFORE), '--runs', String(peerRuns),
  ], { python });
  const ours = Array.from(feed.columns.datetime, (t, i) => [new Date(t).toISOString().slice(0, 10), feed.columns.close[i], feed.continuous.contractOf[i]] as const);
  let first: FuturesRollResult['first_difference'] = null;
  for (let i = 0; i < Math.max(ours.length, peer.rows.length); i++) {
    const a = ours[i];
    const b = peer.rows[i];
    if (!a || !b || a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) {
      first = { index: i, ferrotrade: a ?? null, backtrader: b ?? null };
      break;
    }
  }
  return {
    bench: 'futures_roll',
    contracts: count,
    contract_bars: datas.reduce((n, d) => n + d.size, 0),
    continuous_bars: ours.length,
    ferrotrade: { build_median_ms: build.medianMs, build_runs_ms: build.runsMs, run_median_ms: run.medianMs, run_runs_ms: run.runsMs },
    backtrader: { median_s: peer.median_s, runs_s: peer.runs_s, version: peer.backtrader_version },
    ratio: (peer.median_s * 1000) / (build.medianMs + run.medianMs),
    same_bars: first === null,
    first_difference: first,
    machine: machineInfo(),
  };
}
