/**
 * Indicator parity with backtrader: every run of the implemented indicators in
 * shared/oracle/indicators_2006-day-001.json, every value to 1e-9 relative, NaN exactly where
 * backtrader has its warm-up, and the same minimum period.
 *
 * A run built as `Class(data, k=v, ...)` is rebuilt through the friendly function of the
 * oracle's key (`ind.EMA`, `ind.BBands`, ...) on the whole feed with the run's parameters; the
 * runs over other indicators have their own builders below.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, Strategy, type Indicator, type LineSource } from '../ts/index.js';
import { expectNum, oraclePath, readOracle } from './support/oracle.js';

const oracle = readOracle('indicators_2006-day-001.json');
const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));

/** Oracle keys of the indicators implemented, checked on every run. */
const IMPLEMENTED = [
  'SMA', 'EMA', 'SMMA', 'WMA', 'DEMA', 'TEMA', 'ZLEMA', 'HMA', 'KAMA', 'ZLInd', 'DMA',
  'SMAEnvelope', 'EMAEnvelope', 'SMMAEnvelope', 'WMAEnvelope', 'DEMAEnvelope', 'TEMAEnvelope',
  'ZLEMAEnvelope', 'HMAEnvelope', 'KAMAEnvelope', 'ZLIndEnvelope', 'DMAEnvelope',
  'SMAOsc', 'EMAOsc', 'SMMAOsc', 'WMAOsc', 'DEMAOsc', 'TEMAOsc', 'ZLEMAOsc', 'HMAOsc', 'KAMAOsc',
  'ZLIndOsc', 'DMAOsc',
  'StdDev', 'MeanDev', 'BBands', 'BollingerBandsPct',
  'MACD', 'MACDHisto', 'APO', 'PPO', 'PPOShort', 'Trix', 'TrixSignal',
  'UpDay', 'DownDay', 'UpDayBool', 'DownDayBool', 'RSI', 'RSI_SMA', 'RSI_EMA', 'RSI_Safe', 'RMI',
  'TrueHigh', 'TrueLow', 'TR', 'ATR',
  'Momentum', 'MomentumOsc', 'ROC', 'ROC100', 'PctChange',
  'MaxN', 'MinN', 'SumN', 'Mean', 'WeightedAverage', 'AnyN', 'AllN', 'FindFirstIndexHighest', 'FindFirstIndexLowest',
  'FindLastIndexHighest', 'FindLastIndexLowest', 'Accum', 'PctRank',
  'Stochastic', 'StochasticFast', 'StochasticFull', 'WilliamsR', 'CCI', 'DPO',
  'UpMove', 'DownMove', 'DI', 'PlusDI', 'MinusDI', 'ADX', 'ADXR', 'DMI', 'DM',
  'AroonUp', 'AroonDown', 'AroonUpDown', 'AroonOsc', 'AroonUpDownOsc',
  'Envelope', 'Oscillator', 'CrossOver', 'CrossUp', 'CrossDown', 'NZD',
  'AccDeOsc', 'AO', 'DV2', 'DemarkPivotPoint', 'FibonacciPivotPoint', 'PivotPoint', 'Fractal',
  'HeikinAshi', 'haD', 'Hurst', 'Ichimoku', 'KST', 'LAGF', 'LRSI', 'PSAR', 'PGO', 'TSI',
  'UltimateOscillator', 'Vortex', 'WilliamsAD', 'ExpSmoothing',
  'ApplyN', 'ReduceN', 'FindFirstIndex', 'FindLastIndex',
];

const max = (w: Float64Array) => Math.max(...w);
const min = (w: Float64Array) => Math.min(...w);

const sma = (period: number) => ind.SMA(data.close, { period });

/** Runs that are not `Class(data, ...)`, by the oracle's construction text. */
const builders: Record<string, () => Indicator> = {
  'CrossOver(SMA(close,15), SMA(close,30))': () => ind.CrossOver(sma(15), sma(30)),
  'CrossOver(close, SMA(close,10))': () => ind.CrossOver(data.close, sma(10)),
  'CrossUp(SMA(close,15), SMA(close,30))': () => ind.CrossUp(sma(15), sma(30)),
  'CrossDown(SMA(close,15), SMA(close,30))': () => ind.CrossDown(sma(15), sma(30)),
  'NonZeroDifference(SMA(close,15), SMA(close,30))': () => ind.NZD(sma(15), sma(30)),
  'Envelope(SMA(close,30))  (as in tests/test_ind_envelope.py; perc=2.5)': () => ind.Envelope(sma(30)),
  'Oscillator(SMA(close,30))  (1-data form: osc = SMA.data - SMA = close - SMA)': () => ind.Oscillator(sma(30)),
  'Oscillator(close, EMA(close,10))  (2-data form: osc = data0 - data1)': () =>
    ind.Oscillator(data.close, ind.EMA(data.close, { period: 10 })),
  // The function-taking window operations, with the oracle's documented functions.
  'ApplyN(close, period=10, func=lambda w: max(w) - min(w))  (rolling range)': () =>
    ind.ApplyN(data.close, { period: 10, func: (w) => max(w) - min(w) }),
  'ReduceN(close, period=10, function=max)  (functools.reduce over window)': () =>
    ind.ReduceN(data.close, { period: 10, func: (a, b) => (b > a ? b : a) }),
  'FindFirstIndex(close, period=10, _evalfunc=max)': () =>
    ind.FindFirstIndex(data.close, { period: 10, evalfunc: max }),
  'FindLastIndex(close, period=10, _evalfunc=min)': () =>
    ind.FindLastIndex(data.close, { period: 10, evalfunc: min }),
};

/**
 * Where ferrotrade deliberately differs from backtrader, the line is checked against what
 * backtrader meant, computed from the oracle's other lines (see docs/indicators.md).
 * backtrader's ZeroLagIndicator computes its line in `next()`, after the envelope and
 * oscillator operations of its generated variants have already read the (still empty) line:
 * ZLIndEnvelope's bands are NaN throughout and ZLIndOsc equals ZLInd. ferrotrade gives the bands
 * and the oscillator their documented meaning.
 */
const deviations: Record<string, (run: any, line: string, i: number) => number | null> = {
  'ZLIndEnvelope': (run, line, i) => {
    const ec = run.lines.ec[i];
    if (line === 'ec' || ec === null) return ec;
    const perc = run.params.perc / 100;
    return line === 'top' ? ec * (1 + perc) : ec * (1 - perc);
  },
  'ZLIndOsc': (run, _line, i) => {
    const ec = run.lines.ec[i];
    return ec === null ? null : data.close.array[i]! - ec;
  },
  // chikou_span[t] = close[t + chikou]: NaN where t + chikou is past the data. backtrader's
  // whole-column computation wraps around on the very last bar (close[chikou - 1] there); its
  // bar-by-bar mode, and ferrotrade, give NaN.
  'Ichimoku': (run, line, i) => (line === 'chikou_span' ? run.lines_next.chikou_span[i] : run.lines[line][i]),
};

type Friendly = (source: LineSource, params?: Record<string, unknown>) => Indicator;

/** `Class(data)` / `Class(data, k=v)` through `ind[key]` with the run's parameters. */
function buildOnData(key: string, run: any): Indicator | undefined {
  if (!/^\w+\(data(, .*)?\)$/.test(run.input)) return undefined;
  const fn = (ind as unknown as Record<string, Friendly>)[key];
  expect(fn, `ind.${key} is missing`).toBeTypeOf('function');
  // PercentRank records its default ranking function as `func: '<lambda>'`; it is built in.
  const params = Object.fromEntries(Object.entries(run.params).filter(([, v]) => v !== '<lambda>'));
  return fn!(data, params);
}

describe.each(IMPLEMENTED)('indicator parity: %s', (key) => {
  const spec = oracle.indicators[key];
  it.each(spec.runs.map((r: any) => [r.label, r]) as [string, any][])('%s run', (_label: string, run: any) => {
    const build = builders[run.input];
    const indicator = build ? build() : buildOnData(key, run);
    expect(indicator, `no builder for ${run.input}`).toBeDefined();
    expect(indicator!.indicatorName).toBe(spec.class);
    expect(indicator!.minPeriod).toBe(run.minperiod);
    for (const lineName of spec.lines) {
      const line = indicator!.lines[lineName]!;
      expect(line, `line ${lineName}`).toBeDefined();
      const fix = deviations[key];
      const expected: (number | null)[] = fix
        ? run.lines[lineName].map((_: unknown, i: number) => fix(run, lineName, i))
        : run.lines[lineName];
      expect(line.array.length).toBe(expected.length);
      expected.forEach((v, i) => expectNum(line.array[i]!, v, `${key} ${lineName}[${i}]`));
    }
  });
});

describe('the strategy warm-up follows the indicators', () => {
  it('calls prenext until every indicator has a value, then nextstart once, then next', () => {
    const calls: string[] = [];
    class Probe extends Strategy {
      override init() {
        ind.CrossOver(ind.SMA(this.data, { period: 3 }), ind.SMA(this.data, { period: 5 }));
      }
      override prenext() {
        calls.push(`prenext:${this.len}`);
      }
      override nextstart() {
        calls.push(`nextstart:${this.len}`);
      }
      override next() {
        calls.push(`next:${this.len}`);
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(data);
    cerebro.addStrategy(Probe);
    cerebro.run();
    // CrossOver(SMA3, SMA5): minimum period 5 + 1 = 6.
    expect(calls.slice(0, 7)).toEqual([
      'prenext:1', 'prenext:2', 'prenext:3', 'prenext:4', 'prenext:5', 'nextstart:6', 'next:7',
    ]);
    expect(calls.length).toBe(data.size);
  });
});
