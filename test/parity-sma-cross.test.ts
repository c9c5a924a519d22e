/**
 * Parity with backtrader: the SMA-cross market scenarios must match backtrader's own run on every
 * order (status history, fills), every trade, every bar's cash/value/position and the final
 * value, to 1e-9 relative.
 */
import { describe, expect, it } from 'vitest';
import { OrderStatus } from '../ts/index.js';
import { expectNum } from './support/oracle.js';
import { runScenario } from './support/scenario-runner.js';
import type { OracleSmaCross } from './support/sma-cross-oracle.js';

const SCENARIOS = [
  'sma_cross_market',
  'sma_cross_market_f5s10',
  'sma_cross_market_cash10k',
  'sma_cross_limit',
  'sma_cross_limit_f5s10',
  'sma_cross_stop',
  'sma_cross_stop_f5s10',
  'sma_cross_bracket',
  'sma_cross_bracket_f5s10',
];

describe.each(SCENARIOS)('parity: %s', (name) => {
  const { sc, result } = runScenario(name);
  const strat = result.strategy as OracleSmaCross;

  it('sees the same per-bar cash, value, position and indicators', () => {
    const pb = sc.per_bar;
    expect(strat.rec.date).toEqual(pb.date);
    for (const key of ['cash', 'value', 'position_size', 'position_price', 'sma_fast', 'sma_slow', 'cross'] as const) {
      expect(strat.rec[key].length).toBe(pb[key].length);
      strat.rec[key].forEach((v, i) => expectNum(v, pb[key][i], `${key}[${i}] ${pb.date[i]}`));
    }
    // The run's own per-bar series agree with what the strategy read.
    result.value.forEach((v, i) => expectNum(v, pb.value[i], `result.value[${i}]`));
    result.cash.forEach((v, i) => expectNum(v, pb.cash[i], `result.cash[${i}]`));
  });

  it('places the same orders with the same notification history and fills', () => {
    expect(result.orders.length).toBe(sc.orders.length);
    sc.orders.forEach((exp: any, k: number) => {
      const o = result.orders[k]!;
      const at = `order ${exp.ref}`;
      expect(o.ref, at).toBe(exp.ref);
      expect(o.isBuy() ? 'buy' : 'sell', at).toBe(exp.side);
      expect(o.getOrdertypeName(), at).toBe(exp.exectype);
      expect(o.size, at).toBe(exp.size);
      expect(o.created.bar, at).toBe(exp.created_bar);
      expectNum(o.created.price, exp.reference_price_created, `${at} created price`);
      expect(o.getStatusName(), at).toBe(exp.final_status);
      expect(o.history.map((h) => [OrderStatus[h.status], h.bar]), at).toEqual(
        exp.history.map((h: any) => [h.status, h.bar]),
      );
      exp.history.forEach((h: any, j: number) => {
        if (h.exec_price === undefined) return;
        const fill = o.history[j]!.fill!;
        expect(fill, `${at} history[${j}] fill`).toBeDefined();
        expectNum(fill.price, h.exec_price, `${at} fill price`);
        expectNum(fill.size, h.exec_size, `${at} fill size`);
        expectNum(fill.value, h.exec_value, `${at} fill value`);
        expectNum(fill.comm, h.exec_comm, `${at} fill comm`);
        expectNum(fill.pnl, h.exec_pnl, `${at} fill pnl`);
        expect(fill.bar, `${at} fill bar`).toBe(h.exec_bar);
      });
      if (exp.exec_price !== undefined) {
        expectNum(o.executed.price, exp.exec_price, `${at} executed.price`);
        expectNum(o.executed.size, exp.exec_size, `${at} executed.size`);
        expectNum(o.executed.value, exp.exec_value, `${at} executed.value`);
        expectNum(o.executed.comm, exp.exec_comm, `${at} executed.comm`);
        expectNum(o.executed.pnl, exp.exec_pnl, `${at} executed.pnl`);
        expect(o.executed.bar, at).toBe(exp.exec_bar);
      }
    });
  });

  it('closes the same trades and leaves the same ones open', () => {
    const check = (t: (typeof result.trades)[number], exp: any) => {
      const at = `trade ${exp.ref}`;
      expect(t.ref, at).toBe(exp.ref);
      expect(t.long, at).toBe(exp.long);
      expect(t.isClosed, at).toBe(exp.isclosed);
      expectNum(t.size, exp.size, `${at} size`);
      expectNum(t.price, exp.price, `${at} price`);
      expectNum(t.value, exp.value, `${at} value`);
      expectNum(t.pnl, exp.pnl, `${at} pnl`);
      expectNum(t.pnlcomm, exp.pnlcomm, `${at} pnlcomm`);
      expectNum(t.commission, exp.commission, `${at} commission`);
      expect([t.baropen, t.barclose, t.barlen], at).toEqual([exp.baropen, exp.barclose, exp.barlen]);
      expect(t.openBar, at).toBe(exp.open_bar);
      expect(new Date(t.dtopen).toISOString().slice(0, 10), at).toBe(exp.dtopen.slice(0, 10));
      if (exp.close_bar !== null) expect(t.closeBar, at).toBe(exp.close_bar);
    };
    expect(result.trades.length).toBe(sc.trades.length);
    sc.trades.forEach((exp: any, k: number) => check(result.trades[k]!, exp));
    expect(result.openTrades.length).toBe(sc.open_trades_at_end.length);
    sc.open_trades_at_end.forEach((exp: any, k: number) => check(result.openTrades[k]!, exp));
  });

  it('ends with the same value, cash and position', () => {
    const f = sc.final;
    expectNum(result.finalValue, f.value, 'final value');
    expectNum(result.finalCash, f.cash, 'final cash');
    expect(strat.position.size).toBe(f.position_size);
    expectNum(strat.position.price, f.position_price, 'final position price');
    expect(result.orders.length).toBe(f.n_orders);
    expect(result.trades.length).toBe(f.n_closed_trades);
  });
});
