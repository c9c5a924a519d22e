/** Indicator inputs and parameters: data feeds feed OHLC inputs, `movav` by name, bad input. */
import { describe, expect, it } from 'vitest';
import { feeds, ind, ParamError, UnknownIndicatorError } from '../ts/index.js';
import { oraclePath } from './support/oracle.js';

const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));

describe('indicator inputs', () => {
  it('takes the named columns of a data feed', () => {
    const atr = ind.ATR(data, { period: 7 });
    const tr = ind.TR(data);
    const fromLines = ind.create('TR', [data.high, data.low, data.close]);
    expect(Array.from(tr.array)).toEqual(Array.from(fromLines.array));
    expect(atr.minPeriod).toBe(8);
    expect(atr.inputs.map((l) => l.name)).toEqual(['high', 'low', 'close']);
  });

  it('exposes lines by backtrader name', () => {
    const bb = ind.BBands(data, { period: 10 });
    expect(bb.lines.top).toBe(bb.top);
    expect(bb.mid.array[9]! < bb.top.array[9]!).toBe(true);
    const macd = ind.MACDHisto(data);
    expect(Object.keys(macd.lines)).toEqual(['macd', 'signal', 'histo']);
  });
});

describe('indicator parameters', () => {
  it('accepts a moving average by name or alias and reports the class name', () => {
    const a = ind.RSI(data, { movav: 'EMA' });
    const b = ind.RSI_EMA(data);
    expect(a.params.movav).toBe('ExponentialMovingAverage');
    expect(Array.from(a.array)).toEqual(Array.from(b.array));
    expect(ind.ATR(data, { movav: 'Simple' }).params.movav).toBe('MovingAverageSimple');
  });

  it('rejects a moving average that does not exist, naming the parameter', () => {
    expect(() => ind.ATR(data, { movav: 'Nope' })).toThrow(ParamError);
    expect(() => ind.ATR(data, { movav: 'RSI' })).toThrow(/movav/);
  });

  it('rejects invalid periods with a typed error naming the parameter', () => {
    for (const period of [0, -3, 2.5, NaN]) {
      expect(() => ind.EMA(data, { period })).toThrow(ParamError);
      expect(() => ind.EMA(data, { period })).toThrow(/'period'/);
    }
    expect(() => ind.MACD(data, { period_me1: 0 })).toThrow(/'period_me1'/);
    expect(() => ind.MACD(data, { periodMe1: 1.5 } as never)).toThrow(/'period_me1'/);
  });

  it('takes flags as booleans', () => {
    const safe = ind.RSI(data, { safediv: true });
    expect(safe.params.safediv).toBe(true);
    expect(() => ind.RSI(data, { safediv: 'yes' } as never)).toThrow(/'safediv'/);
  });

  it('rejects unknown indicators suggesting the closest names', () => {
    expect(() => ind.create('NoSuchIndicator', [data])).toThrow(UnknownIndicatorError);
    expect(() => ind.create('BBand', [data])).toThrow(/did you mean BBands/);
  });

  it('rejects a wrong number of inputs', () => {
    expect(() => ind.create('TR', [data.high, data.low])).toThrow(ParamError);
    expect(() => ind.Oscillator(data.close)).toThrow(ParamError);
  });
});
