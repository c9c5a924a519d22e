/** ta.run refuses outputs that alias its inputs; window functions get copies of their windows. */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, ParamError, Strategy, ta } from '../ts/index.js';

describe('output aliasing', () => {
  const close = Float64Array.from({ length: 50 }, (_, i) => 100 + Math.sin(i));

  it('refuses out that is the input, with a typed error', () => {
    const input = close.slice();
    expect(() => ta.run('SMA', input, { period: 5 }, { sma: input })).toThrow(ParamError);
    expect(() => ta.run('SMA', input, { period: 5 }, { sma: input })).toThrow(/out.sma shares memory with the input 'close'/);
    expect(Array.from(input)).toEqual(Array.from(close));
  });

  it('refuses an out that overlaps the input through another view', () => {
    const backing = new Float64Array(100);
    backing.set(close);
    const input = backing.subarray(0, 50);
    const out = backing.subarray(25, 75);
    try {
      ta.run('SMA', input, { period: 5 }, { sma: out });
      expect.unreachable();
    } catch (err) {
      expect((err as ParamError).code).toBe('ALIASED_OUTPUT');
    }
    // A separate part of the same buffer is fine.
    const apart = backing.subarray(50, 100);
    const r = ta.run('SMA', input, { period: 5 }, { sma: apart });
    expect(r.sma).toBe(apart);
    expect(Array.from(r.sma!)).toEqual(Array.from(ta.run('SMA', close.slice(), { period: 5 }).sma!));
  });

  it('refuses two lines in one buffer', () => {
    const one = new Float64Array(50);
    expect(() => ta.run('BBands', close, { period: 5 }, { mid: one, top: one })).toThrow(/out.top shares memory with out.mid/);
  });
});

describe('ApplyN windows', () => {
  it('a function that writes to its window does not change the caller input', () => {
    const input = Float64Array.from({ length: 20 }, (_, i) => i + 1);
    const before = Array.from(input);
    const out = ta.run('ApplyN', input, {
      period: 3,
      func: (w: Float64Array) => {
        const m = w.reduce((a, b) => a + b, 0);
        w.fill(0);
        return m;
      },
    });
    expect(Array.from(input)).toEqual(before);
    expect(out.apply![19]).toBe(18 + 19 + 20);
  });

  it('in a strategy, a writing function leaves the data prices alone', () => {
    const close = Array.from({ length: 20 }, (_, i) => 100 + i);
    const data = feeds.fromColumns({ datetime: close.map((_, i) => i * 86_400_000), open: close, high: close, low: close, close });
    class S extends Strategy {
      override init() {
        ind.ApplyN(this.data.close, { period: 3, func: (w: Float64Array) => w.sort().fill(-1)[0]! });
      }
    }
    const c = new Cerebro();
    c.addData(data);
    c.addStrategy(S);
    c.run();
    expect(Array.from(data.columns.close)).toEqual(close);
  });
});
