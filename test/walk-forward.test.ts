/** Walk-forward optimization: rolling in-sample sweeps, out-of-sample runs, stitched equity. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ParamError, sweepPool, walkForward } from '../ts/index.js';

type FeedOptions = NonNullable<Parameters<typeof feeds.backtraderCsv>[1]>;
import { SweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';

const strategyModule = new URL('./support/sweep-strategy.ts', import.meta.url).href;
const grid = { fast: [5, 10], slow: [20, 30] };

function cerebro(range: FeedOptions = {}) {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'), range));
  c.broker.setCash(100_000);
  c.broker.setCommission({ commission: 0.001 });
  return c;
}

describe('walkForward', () => {
  it('sweeps each in-sample window, tests the best parameters on the next bars, and stitches the equity', async () => {
    const bars = cerebro().datas[0]!.size;
    const seen: number[] = [];
    const wf = await walkForward(cerebro(), SweepCross, grid, { inSample: 100, outSample: 50, metric: 'returnPct', maxCpus: 1, onWindow: (_, i) => seen.push(i) });
    const expected = Math.ceil((bars - 100) / 50);
    expect(wf.windows.length).toBe(expected);
    expect(seen).toEqual([...Array(expected).keys()]);
    expect(wf.windows.reduce((n, w) => n + w.outSample.bars, 0)).toBe(bars - 100);

    let compounded = wf.startValue;
    for (const w of wf.windows) {
      expect(w.combinations).toBe(4);
      expect(w.outSample.from).toBeGreaterThan(w.inSample.to);
      // The chosen parameters are the best of a sweep over the in-sample bars alone...
      const window = { fromDate: new Date(w.inSample.from), toDate: new Date(w.inSample.to) };
      const sweep = await cerebro(window).optStrategy(SweepCross, grid, { maxCpus: 1 });
      expect(sweep.best('returnPct')!.returnPct).toBe(w.inSampleRow.returnPct);
      expect(w.params).toEqual(w.inSampleRow.params);
      // ...and the out-of-sample row is a plain run of them on the out-of-sample bars.
      const oos = cerebro({ fromDate: new Date(w.outSample.from), toDate: new Date(w.outSample.to) });
      oos.addStrategy(SweepCross, w.params as { fast: number; slow: number });
      const [run] = oos.run();
      expect(run!.bars).toBe(w.outSample.bars);
      expect(w.outSampleRow.finalValue).toBe(run!.finalValue);
      compounded *= run!.finalValue / wf.startValue;
    }
    expect(wf.startValue).toBe(100_000);
    expect(wf.finalValue).toBeCloseTo(compounded, 6);
    expect(wf.returnPct).toBeCloseTo((compounded / 100_000 - 1) * 100, 9);
    const { datetime, value } = wf.equity;
    expect(value.length).toBe(bars - 100);
    expect(datetime.length).toBe(value.length);
    expect(datetime.every((t, i) => i === 0 || t > datetime[i - 1]!)).toBe(true);
    expect(value.at(-1)!).toBeCloseTo(wf.finalValue, 6);
    expect(wf.maxDrawdownPct).toBeGreaterThanOrEqual(0);
  });

  it('passes maxCpus through to worker-thread sweeps with the same outcome', async () => {
    const options = { inSample: 120, outSample: 60, metric: 'pnlNet' };
    const local = await walkForward(cerebro(), SweepCross, grid, { ...options, maxCpus: 1 });
    const threads = await walkForward(cerebro(), SweepCross, grid, { ...options, maxCpus: 2, module: strategyModule });
    expect(threads.windows.map((w) => w.params)).toEqual(local.windows.map((w) => w.params));
    expect(threads.finalValue).toBe(local.finalValue);
  });

  it('keeps its worker threads from one window to the next', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'ferrotrade-wf-')), 'imports');
    writeFileSync(log, '');
    process.env.FERROTRADE_TEST_IMPORT_LOG = log;
    try {
      const options = { inSample: 120, outSample: 40, metric: 'pnlNet' };
      const module = new URL('./support/counted-sweep-strategy.ts', import.meta.url).href;
      const threads = await walkForward(cerebro(), SweepCross, grid, { ...options, maxCpus: 2, module });
      const local = await walkForward(cerebro(), SweepCross, grid, { ...options, maxCpus: 1 });
      expect(threads.windows.length).toBeGreaterThan(3);
      expect(threads.windows.map((w) => w.params)).toEqual(local.windows.map((w) => w.params));
      expect(threads.windows.map((w) => w.inSampleRow.pnlNet)).toEqual(local.windows.map((w) => w.inSampleRow.pnlNet));
      // Two threads for every window, each loading the strategy once (not once per window).
      const imports = readFileSync(log, 'utf8').trim().split('\n');
      expect(imports).toHaveLength(2);
      expect(new Set(imports).size).toBe(2);
    } finally {
      delete process.env.FERROTRADE_TEST_IMPORT_LOG;
    }
  });

  it('runs every window on a given sweep pool, starting no thread of its own', async () => {
    const options = { inSample: 120, outSample: 60, metric: 'pnlNet' };
    const pool = sweepPool({ workers: 2, module: strategyModule });
    try {
      const pooled = await walkForward(cerebro(), SweepCross, grid, { ...options, pool });
      const local = await walkForward(cerebro(), SweepCross, grid, { ...options, maxCpus: 1 });
      expect(pooled.windows.map((w) => w.params)).toEqual(local.windows.map((w) => w.params));
      expect(pooled.finalValue).toBe(local.finalValue);
      expect(pool.threadsStarted).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('refuses windows it cannot run', async () => {
    await expect(walkForward(cerebro(), SweepCross, grid, { inSample: 0, outSample: 10 })).rejects.toThrow(/inSample must be a whole number/);
    await expect(walkForward(cerebro(), SweepCross, grid, { inSample: 10_000, outSample: 10 })).rejects.toThrow(ParamError);
    await expect(walkForward(new Cerebro(), SweepCross, grid, { inSample: 10, outSample: 10 })).rejects.toThrow(/no data/);
  });
});
