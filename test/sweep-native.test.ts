/**
 * Native sweeps make the same trades as the TypeScript engine for the same strategy (SMA cross
 * with Market orders): trade counts, wins and final value to 1e-9, and drawdown and Sharpe from
 * the engine's per-bar values. Bad input is a typed error.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Cerebro, feeds, ParamError, PercentSizer, range, rules, sweep, UnknownIndicatorError, type DataFeed, type RunResult,
} from '../ts/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { oraclePath } from './support/oracle.js';
import { sweepMetrics } from './support/sweep-metrics.js';

const SAMPLE = join(import.meta.dirname, '..', 'examples', 'data', 'sample-daily.csv');
const CASH = 100_000;
const COMMISSION = 0.001;

/** The same crossover, sized by the cerebro's sizer. */
class SizedSmaCross extends SmaCross {
  override next(): void {
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) this.pending = this.buy();
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.pending = this.close();
  }
}

function engine(file: string, fast: number, slow: number, percents?: number, setup?: (broker: Cerebro['broker']) => void): RunResult {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(file));
  cerebro.broker.setCash(CASH);
  if (setup) setup(cerebro.broker);
  else cerebro.broker.setCommission({ commission: COMMISSION });
  if (percents !== undefined) cerebro.addSizer(PercentSizer, { percents });
  cerebro.addStrategy(percents === undefined ? SmaCross : SizedSmaCross, { fast, slow, stake: 10 });
  return cerebro.run()[0]!;
}

const metrics = (values: Float64Array) => sweepMetrics(values, CASH);

const close = (a: number, b: number, rel = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));

describe.each([
  ['sample-daily', SAMPLE],
  ['2006-day-001', oraclePath('data', '2006-day-001.txt')],
])('sweep.native on %s', (_, file) => {
  const data: DataFeed = feeds.backtraderCsv(file);
  const grid = { fast: [5, 10, 15], slow: [20, 30, 45] };

  it('makes the same trades as the TypeScript engine (fixed size)', () => {
    const res = sweep.native({
      data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 10 } }, grid,
      broker: { cash: CASH, commission: COMMISSION },
    });
    expect(res.rows).toHaveLength(9);
    for (const row of res.rows) {
      const r = engine(file, row.params.fast!, row.params.slow!);
      expect(r.trades.length).toBeGreaterThan(0);
      expect(row.trades).toBe(r.trades.length);
      expect(row.wins).toBe(r.trades.filter((t) => t.pnlcomm > 0).length);
      expect(row.orders).toBe(r.orders.length);
      close(row.finalValue, r.finalValue);
      close(row.totalReturn, r.finalValue / CASH - 1);
      const m = metrics(r.value);
      close(row.maxDrawdown, m.mdd);
      close(row.sharpe, m.sharpe, 1e-7);
    }
  });

  it.each([
    [
      'a fixed commission per unit with a minimum, stamp duty and a transfer fee',
      { cash: CASH, commission: 0.02, commtype: 'fixed', minCommission: 5, stampDuty: 0.001, transferFee: 0.00002 } as const,
      (b: Cerebro['broker']) => b.setCommission({ commission: 0.02, commtype: 'fixed', minCommission: 5, stampDuty: 0.001, transferFee: 0.00002 }),
    ],
    [
      'percent slippage (Market orders slip at the open)',
      { cash: CASH, commission: COMMISSION, slippage: { perc: 0.002 } },
      (b: Cerebro['broker']) => {
        b.setCommission({ commission: COMMISSION });
        b.setSlippagePerc(0.002);
      },
    ],
    [
      'fixed slippage that spares the open, a percent rate in percent units',
      { cash: CASH, commission: 0.1, percabs: false, slippage: { fixed: 0.05, slipOpen: false } },
      (b: Cerebro['broker']) => {
        b.setCommission({ commission: 0.1, percabs: false });
        b.setSlippageFixed(0.05, { slipOpen: false });
      },
    ],
    [
      'percent slippage that may not leave the bar (orders wait for a bar they can fill on)',
      { cash: CASH, commission: COMMISSION, slippage: { perc: 0.003, slipMatch: false } },
      (b: Cerebro['broker']) => {
        b.setCommission({ commission: COMMISSION });
        b.setSlippagePerc(0.003, { slipMatch: false });
      },
    ],
  ])('makes the same trades as the TypeScript engine with %s', (_, broker, setup) => {
    const res = sweep.native({ data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 10 } }, grid, broker, threads: 1 });
    const plain = sweep.native({ data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 10 } }, grid, broker: { cash: CASH } });
    for (const [k, row] of res.rows.entries()) {
      const r = engine(file, row.params.fast!, row.params.slow!, undefined, setup);
      expect(row.trades).toBe(r.trades.length);
      expect(row.trades).toBeGreaterThan(0);
      expect(row.wins).toBe(r.trades.filter((t) => t.pnlcomm > 0).length);
      close(row.finalValue, r.finalValue);
      // The costs are felt.
      expect(row.finalValue).not.toBe(plain.rows[k]!.finalValue);
    }
  });

  it("makes the same trades as the TypeScript engine with backtrader's PercentSizer", () => {
    const res = sweep.native({
      data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { percent: 'pct' } },
      grid: { fast: [5, 15], slow: [30], pct: [20, 95] }, broker: { cash: CASH, commission: COMMISSION }, threads: 1,
    });
    for (const row of res.rows) {
      const r = engine(file, row.params.fast!, row.params.slow!, row.params.pct);
      expect(row.trades).toBe(r.trades.length);
      expect(row.trades).toBeGreaterThan(0);
      close(row.finalValue, r.finalValue);
    }
  });
});

describe('sweep.native results', () => {
  const data = feeds.backtraderCsv(SAMPLE);
  const res = sweep.native({
    data, rule: { entry: cross.gt(0), exit: cross.lt(0), stopLoss: 'sl', takeProfit: 0.1, direction: 'longShort' },
    grid: { fast: range(5, 25, 5), slow: range(30, 60, 10), sl: [0.02, 0.05] }, broker: { cash: CASH },
  });

  it('covers the grid in order, the first parameter slowest', () => {
    expect(res.rows).toHaveLength(4 * 3 * 2);
    expect(res.rows[0]!.params).toEqual({ fast: 5, slow: 30, sl: 0.02 });
    expect(res.rows[1]!.params).toEqual({ fast: 5, slow: 30, sl: 0.05 });
    expect(res.rows.every((r) => r.trades > 0 && r.orders >= r.trades)).toBe(true);
  });

  it('sorts by any metric and exports CSV and JSON', () => {
    const bySharpe = res.sortBy('sharpe');
    for (let i = 1; i < bySharpe.length; i++) expect(bySharpe[i - 1]!.sharpe).toBeGreaterThanOrEqual(bySharpe[i]!.sharpe);
    expect(res.best('maxDrawdown')!.maxDrawdown).toBe(Math.min(...res.rows.map((r) => r.maxDrawdown)));
    expect(res.sortBy('trades', 'asc')[0]!.trades).toBe(Math.min(...res.rows.map((r) => r.trades)));
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-sweep-'));
    const csv = res.toCSV(join(dir, 'r.csv'));
    expect(csv.split('\n')[0]).toBe('fast,slow,sl,finalValue,totalReturn,trades,wins,winRate,maxDrawdown,sharpe,orders');
    expect(readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n')).toHaveLength(25);
    const rows = JSON.parse(res.toJSON(join(dir, 'r.json'))) as { params: { fast: number } }[];
    expect(rows[0]!.params.fast).toBe(5);
    expect(() => res.sortBy('nope' as 'sharpe')).toThrow(ParamError);
  });
});

describe('sweep.native bad input', () => {
  const data = feeds.backtraderCsv(SAMPLE);
  const rule = { entry: cross.gt(0), exit: cross.lt(0) };
  const run = (grid: Record<string, Iterable<number>>, r = rule) => () => sweep.native({ data, rule: r, grid });

  it('refuses broker settings it does not model, unknown ones and bad values, saying what to use', () => {
    const go = (broker: object) => () => sweep.native({ data, rule, grid: { fast: [5], slow: [30] }, broker: broker as never });
    expect(go({ margin: 2000 })).toThrow(/broker.margin is not modelled by native sweeps .*cerebro.optStrategy/);
    expect(go({ interest: 0.05 })).toThrow(/not modelled/);
    expect(go({ comission: 0.001 })).toThrow(/unknown broker setting 'comission'; use cash, commission/);
    expect(go({ commtype: 'flat' })).toThrow(/'percent' or 'fixed'/);
    expect(go({ stampDuty: -1 })).toThrow(/broker.stampDuty must be a finite number >= 0/);
    expect(go({ slippage: { perc: 0.01, fixed: 0.1 } })).toThrow(/perc or fixed, not both/);
    expect(go({ slippage: { slipopen: true } })).toThrow(/unknown broker.slippage setting 'slipopen'/);
    expect(go({ slippage: { perc: -0.01 } })).toThrow(/broker.slippage.perc must be a finite number >= 0, got -0.01/);
    expect(go({ slippage: { fixed: 0.1, slipOpen: 'no' } })).toThrow(/broker.slippage.slipOpen must be true or false/);
    expect(go({ checksubmit: 'yes' })).toThrow(/broker.checksubmit must be true or false/);
  });

  it('refuses an empty grid, a non-iterable or empty value, an unknown or unused parameter', () => {
    expect(run({})).toThrow(ParamError);
    expect(run({ fast: 5 as unknown as number[], slow: [30] })).toThrow(/must be an array or iterable/);
    expect(run({ fast: [], slow: [30] })).toThrow(/has no values/);
    expect(run({ fast: [5], slow: [Number.NaN] })).toThrow(/finite/);
    expect(run({ fast: [5] })).toThrow(/unknown parameter 'slow'/);
    expect(run({ fast: [5], slow: [30], extra: [1] })).toThrow(/'extra' is not used/);
    expect(run({ fast: [0], slow: [30] })).toThrow(ParamError);
  });

  it('refuses an unknown indicator with its typed error', () => {
    const bad = rules.ind('NoSuchIndicator', ['close'], { period: 'fast' });
    expect(run({ fast: [5] }, { entry: bad.gt(0), exit: bad.lt(0) })).toThrow(UnknownIndicatorError);
    expect(() => rules.gt('closing' as 'close', 1)).toThrow(/rules.param/);
    expect(() => range(0, 10, 0)).toThrow(ParamError);
    expect([...range(30, 80, 5)]).toEqual([30, 35, 40, 45, 50, 55, 60, 65, 70, 75]);
    expect([...range(0.1, 0.35, 0.05)]).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
  });
});

describe('sweep.nativeAsync', () => {
  /** A long random walk: a grid over it takes long enough to watch it run. */
  function walk(n: number) {
    let s = 7, last = 100;
    const t0 = Date.UTC(2000, 0, 3);
    const cols = { datetime: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n).fill(1000) };
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const o = last, c = Math.max(1, o * (1 + 0.03 * (s / 2 ** 31 - 0.5)));
      cols.datetime[i] = t0 + i * 86_400_000;
      cols.open[i] = o;
      cols.high[i] = Math.max(o, c) * 1.01;
      cols.low[i] = Math.min(o, c) * 0.99;
      cols.close[i] = c;
      last = c;
    }
    return cols;
  }
  const data = walk(200_000);
  const options = {
    data, rule: { entry: cross.gt(0), exit: cross.lt(0), sizing: { size: 10 } },
    grid: { fast: range(5, 25), slow: range(30, 80, 5) }, broker: { cash: CASH, commission: COMMISSION }, threads: 1,
  };

  it('gives the results of sweep.native while the event loop keeps running, with progress', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const seen: number[] = [];
    const res = await sweep.nativeAsync({ ...options, progressIntervalMs: 5, onProgress: (p) => seen.push(p.done) });
    clearInterval(ticker);
    expect(res.rows).toEqual(sweep.native(options).rows);
    expect(ticks).toBeGreaterThan(0);
    // Progress grows, and ends at every combination.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((d, k) => k === 0 || d > seen[k - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(200);
  });

  it('stops when its signal is aborted and rejects with the reason', async () => {
    const ctl = new AbortController();
    let last = 0;
    const run = sweep.nativeAsync({
      ...options, progressIntervalMs: 2,
      signal: ctl.signal,
      onProgress: (p) => {
        last = p.done;
        if (p.done >= 2) ctl.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
    expect(last).toBeGreaterThanOrEqual(2);
    expect(last).toBeLessThan(200);
    // An already aborted signal: nothing starts.
    await expect(sweep.nativeAsync({ ...options, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops and rejects with the error its progress callback throws', async () => {
    const boom = new Error('progress display failed');
    const run = sweep.nativeAsync({ ...options, progressIntervalMs: 2, onProgress: () => { throw boom; } });
    await expect(run).rejects.toBe(boom);
  });

  it('sweeps the data as it was at the start, whatever the caller does with its arrays', async () => {
    const own = { ...data, close: data.close.slice() };
    const expected = sweep.native({ ...options, data: own });
    const run = sweep.nativeAsync({ ...options, data: own });
    own.close.fill(1); // written while the sweep runs
    expect((await run).rows).toEqual(expected.rows);
  });

  it('rejects bad options with the typed errors of sweep.native', async () => {
    await expect(sweep.nativeAsync({ ...options, grid: {} })).rejects.toThrow(ParamError);
    await expect(sweep.nativeAsync({ ...options, grid: { fast: [3], slow: [0] } })).rejects.toThrow(/period/);
    await expect(sweep.nativeAsync({ ...options, progressIntervalMs: 0 })).rejects.toThrow(ParamError);
    const unknown = rules.ind('NoSuchIndicator', ['close'], {}).gt(0);
    await expect(sweep.nativeAsync({ ...options, rule: { entry: unknown, exit: unknown } })).rejects.toThrow(UnknownIndicatorError);
  });
});
