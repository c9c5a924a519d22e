/**
 * An `Algo` sweeps like a `Strategy`: `cerebro.optStrategy` on worker threads (and in the
 * process) gives, combination by combination, the same results for an Algo as for the Strategy
 * with the same logic; `ferrotrade optimize` sweeps an Algo file on several workers.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds } from '../ts/index.js';
import { CrossAlgo, CrossStrategy } from './support/algo-sweep-pair.js';

const root = join(import.meta.dirname, '..');
const sample = join(root, 'examples', 'data', 'sample-daily.csv');
const pairModule = new URL('./support/algo-sweep-pair.ts', import.meta.url).href;
const grid = { fast: [5, 10, 15], slow: [30, 50] };

function cerebro(): Cerebro {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(sample));
  c.broker.setCash(100_000);
  c.broker.setCommission({ commission: 0.001 });
  return c;
}

const rowsOf = (results: { rows: { params: Record<string, unknown>; finalValue: number; returnPct: number; closedTrades: number; maxDrawdownPct: number; error?: string }[] }) =>
  results.rows.map((r) => ({ params: { fast: r.params.fast, slow: r.params.slow }, finalValue: r.finalValue, returnPct: r.returnPct, closedTrades: r.closedTrades, maxDrawdownPct: r.maxDrawdownPct, error: r.error }));

describe('Algo in sweeps', () => {
  it('an Algo sweep on worker threads equals the same sweep of the equivalent Strategy', async () => {
    const algo = await cerebro().optStrategy(CrossAlgo, grid, { module: pairModule, maxCpus: 2 });
    const strategy = await cerebro().optStrategy(CrossStrategy, grid, { module: pairModule, maxCpus: 2 });
    const a = rowsOf(algo as never);
    const s = rowsOf(strategy as never);
    expect(a).toHaveLength(6);
    expect(a.every((r) => r.error === undefined)).toBe(true);
    // Not a vacuous match: the combinations trade, and differently from each other.
    expect(a.every((r) => r.closedTrades > 0)).toBe(true);
    expect(new Set(a.map((r) => r.finalValue)).size).toBeGreaterThan(1);
    expect(a).toEqual(s);
    // And a single run of one combination agrees with its sweep row.
    const one = cerebro();
    one.addAlgo(CrossAlgo, { fast: 10, slow: 50 });
    const [run] = one.run();
    expect(a.find((r) => r.params.fast === 10 && r.params.slow === 50)!.finalValue).toBeCloseTo(run!.finalValue, 9);
  }, 120_000);

  it('in the process (maxCpus 1) too', async () => {
    const algo = await cerebro().optStrategy(CrossAlgo, { fast: [5, 10], slow: [30] }, { maxCpus: 1 });
    const strategy = await cerebro().optStrategy(CrossStrategy, { fast: [5, 10], slow: [30] }, { maxCpus: 1 });
    expect(rowsOf(algo as never)).toEqual(rowsOf(strategy as never));
  });

  it('ferrotrade optimize sweeps an Algo file on two workers, with the Strategy sweep\'s results', () => {
    const run = (exportName: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'optimize', '--strategy', `test/support/algo-sweep-pair.ts#${exportName}`, '--data', sample,
        '--param', 'fast=5,10', '--param', 'slow=30', '--commission', '0.001', '--workers', '2', '--json'], { cwd: root, encoding: 'utf8' });
    const algo = run('CrossAlgo');
    expect(algo.status, algo.stderr).toBe(0);
    const strategy = run('CrossStrategy');
    expect(strategy.status, strategy.stderr).toBe(0);
    const a = JSON.parse(algo.stdout);
    const s = JSON.parse(strategy.stdout);
    expect(a.workers).toBe(2);
    expect(a.rows.map((r: { finalValue: number }) => r.finalValue)).toEqual(s.rows.map((r: { finalValue: number }) => r.finalValue));
  }, 120_000);
});
