/** The `ta` namespace: registry metadata, batch runs over columns, streaming, shortcuts, bad input. */
import { describe, expect, it } from 'vitest';
import { feeds, ind, ParamError, ta, UnknownIndicatorError } from '../ts/index.js';
import { expectNum, oraclePath, readOracle } from './support/oracle.js';

const oracle = readOracle('indicators_2006-day-001.json');
const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));
const cols = {
  open: data.open.array,
  high: data.high.array,
  low: data.low.array,
  close: data.close.array,
  volume: data.volume.array,
  openinterest: data.openinterest.array,
};
const close = cols.close;

/** Oracle lines where ferrotrade deliberately differs (see docs/indicators.md). */
const DEVIATING = new Set(['ZLIndEnvelope/top', 'ZLIndEnvelope/bot', 'ZLIndOsc/ec', 'Ichimoku/chikou_span']);

const keys = Object.keys(oracle.indicators);

/** The oracle's runs built as `Class(data, k=v, ...)`, with plain parameters. */
const plainRuns = Object.entries(oracle.indicators as Record<string, any>).flatMap(([key, spec]) =>
  spec.runs
    .filter((r: any) => /^\w+\(data(, .*)?\)$/.test(r.input))
    .map((r: any) => [`${key} ${r.label}`, key, spec, r] as [string, string, any, any]),
);

describe('ta.list', () => {
  const all = ta.list();

  it('describes every indicator', () => {
    expect(all.length).toBeGreaterThanOrEqual(124);
    for (const i of all) {
      expect(i.name, JSON.stringify(i)).toBeTypeOf('string');
      expect(i.aliases).toContain(i.name);
      expect(i.inputs.length).toBeGreaterThan(0);
      expect(i.lines.length).toBeGreaterThan(0);
      expect(i.streamDelays.length).toBe(i.lines.length);
      expect(Number.isInteger(i.minPeriod) && i.minPeriod >= 1).toBe(true);
      for (const p of i.params) expect(['number', 'integer', 'bool', 'movav', 'list', 'function']).toContain(p.kind);
    }
    const sma = all.find((i) => i.name === 'MovingAverageSimple')!;
    expect(sma.aliases).toContain('SMA');
    expect(sma.params).toEqual([{ name: 'period', kind: 'integer', default: 30, min: 1, doc: expect.any(String) }]);
    expect(sma.minPeriod).toBe(30);
    const atr = ta.info('ATR');
    expect(atr.inputs).toEqual(['high', 'low', 'close']);
    expect(atr.params.find((p) => p.name === 'movav')!.default).toBe('SmoothedMovingAverage');
    expect(ta.info('applyn').params.map((p) => p.kind)).toEqual(['integer', 'function']);
    expect(ta.info('Ichimoku').streamDelays).toEqual([0, 0, 0, 0, 26]);
    expect(ta.info('AverageWeighted').params.find((p) => p.name === 'weights')).toEqual({
      name: 'weights', kind: 'list', default: [], min: 0, doc: expect.any(String),
    });
  });

  it('gives copies: changing what info and list return leaves the registry as it was', () => {
    const sma = ta.info('SMA');
    sma.lines.push('extra');
    sma.inputs[0] = 'volume';
    ta.list().find((i) => i.name === 'MovingAverageSimple')!.lines.length = 0;
    expect(ta.info('SMA').lines).toEqual(['sma']);
    expect(ta.info('sma').inputs).toEqual(['close']);
    expect(Object.keys(ta.run('SMA', close, { period: 15 }))).toEqual(['sma']);
  });

  it.each(keys)('%s: lines and default minimum period as backtrader', (key) => {
    const spec = oracle.indicators[key];
    const i = ta.info(key);
    expect(i.name).toBe(spec.class);
    expect(i.lines).toEqual(spec.lines);
    const def = spec.runs.find((r: any) => r.label === 'default');
    if (def && /^\w+\(data\)$/.test(def.input)) expect(i.minPeriod).toBe(def.minperiod);
  });
});

describe('ta.run matches backtrader on every plain oracle run', () => {
  it.each(plainRuns)('%s', (_name, key, spec, run) => {
    const params = Object.fromEntries(Object.entries(run.params).filter(([, v]) => v !== '<lambda>'));
    const out = ta.run(key, cols, params);
    expect(Object.keys(out)).toEqual(spec.lines);
    for (const line of spec.lines) {
      if (DEVIATING.has(`${key}/${line}`)) continue;
      run.lines[line].forEach((v: number | null, i: number) => expectNum(out[line]![i]!, v, `${key} ${line}[${i}]`));
    }
  });
});

describe('ta.run', () => {
  it('takes one column, an alias in any case, camelCase parameters and movav by name', () => {
    const a = ta.run('SMA', close, { period: 15 }).sma!;
    expect(Array.from(a)).toEqual(Array.from(ind.SMA(data, { period: 15 }).array));
    expect(Array.from(ta.run('sma', { close }, { period: 15 }).sma!)).toEqual(Array.from(a));
    expect(Array.from(ta.run('MovingAverageSimple', Array.from(close), { period: 15 }).sma!)).toEqual(Array.from(a));
    const m1 = ta.run('MACD', close, { periodMe1: 5, period_me2: 10 });
    const m2 = ta.run('MACD', close, { period_me1: 5, periodMe2: 10 });
    expect(Array.from(m1.macd!)).toEqual(Array.from(m2.macd!));
    const r = ta.run('RSI', close, { movav: 'EMA' }).rsi!;
    expect(Array.from(r)).toEqual(Array.from(ta.run('RSI_EMA', close).rsi!));
  });

  it('writes into caller-provided buffers', () => {
    const n = close.length;
    const out = { mid: new Float64Array(n), top: new Float64Array(n), bot: new Float64Array(n) };
    const res = ta.run('BBands', close, { period: 20 }, out);
    expect(res.mid).toBe(out.mid);
    expect(res.top).toBe(out.top);
    expect(out.top[19]).toBeGreaterThan(out.mid[19]!);
    const partial = { mid: new Float64Array(n) };
    const res2 = ta.run('BBands', close, undefined, partial);
    expect(res2.mid).toBe(partial.mid);
    expect(res2.top).toBeInstanceOf(Float64Array);
  });

  it('takes two lines in order', () => {
    const fast = ta.sma(close, { period: 15 });
    const slow = ta.sma(close, { period: 30 });
    const cross = ta.run('CrossOver', [fast, slow]).crossover!;
    expect(Array.from(cross)).toEqual(Array.from(ta.crossover(fast, slow)));
    expect(Array.from(ta.run('CrossOver', { data0: fast, data1: slow }).crossover!)).toEqual(Array.from(cross));
    const expected = oracle.indicators.CrossOver.runs.find((r: any) => r.input.startsWith('CrossOver(SMA(close,15)'));
    expected.lines.crossover.forEach((v: number | null, i: number) => expectNum(cross[i]!, v, `crossover[${i}]`));
  });

  it('runs the function-taking window operations', () => {
    const range = ta.run('ApplyN', close, { period: 10, func: (w: Float64Array) => Math.max(...w) - Math.min(...w) }).apply!;
    oracle.indicators.ApplyN.runs[0].lines.apply.forEach((v: number | null, i: number) => expectNum(range[i]!, v, `apply[${i}]`));
    const idx = ta.run('FindLastIndex', close, { period: 10, _evalfunc: (w: Float64Array) => Math.min(...w) }).index!;
    oracle.indicators.FindLastIndex.runs[0].lines.index.forEach((v: number | null, i: number) => expectNum(idx[i]!, v, `index[${i}]`));
    expect(() => ta.run('ApplyN', close, { period: 10 })).toThrow(ParamError);
    expect(() => ta.run('ApplyN', close, { period: 10, func: 3 })).toThrow(/'func' must be a function/);
  });
});

describe('list parameters', () => {
  it('WeightedAverage takes its weights as an array, through ta.run, ta.stream and ind', () => {
    const params = { period: 3, weights: [1, 2, 3], coef: 1 / 6 };
    const av = ta.run('WeightedAverage', close, params).av!;
    expect(av[2]).toBeCloseTo((close[0]! + 2 * close[1]! + 3 * close[2]!) / 6, 9);
    const wma = ta.run('WMA', close, { period: 3 }).wma!;
    for (let i = 2; i < close.length; i++) expectNum(av[i]!, wma[i]!, `av[${i}]`);
    const s = ta.stream('AverageWeighted', params);
    const streamed = Array.from(close, (c) => s.update(c).av!);
    expect(streamed).toEqual(Array.from(av));
    const built = ind.create('WeightedAverage', [data], params);
    expect(Array.from(built.array)).toEqual(Array.from(av));
    expect(built.params.weights).toEqual([1, 2, 3]);
    // Values past the end of the weights are left out, as backtrader's zip does.
    const short = ta.run('WeightedAverage', close, { period: 3, weights: [2] }).av!;
    expect(short[2]).toBe(2 * close[0]!);
    expect(Array.from(ta.run('WeightedAverage', close).av!).every((v) => v === 0)).toBe(true);
  });

  it('bad lists are a ParamError', () => {
    expect(() => ta.run('WeightedAverage', close, { period: 2, weights: [1, NaN] })).toThrow(/'weights' must be a list of finite numbers/);
    expect(() => ta.run('WeightedAverage', close, { period: 2, weights: ['a'] as never })).toThrow(ParamError);
    expect(() => ta.run('WeightedAverage', close, { period: 2, weights: 3 })).toThrow(/'weights' must be a list of numbers/);
    expect(() => ta.run('SMA', close, { period: [3] as never })).toThrow(ParamError);
  });
});

describe('ta.run rejects bad input', () => {
  it('unknown names suggest the closest few, not all of them', () => {
    expect(() => ta.run('NoSuch', close)).toThrow(UnknownIndicatorError);
    expect(() => ta.run('SMAA', close)).toThrow(/unknown indicator 'SMAA'; did you mean SMA,/);
    expect(() => ta.run('Bolinger', close)).toThrow(/did you mean .*BollingerBands/);
    try {
      ta.run('Stochastik', close);
    } catch (err) {
      const names = /did you mean (.*)\?/.exec((err as Error).message)![1]!.split(', ');
      expect(names.length).toBeLessThanOrEqual(5);
      expect(names.some((n) => n.startsWith('Stochastic'))).toBe(true);
    }
    expect(() => ta.stream('NoSuch')).toThrow(UnknownIndicatorError);
  });

  it('bad parameters are a ParamError naming the parameter', () => {
    expect(() => ta.run('SMA', close, { period: 0 })).toThrow(ParamError);
    expect(() => ta.run('SMA', close, { period: 2.5 })).toThrow(/'period'/);
    expect(() => ta.run('SMA', close, { perod: 5 })).toThrow(/no parameter 'perod'.*valid parameters: period/);
    expect(() => ta.run('ATR', cols, { movav: 'Nope' })).toThrow(/'movav'/);
    expect(() => ta.run('RSI', close, { safediv: 'yes' })).toThrow(ParamError);
    expect(() => ta.run('SMA', close, 5 as never)).toThrow(ParamError);
    expect(() => ta.stream('EMA', { period: -1 })).toThrow(ParamError);
  });

  it('columns of different lengths, missing columns and bad buffers', () => {
    expect(() => ta.run('ATR', { high: cols.high, low: cols.low.subarray(1), close })).toThrow(ParamError);
    expect(() => ta.run('ATR', { high: cols.high, low: cols.low.subarray(1), close })).toThrow(/same length/);
    expect(() => ta.run('ATR', { high: cols.high, close })).toThrow(/needs column 'low'/);
    expect(() => ta.run('ATR', close)).toThrow(/takes 3 columns/);
    expect(() => ta.run('CrossOver', [close])).toThrow(ParamError);
    expect(() => ta.run('SMA', close, {}, { sma: new Float64Array(3) })).toThrow(/length/);
    expect(() => ta.run('SMA', 'abc' as never)).toThrow(ParamError);
  });
});

describe('ta.stream', () => {
  /** Every indicator streamed bar by bar over the oracle data equals its batch run. */
  it.each(ta.list().map((i) => [i.name, i] as const))('%s equals ta.run', (name, info) => {
    const params = info.params.some((p) => p.kind === 'function')
      ? { period: 5, [info.params[1]!.name]: name === 'ReduceN' ? (a: number, b: number) => a + b : (w: Float64Array) => Math.max(...w) }
      : undefined;
    const inputs = info.inputs.map((c, k) => (c === 'data0' ? close : c === 'data1' ? ta.sma(close, { period: 10 }) : (cols as any)[c] ?? (k === 0 ? close : undefined)));
    const batch = ta.run(name, inputs, params);
    const s = ta.stream(name, params);
    expect(s.lines).toEqual(info.lines);
    for (let i = 0; i < close.length; i++) {
      const v = s.update(inputs.map((c) => c[i]!));
      info.lines.forEach((line, j) => {
        const d = s.delays[j]!;
        if (i >= d) expectNum(v[line]!, Number.isNaN(batch[line]![i - d]!) ? null : batch[line]![i - d]!, `${name} ${line}[${i}]`);
      });
    }
  });

  it('takes a number or a bar object', () => {
    const sma = ta.stream('SMA', { period: 3 });
    expect(sma.update(1).sma).toBeNaN();
    expect(sma.update(2).sma).toBeNaN();
    expect(sma.update(6).sma).toBe(3);
    const atr = ta.stream('ATR', { period: 2 });
    atr.update({ open: 1, high: 2, low: 1, close: 1.5, volume: 0 });
    atr.update({ high: 3, low: 2, close: 2.5 });
    expect(atr.update({ high: 3, low: 2, close: 2.5 }).atr).toBeCloseTo(1.25);
    expect(() => atr.update(3)).toThrow(ParamError);
    expect(() => atr.update({ high: 1, low: 1 } as never)).toThrow(/'close'/);
  });
});

describe('ta shortcuts', () => {
  it('give the lines of the named indicators', () => {
    expect(Array.from(ta.ema(close, { period: 10 }))).toEqual(Array.from(ind.EMA(data, { period: 10 }).array));
    expect(Array.from(ta.rsi(close))).toEqual(Array.from(ind.RSI(data).array));
    const macd = ta.macd(close);
    expect(Object.keys(macd)).toEqual(['macd', 'signal', 'histo']);
    const bb = ta.bbands(close, { period: 20, devfactor: 2 });
    expect(Object.keys(bb)).toEqual(['mid', 'top', 'bot']);
    expect(Array.from(ta.atr(cols, { period: 14 }))).toEqual(Array.from(ind.ATR(data).array));
    const st = ta.stochastic(cols);
    expect(Array.from(st.percK)).toEqual(Array.from(ind.Stochastic(data).percK.array));
    expect(ta.psar(cols).length).toBe(close.length);
    expect(ta.wma(close).length).toBe(close.length);
  });
});
