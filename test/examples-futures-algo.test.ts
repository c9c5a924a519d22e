/** The futures and simple-API examples run as part of the suite, on the shipped sample data. */
import { describe, expect, it } from 'vitest';
import { runFuturesExample } from '../examples/futures-roll.js';
import { runSimpleAlgo, runSimpleAlgoPaper } from '../examples/simple-algo.js';

describe('examples/futures-roll', () => {
  it('rolls the sample chain by volume and moves open positions to the new contract', () => {
    const { fdx, result, strategy } = runFuturesExample();
    expect(fdx.continuous.rolls.map((r) => [r.from, r.to, new Date(r.time).toISOString().slice(0, 10)])).toEqual([
      ['FDXH24', 'FDXM24', '2024-03-08'], ['FDXM24', 'FDXU24', '2024-06-14'], ['FDXU24', 'FDXZ24', '2024-09-13'],
    ]);
    expect(strategy.rolls).toHaveLength(3);
    // The adjusted series has no jump at the rolls: the sample's carry (25) is taken out.
    for (const r of fdx.continuous.rolls) expect(r.gap).toBe(25);
    const rollOrders = result.orders.filter((o) => o.info.roll !== undefined);
    for (const o of rollOrders) expect(o.getStatusName()).toBe('Completed');
    // The position was held through every roll: each was closed on the old contract and opened
    // on the new one (data 1..4 are the contracts by expiry).
    expect(rollOrders.map((o) => [o.info.roll, o.dataIndex])).toEqual([['close', 1], ['open', 2], ['close', 2], ['open', 3], ['close', 3], ['open', 4]]);
    // Every order is on a contract (never on the continuous series) and on the tick grid.
    for (const o of result.orders) {
      expect(o.dataIndex).toBeGreaterThan(0);
      expect(o.executed.price % 0.5).toBe(0);
    }
    expect(result.trades.length).toBeGreaterThan(2);
  });
});

describe('examples/simple-algo', () => {
  it('trades the sample with brackets and time exits, one fill per entry and exit', () => {
    const { result, algo } = runSimpleAlgo();
    expect(result.trades.length).toBeGreaterThan(3);
    const buys = algo.fills.filter((f) => f.includes('BUY'));
    const sells = algo.fills.filter((f) => f.includes('SELL'));
    expect(buys.length).toBe(result.trades.length + result.openTrades.length);
    expect(sells.length).toBe(result.trades.length);
    // Fills alternate: never two entries without an exit in between.
    algo.fills.forEach((f, k) => expect(f.includes(k % 2 === 0 ? 'BUY' : 'SELL')).toBe(true));
  });
});

describe('examples/simple-algo in paper mode', () => {
  it('fills the same orders when the sample is replayed live through the paper broker', async () => {
    const backtest = runSimpleAlgo();
    const live = await runSimpleAlgoPaper();
    expect(live.result.errors).toEqual([]);
    expect(live.algo.fills).toEqual(backtest.algo.fills);
    expect(live.result.finalValue).toBe(backtest.result.finalValue);
  });
});
