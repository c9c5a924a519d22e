/** Observers recorded on the result, and the CSV / JSON writer. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Observers, toJSON, writeCsv } from '../ts/index.js';
import { expectNum } from './support/oracle.js';
import { setupScenario } from './support/scenario-runner.js';

const { sc, result } = (() => {
  const { sc, cerebro } = setupScenario('sma_cross_market_f5s10');
  cerebro.addObserver(Observers.TimeReturn);
  cerebro.addObserver(Observers.Benchmark, { timeframe: 'Months' });
  cerebro.addObserver(Observers.LogReturns);
  return { sc, result: cerebro.run()[0]! };
})();

describe('observers', () => {
  it('records the standard observers: broker, buysell, trades, drawdown', () => {
    expect(Object.keys(result.observers)).toEqual(['broker', 'buysell', 'trades', 'drawdown', 'timereturn', 'benchmark', 'logreturns']);
    const b = result.observers.broker!.lines;
    b.value!.forEach((v, i) => expectNum(v, sc.per_bar.value[i], `value[${i}]`));
    b.cash!.forEach((v, i) => expectNum(v, sc.per_bar.cash[i], `cash[${i}]`));

    const { buy, sell } = result.observers.buysell!.lines as { buy: Float64Array; sell: Float64Array };
    const fills = sc.orders.filter((o: any) => o.exec_bar !== undefined && o.final_status === 'Completed');
    expect(buy.filter((x) => !Number.isNaN(x)).length + sell.filter((x) => !Number.isNaN(x)).length).toBe(fills.length);
    for (const o of fills) expectNum((o.side === 'buy' ? buy : sell)[o.exec_bar]!, o.exec_price, `fill of order ${o.ref}`);

    const { pnlplus, pnlminus } = result.observers.trades!.lines as { pnlplus: Float64Array; pnlminus: Float64Array };
    for (const t of sc.trades) expectNum(t.pnlcomm >= 0 ? pnlplus[t.close_bar]! : pnlminus[t.close_bar]!, t.pnlcomm, `trade ${t.ref}`);

    const dd = result.observers.drawdown!.lines;
    expectNum(dd.maxdrawdown![254]!, sc.analyzers.drawdown.analysis.max.drawdown, 'max drawdown');
    expectNum(dd.drawdown![254]!, sc.analyzers.drawdown.analysis.drawdown, 'last drawdown');
  });

  it('records time returns, a benchmark and log returns per bar', () => {
    const tr = result.observers.timereturn!.lines.timereturn!;
    Object.values<number>(sc.analyzers.timereturn.analysis).forEach((r, i) => expectNum(tr[i]!, r, `timereturn[${i}]`));
    const bench = result.observers.benchmark!.lines;
    const warm = result.minPeriod - 1;
    expect(warm).toBe(10); // SMA(10) then CrossOver: next() starts on bar 10
    expect(Number.isNaN(bench.benchmark![warm - 1]!)).toBe(true);
    expect(bench.benchmark![warm]).toBe(0); // the first tracked bar starts at its own close
    const close = result.datas[0]!.columns.close;
    expectNum(bench.benchmark![warm + 1]!, close[warm + 1]! / close[warm]! - 1, 'benchmark in the same month');
    const lr = result.observers.logreturns!.lines.logret1!;
    expectNum(lr[0]!, Math.log(close[0]! / result.datas[0]!.columns.open[0]!), 'first log return from the open');
    expectNum(lr[100]!, Math.log(close[100]! / close[99]!), 'log return');
  });

  it('can be turned off (stdstats: false)', () => {
    const { cerebro } = setupScenario('sma_cross_market', { stdstats: false });
    expect(Object.keys(cerebro.run()[0]!.observers)).toEqual([]);
  });
});

describe('writer', () => {
  it('exports the run as JSON: data, indicators, observers, orders, trades, analyzers', () => {
    const j = toJSON(result);
    expect(j.datas[0]!.datetime[0]).toBe('2006-01-02T00:00:00');
    expect(j.datas[0]!.close.length).toBe(255);
    expect(j.indicators.map((i) => i.name)).toEqual([
      'MovingAverageSimple(period=5)', 'MovingAverageSimple(period=10)', 'CrossOver()',
    ]);
    expect(j.indicators[0]!.lines.sma![3]).toBeNull();
    expectNum(j.indicators[1]!.lines.sma![9]!, sc.per_bar.sma_slow[9], 'sma_slow[9]');
    expect(j.orders.length).toBe(sc.orders.length);
    expect(j.orders.map((o) => o.status)).toEqual(sc.orders.map((o: any) => o.final_status));
    expect(j.trades.filter((t) => t.status === 'closed').map((t) => t.pnlcomm)).toEqual(sc.trades.map((t: any) => t.pnlcomm));
    expect(Object.keys(j.observers.broker!)).toEqual(['cash', 'value']);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j); // plain JSON, no NaN
  });

  it('writes CSV files that match the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-csv-'));
    const files = writeCsv(result, dir);
    expect(files.map((f) => basename(f))).toEqual(['data-2006-day-001.csv', 'observers.csv', 'orders.csv', 'trades.csv', 'analyzers.json']);
    const data = readFileSync(files[0]!, 'utf8').trim().split('\n');
    expect(data[0]).toBe('datetime,open,high,low,close,volume,openinterest,MovingAverageSimple(period=5).sma,MovingAverageSimple(period=10).sma,CrossOver().crossover');
    expect(data.length).toBe(256);
    expect(data[1]!.split(',').slice(-3)).toEqual(['', '', '']);
    const obs = readFileSync(files[1]!, 'utf8').trim().split('\n');
    expect(obs[0]!.split(',').slice(0, 3)).toEqual(['datetime', 'broker.cash', 'broker.value']);
    expectNum(Number(obs[255]!.split(',')[2]), sc.final.value, 'last value');
    const orders = readFileSync(files[2]!, 'utf8').trim().split('\n');
    expect(orders.length).toBe(sc.orders.length + 1);
    const trades = readFileSync(files[3]!, 'utf8').trim().split('\n');
    expect(trades.length).toBe(sc.trades.length + sc.open_trades_at_end.length + 1);
  });
});
