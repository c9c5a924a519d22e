/**
 * Indicator parity with backtrader: every run of the implemented indicators in
 * shared/oracle/indicators_2006-day-001.json, every value to 1e-9 relative, NaN exactly where
 * backtrader has its warm-up, and the same minimum period.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, Strategy, type Indicator } from '../ts/index.js';
import { expectNum, oraclePath, readOracle } from './support/oracle.js';

const oracle = readOracle('indicators_2006-day-001.json');
const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));

/** Builds an indicator from the oracle's construction text for the runs we implement. */
const builders: Record<string, (input: string) => Indicator> = {
  'MovingAverageSimple(data)': () => ind.SMA(data),
  'MovingAverageSimple(data, period=10)': () => ind.SMA(data.close, { period: 10 }),
  'CrossOver(SMA(close,15), SMA(close,30))': () =>
    ind.CrossOver(ind.SMA(data.close, { period: 15 }), ind.SMA(data.close, { period: 30 })),
  'CrossOver(close, SMA(close,10))': () => ind.CrossOver(data.close, ind.SMA(data.close, { period: 10 })),
};

describe.each(['SMA', 'CrossOver'])('indicator parity: %s', (key) => {
  const spec = oracle.indicators[key];
  it.each(spec.runs.map((r: any) => [r.label, r]) as [string, any][])('%s run', (_label: string, run: any) => {
    const build = builders[run.input];
    expect(build, `no builder for ${run.input}`).toBeDefined();
    const indicator = build!(run.input);
    expect(indicator.indicatorName).toBe(spec.class);
    expect(indicator.minPeriod).toBe(run.minperiod);
    for (const lineName of spec.lines) {
      const line = indicator.lines[lineName]!;
      const expected: (number | null)[] = run.lines[lineName];
      expect(line.array.length).toBe(expected.length);
      expected.forEach((v, i) => expectNum(line.array[i]!, v, `${key} ${lineName}[${i}]`));
      const firstValid = expected.findIndex((v) => v !== null);
      expect(firstValid).toBe(run.first_valid_index[lineName]);
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
