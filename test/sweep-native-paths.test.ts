/**
 * The native sweep's fast paths make the same trades as the TypeScript engine: rules scanned
 * ahead of the bar loop (a signal found once answers later questions), Market orders filled
 * without being kept as orders, holding stretches accounted eight bars at a time. Grids that
 * trade on nearly every cross, averages that are exactly equal on flat prices, periods close to
 * and longer than the data (no trades at all).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, rules, sweep, type RunResult } from '../ts/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { sweepMetrics } from './support/sweep-metrics.js';

const SAMPLE = join(import.meta.dirname, '..', 'examples', 'data', 'sample-daily.csv');
const CASH = 100_000;
const COMMISSION = 0.001;

/**
 * Daily bars of a random walk with flat stretches (open = high = low = close for 40 bars),
 * where a fast and a slow average become exactly equal: the cross keeps the last non-zero
 * difference there, and a scan must not take an exact zero for a cross.
 */
function flatStretchesCsv(n: number): string {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const lines = ['Date,Open,High,Low,Close,Volume,OpenInterest'];
  let last = 100;
  const day = new Date(Date.UTC(2001, 0, 1));
  for (let i = 0; i < n; i++) {
    const flat = i % 150 >= 60 && i % 150 < 100;
    const open = flat ? last : Math.round(last * (1 + 0.004 * rnd()) * 100) / 100;
    const close = flat ? last : Math.round(open * (1 + 0.03 * rnd()) * 100) / 100;
    const high = Math.max(open, close) + (flat ? 0 : 0.2);
    const low = Math.min(open, close) - (flat ? 0 : 0.2);
    lines.push(`${day.toISOString().slice(0, 10)},${open},${high},${low},${close},1000,0`);
    day.setUTCDate(day.getUTCDate() + 1);
    last = close;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-sweep-paths-')), 'flat.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function engine(file: string, fast: number, slow: number): RunResult {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(file));
  cerebro.broker.setCash(CASH);
  cerebro.broker.setCommission({ commission: COMMISSION });
  cerebro.addStrategy(SmaCross, { fast, slow, stake: 10 });
  return cerebro.run()[0]!;
}

const metrics = (values: Float64Array) => sweepMetrics(values, CASH);

const near = (a: number, b: number, rel = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));

/** Sweeps `grid` over `file` and checks every combination against the engine; returns the trade counts. */
function sameAsEngine(file: string, grid: { fast: number[]; slow: number[] }): { fast: number; slow: number; trades: number }[] {
  const res = sweep.native({
    data: feeds.backtraderCsv(file), rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 10 } }, grid,
    broker: { cash: CASH, commission: COMMISSION }, threads: 2,
  });
  expect(res.rows).toHaveLength(grid.fast.length * grid.slow.length);
  return res.rows.map((row) => {
    const r = engine(file, row.params.fast!, row.params.slow!);
    expect(row.trades, `${row.params.fast}/${row.params.slow}`).toBe(r.trades.length);
    expect(row.wins).toBe(r.trades.filter((t) => t.pnlcomm > 0).length);
    expect(row.orders).toBe(r.orders.length);
    near(row.finalValue, r.finalValue);
    const m = metrics(r.value);
    near(row.maxDrawdown, m.mdd);
    if (r.trades.length > 0) near(row.sharpe, m.sharpe, 1e-7);
    return { fast: row.params.fast!, slow: row.params.slow!, trades: row.trades };
  });
}

describe('sweep.native fast paths trade as the engine', () => {
  it('with averages that cross on nearly every other bar', () => {
    const trades = sameAsEngine(SAMPLE, { fast: [2, 3], slow: [4, 5, 7] });
    expect(Math.min(...trades.map((t) => t.trades))).toBeGreaterThan(50);
  });

  it('on flat stretches where the averages are exactly equal', () => {
    const file = flatStretchesCsv(900);
    const trades = sameAsEngine(file, { fast: [3, 5, 10], slow: [10, 20, 35] });
    // Equal periods never cross; every other pair trades.
    for (const t of trades) expect(t.trades === 0).toBe(t.fast === t.slow);
  });

  it('with periods close to and longer than the data (no trades, nothing ordered)', () => {
    const res = sweep.native({
      data: feeds.backtraderCsv(SAMPLE), rule: { entry: cross.gt(0), exit: cross.lt(0) },
      grid: { fast: [5], slow: [1000, 1500] }, broker: { cash: CASH, commission: COMMISSION },
    });
    for (const row of res.rows) {
      expect(row.trades).toBe(0);
      expect(row.orders).toBe(0);
      expect(row.finalValue).toBe(CASH);
      expect(row.maxDrawdown).toBe(0);
    }
    // Periods just inside the data: whatever trades there are, the engine's.
    sameAsEngine(SAMPLE, { fast: [5, 50], slow: [900, 990] });
  });
});
