/**
 * Composition in strategies: arithmetic, comparisons and backtrader's And / Or / If / Max / Min /
 * Sum between lines and numbers, indicators of indicators, and backtrader's minimum periods.
 * Where backtrader builds an indicator from these operations, the composed version is checked
 * against the oracle.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, ParamError, Strategy, ta } from '../ts/index.js';
import { expectNum, oraclePath, readOracle } from './support/oracle.js';

const oracle = readOracle('indicators_2006-day-001.json');
const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));
const close = data.close.array;

function expectOracle(line: Float64Array, key: string, lineName: string, label = 'default'): void {
  const run = oracle.indicators[key].runs.find((r: any) => r.label === label);
  run.lines[lineName].forEach((v: number | null, i: number) => expectNum(line[i]!, v, `${key} ${lineName}[${i}]`));
}

describe('composed indicators match the backtrader indicators built the same way', () => {
  it('UltimateOscillator from SumN, TrueLow, TR, div, mul and add', () => {
    const bp = ind.sub(data.close, ind.TrueLow(data));
    const tr = ind.TR(data);
    const av = (p: number) => ind.div(ind.SumN(bp, { period: p }), ind.SumN(tr, { period: p }));
    const f = 100 / 7;
    const uo = ind.add(ind.add(ind.mul(4 * f, av(7)), ind.mul(2 * f, av(14))), ind.mul(f, av(28)));
    expect(uo.minPeriod).toBe(29);
    expectOracle(uo.array, 'UltimateOscillator', 'uo');
  });

  it('WilliamsAD from UpDay, DownDay, If and Accum', () => {
    const adup = ind.If(ind.UpDay(data), ind.sub(data.close, ind.TrueLow(data)), 0);
    const addown = ind.If(ind.DownDay(data), ind.sub(data.close, ind.TrueHigh(data)), 0);
    const ad = ind.Accum(ind.add(adup, addown));
    expect(ad.minPeriod).toBe(2);
    expectOracle(ad.array, 'WilliamsAD', 'ad');
  });

  it('AccDeOsc as AO minus its SMA (an indicator of an indicator)', () => {
    const ao = ind.AO(data);
    const accde = ind.sub(ao, ind.SMA(ao, { period: 5 }));
    expect(accde.minPeriod).toBe(38);
    expectOracle(accde.array, 'AccDeOsc', 'accde');
  });

  it('Vortex true range from Max of three and abs', () => {
    const prevClose = ind.create('Momentum', [data.close], { period: 1 }); // close - close(-1)
    const c1 = ind.sub(data.close, prevClose);
    const range = ind.Max(ind.abs(ind.sub(data.high, data.low)), ind.abs(ind.sub(data.high, c1)), ind.abs(ind.sub(data.low, c1)));
    const tr = ind.SumN(range, { period: 14 });
    expect(tr.minPeriod).toBe(15);
    const vm = ind.SumN(ind.abs(ind.sub(data.high, ind.sub(data.low, ind.create('Momentum', [data.low], { period: 1 })))), { period: 14 });
    expectOracle(ind.div(vm, tr).array, 'Vortex', 'vi_plus');
  });

  it('DV2 as 100 * PercentRank of an SMA of a ratio', () => {
    const chl = ind.div(data.close, ind.div(ind.add(data.high, data.low), 2));
    const dv2 = ind.mul(ind.PctRank(ind.SMA(chl, { period: 3 }), { period: 20 }), 100);
    expect(dv2.minPeriod).toBe(22);
    expectOracle(dv2.array, 'DV2', 'dv2', 'custom');
  });
});

describe('operations', () => {
  const sma = ind.SMA(data, { period: 10 });

  it('compare lines and numbers, NaN during the warm-up', () => {
    const above = ind.gt(data.close, sma);
    expect(above.minPeriod).toBe(10);
    for (let i = 0; i < close.length; i++) {
      if (i < 9) expect(above.array[i]).toBeNaN();
      else expect(above.array[i]).toBe(close[i]! > sma.array[i]! ? 1 : 0);
    }
    expect(Array.from(ind.le(data.close, sma).array.slice(9))).toEqual(Array.from(above.array.slice(9), (x) => 1 - x));
    expect(ind.ge(data.close, 3700).array[0]).toBe(close[0]! >= 3700 ? 1 : 0);
    expect(ind.eq(sma, sma).array[9]).toBe(1);
    expect(ind.ne(sma, sma).array[9]).toBe(0);
    expect(ind.lt(1, data.close).minPeriod).toBe(1);
  });

  it('And, Or, Max, Min, Sum take any number of lines and numbers', () => {
    const rsi = ind.RSI(data);
    const a = ind.gt(data.close, sma);
    const b = ind.lt(rsi, 50);
    const and = ind.And(a, b);
    const or = ind.Or(a, b, 0);
    expect(and.minPeriod).toBe(15);
    const max = ind.Max(data.close, sma, 3700);
    const min = ind.Min(data.close, sma);
    const sum = ind.Sum(data.close, sma, -1);
    for (let i = 14; i < close.length; i++) {
      expect(and.array[i]).toBe(a.array[i] && b.array[i] ? 1 : 0);
      expect(or.array[i]).toBe(a.array[i] || b.array[i] ? 1 : 0);
      expect(max.array[i]).toBe(Math.max(close[i]!, sma.array[i]!, 3700));
      expect(min.array[i]).toBe(Math.min(close[i]!, sma.array[i]!));
      expect(sum.array[i]).toBeCloseTo(close[i]! + sma.array[i]! - 1, 9);
    }
    expect(and.array[13]).toBeNaN();
  });

  it('Sum is math.fsum', () => {
    const big = ind.mul(ind.ge(data.close, 0), 1e16);
    expect(ind.Sum(big, 1, ind.neg(big)).array[0]).toBe(1);
    expect(ind.add(ind.add(big, 1), ind.neg(big)).array[0]).toBe(0);
  });

  it('If picks a branch per bar', () => {
    const up = ind.gt(data.close, data.open);
    const body = ind.If(up, ind.sub(data.close, data.open), ind.sub(data.open, data.close));
    for (let i = 0; i < close.length; i++) expect(body.array[i]).toBe(Math.abs(close[i]! - data.open.array[i]!));
    expect(ind.If(sma, 1, 0).array[0]).toBeNaN();
  });

  it('rejects what is not a line or a number, and lines of other data', () => {
    expect(() => ind.add('x' as never, 1)).toThrow(ParamError);
    expect(() => ind.add(1, 2)).toThrow(ParamError);
    const other = feeds.backtraderCsv(oraclePath('data', '2006-volume-day-001.txt'));
    // Outside a run two datas have no common clock (inside one they are aligned: test/pairs.test.ts).
    expect(() => ind.sub(data.close, other.close)).toThrow(/strategy's init\(\)/);
  });
});

describe('indicators of indicators', () => {
  it('SMA of RSI adds the periods as backtrader does', () => {
    const rsi = ind.RSI(data, { period: 14 });
    const smooth = ind.SMA(rsi, { period: 5 });
    expect(smooth.minPeriod).toBe(19);
    const expected = ta.sma(ta.rsi(close, { period: 14 }), { period: 5 });
    expect(Array.from(smooth.array)).toEqual(Array.from(expected));
    expect(smooth.array[17]).toBeNaN();
    expect(smooth.array[18]).not.toBeNaN();
  });

  it('EMA of a composed line starts where the line does', () => {
    const spread = ind.sub(ind.EMA(data, { period: 12 }), ind.EMA(data, { period: 26 }));
    const signal = ind.EMA(spread, { period: 9 });
    const macd = ind.MACD(data);
    expect(signal.minPeriod).toBe(macd.minPeriod);
    signal.array.forEach((v, i) => expectNum(v, Number.isNaN(macd.signal.array[i]!) ? null : macd.signal.array[i]!, `signal[${i}]`));
  });

  it('the strategy waits for the slowest indicator (backtrader test_ind_minperiod: 34)', () => {
    let first = 0;
    class S extends Strategy {
      override init() {
        ind.SMA(this.data);
        ind.Stochastic(this.data);
        ind.MACD(this.data);
        ind.Highest(this.data.high, { period: 10 });
        ind.gt(this.data.close, ind.SMA(this.data, { period: 5 }));
      }
      override nextstart() {
        first = this.len;
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(data);
    cerebro.addStrategy(S);
    cerebro.run();
    expect(first).toBe(34);
  });
});
