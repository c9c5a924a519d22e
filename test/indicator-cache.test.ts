/**
 * The indicator cache of sweeps: a byte budget with the least recently used entries out, and
 * the columns of dropped entries reused for later outputs without changing any run's numbers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cachedOutputs, endIndicatorRun, useIndicatorCache } from '../ts/indicators/cache.js';
import { feeds } from '../ts/index.js';
import { runOne, type RunSetup } from '../ts/optimize/run-one.js';
import { Cerebro } from '../ts/engine/cerebro.js';
import { SweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';

afterEach(() => useIndicatorCache(false));

const N = 100;
const BYTES = N * 8;

/** A compute that counts its calls and fills its one output column with `value`. */
function filler(value: number, calls: { n: number }) {
  return (alloc: (n: number) => Float64Array) => {
    calls.n++;
    const out = alloc(N);
    out.fill(value);
    return [out];
  };
}

describe('indicator cache budget', () => {
  it('drops the least recently used outputs of earlier runs and reuses their columns', () => {
    useIndicatorCache(true, 2 * BYTES);
    const input = new Float64Array(N);
    const calls = { n: 0 };
    const [a] = cachedOutputs('A', {}, [input], filler(1, calls));
    const [b] = cachedOutputs('B', {}, [input], filler(2, calls));
    endIndicatorRun();
    // Read again in this run: A is now the most recently used.
    expect(cachedOutputs('A', {}, [input], filler(1, calls))[0]).toBe(a);
    const [c] = cachedOutputs('C', {}, [input], filler(3, calls));
    // Over budget: B (least recently used, not read by this run) went, and C reused nothing
    // yet (the column is freed after C is computed).
    expect(calls.n).toBe(3);
    expect(c).not.toBe(b);
    endIndicatorRun();
    const [d] = cachedOutputs('D', {}, [input], filler(4, calls));
    // A was dropped for D and D got its column, rewritten.
    expect(d).toBe(b);
    expect(d![0]).toBe(4);
    // B is gone: asking again computes it.
    cachedOutputs('B', {}, [input], filler(2, calls));
    expect(calls.n).toBe(5);
  });

  it('never drops what the current run has read, even over budget', () => {
    useIndicatorCache(true, BYTES);
    const input = new Float64Array(N);
    const calls = { n: 0 };
    const [a] = cachedOutputs('A', {}, [input], filler(1, calls));
    const [b] = cachedOutputs('B', {}, [input], filler(2, calls));
    expect(cachedOutputs('A', {}, [input], filler(1, calls))[0]).toBe(a);
    expect(cachedOutputs('B', {}, [input], filler(2, calls))[0]).toBe(b);
    expect(calls.n).toBe(2);
    expect(a![0]).toBe(1);
  });

  it('keys no longer match a reused column: an indicator over it is computed anew', () => {
    useIndicatorCache(true, 3 * BYTES);
    const input = new Float64Array(N);
    const calls = { n: 0 };
    const [sma5] = cachedOutputs('SMA', { period: 5 }, [input], filler(5, calls));
    // An indicator over SMA(5)'s column, cached under that column's identity; read by the next
    // runs, it outlives SMA(5).
    const [old] = cachedOutputs('CrossOver', {}, [sma5!, input], filler(-1, calls));
    for (const period of [6, 7]) {
      endIndicatorRun();
      expect(cachedOutputs('CrossOver', {}, [sma5!, input], filler(-1, calls))[0]).toBe(old);
      cachedOutputs('SMA', { period }, [input], filler(period, calls));
    }
    endIndicatorRun();
    // SMA(5) was dropped and its column is SMA(8)'s now.
    const [sma8] = cachedOutputs('SMA', { period: 8 }, [input], filler(8, calls));
    expect(sma8).toBe(sma5);
    expect(sma8![0]).toBe(8);
    // The CrossOver over that column is not the cached one over its old values.
    const before = calls.n;
    const [fresh] = cachedOutputs('CrossOver', {}, [sma8!, input], filler(-2, calls));
    expect(calls.n).toBe(before + 1);
    expect(fresh).not.toBe(old);
  });
});

describe('a sweep in a small cache', () => {
  it('gives every combination what it gives alone, while outputs are dropped and reused', () => {
    const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));
    const alone = new Cerebro();
    alone.broker.setCash(100_000);
    alone.broker.setCommission({ commission: 0.001 });
    const setup: RunSetup = { strategy: SweepCross as never, datas: [data], broker: alone.broker.exportSettings(), analyzers: [] };
    const combos = [
      { fast: 5, slow: 20 }, { fast: 7, slow: 20 }, { fast: 5, slow: 30 }, { fast: 9, slow: 25 },
      { fast: 5, slow: 20 }, { fast: 7, slow: 30 },
    ];
    const expected = combos.map((p) => runOne(setup, p));
    const n = data.close.array.length;
    // Room for about three columns: every run drops outputs of earlier ones and reuses them.
    useIndicatorCache(true, 3 * n * 8);
    const rows = combos.map((p) => runOne(setup, p));
    for (let k = 0; k < combos.length; k++) {
      expect(rows[k]!.error).toBeUndefined();
      expect(rows[k]!.finalValue).toBe(expected[k]!.finalValue);
      expect(rows[k]!.closedTrades).toBe(expected[k]!.closedTrades);
      expect(rows[k]!.maxDrawdownPct).toBe(expected[k]!.maxDrawdownPct);
      expect(rows[k]!.closedTrades).toBeGreaterThan(0);
    }
  });
});
