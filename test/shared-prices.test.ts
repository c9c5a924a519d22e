/** The broker's copy of a data's prices, made once and shared by the runs of a sweep. */
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, feeds } from '../ts/index.js';
import { useSharedPrices } from '../ts/broker/shared-prices.js';
import { SweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';

const file = oraclePath('data', '2006-day-001.txt');
const daily = feeds.backtraderCsv(file);

function run(data: ReturnType<typeof feeds.backtraderCsv>, params: { fast: number; slow: number }) {
  const c = new Cerebro();
  c.addData(data);
  c.broker.setCash(100_000);
  c.addStrategy(SweepCross, params);
  const [r] = c.run();
  return { finalValue: r!.finalValue, trades: r!.trades.map((t) => [t.pnlcomm, t.barclose]) };
}

describe('shared broker prices', () => {
  afterEach(() => useSharedPrices(false));

  it('give every run the results of its own copy, for each data it runs on', () => {
    const first = feeds.backtraderCsv(file, { toDate: new Date('2006-06-30') });
    const second = feeds.backtraderCsv(file, { fromDate: new Date('2006-04-01') });
    const alone = [run(daily, { fast: 5, slow: 20 }), run(first, { fast: 5, slow: 20 }), run(second, { fast: 10, slow: 30 })];
    useSharedPrices(true);
    // Twice each, and interleaved: a data never gets another's prices.
    for (let k = 0; k < 2; k++) {
      expect(run(daily, { fast: 5, slow: 20 })).toEqual(alone[0]);
      expect(run(first, { fast: 5, slow: 20 })).toEqual(alone[1]);
      expect(run(second, { fast: 10, slow: 30 })).toEqual(alone[2]);
    }
  });
});
