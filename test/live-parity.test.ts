/**
 * Live equals backtest: the oracle's SMA-cross scenarios (market, limit, stop, bracket) replayed
 * through `runLive` with the paper broker, as fast as possible, place the same orders with the
 * same notification histories and fills, close the same trades, see the same per-bar values and
 * end with the same value as `cerebro.run()` on the same file, and as backtrader did.
 */
import { describe, expect, it } from 'vitest';
import { OrderStatus, paper, replaySource, type Order, type Trade } from '../ts/index.js';
import { expectNum } from './support/oracle.js';
import { setupScenario } from './support/scenario-runner.js';
import type { OracleSmaCross } from './support/sma-cross-oracle.js';

const SCENARIOS = ['sma_cross_market', 'sma_cross_market_f5s10', 'sma_cross_limit', 'sma_cross_stop', 'sma_cross_bracket', 'sma_cross_bracket_f5s10'];

const orderRow = (o: Order) => ({
  ref: o.ref, size: o.size, type: o.getOrdertypeName(), status: o.getStatusName(), created: o.created,
  history: o.history.map((h) => [OrderStatus[h.status], h.bar, h.fill?.price, h.fill?.size, h.fill?.comm]),
});
const tradeRow = (t: Trade) => [t.ref, t.size, t.price, t.pnl, t.pnlcomm, t.commission, t.baropen, t.barclose, t.dtopen, t.dtclose];

describe.each(SCENARIOS)('live = backtest: %s', (name) => {
  it('replayed as fast as possible through runLive with the paper broker', async () => {
    const backtest = setupScenario(name);
    const [bt] = backtest.cerebro.run();

    const liveSetup = setupScenario(name);
    const data = liveSetup.cerebro.datas[0]!;
    const [lv] = await liveSetup.cerebro.runLive({
      sources: [replaySource(data, { speed: 'max', chunk: 97 })], broker: paper(), logger: false, handleSignals: false,
      capacity: 64, // smaller than the file: the columns grow during the run
    });
    expect(lv!.reason).toBe('ended');
    expect(lv!.bars).toBe(data.size);
    expect(lv!.errors).toEqual([]);

    expect(lv!.orders.length).toBeGreaterThan(0);
    expect(lv!.orders.map(orderRow)).toEqual(bt!.orders.map(orderRow));
    expect(lv!.trades.map(tradeRow)).toEqual(bt!.trades.map(tradeRow));
    expect(lv!.openTrades.map(tradeRow)).toEqual(bt!.openTrades.map(tradeRow));
    expect(lv!.finalValue).toBe(bt!.finalValue);
    expect(lv!.finalCash).toBe(bt!.finalCash);

    // What the strategy saw bar by bar (indicators computed streaming) is what backtrader saw.
    const rec = (lv!.strategy as OracleSmaCross).rec;
    const pb = backtest.sc.per_bar;
    expect(rec.date).toEqual(pb.date);
    for (const key of ['cash', 'value', 'position_size', 'sma_fast', 'sma_slow', 'cross'] as const) {
      rec[key].forEach((v, i) => expectNum(v, pb[key][i], `${key}[${i}] ${pb.date[i]}`));
    }
    expectNum(lv!.finalValue, backtest.sc.final.value, 'final value');
  });
});
