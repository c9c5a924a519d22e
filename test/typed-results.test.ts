/**
 * What the typed results promise at run time too: `result.analyzer(cls, name)` checks the name
 * and the class, a trade carries its data, a sweep refuses a metric it does not have (instead of
 * leaving the rows in grid order), and its CSV carries the analyzer columns its JSON has.
 */
import { describe, expect, it } from 'vitest';
import { Analyzers, Cerebro, feeds, ParamError, Strategy, ind, type Indicator, type Order, type Trade } from '../ts/index.js';
import { SweepCross } from './support/sweep-strategy.js';

const sample = 'examples/data/sample-daily.csv';

class Cross extends Strategy<{ fast: number; slow: number }> {
  static override params = { fast: 10, slow: 30 };
  cross!: Indicator;
  pending: Order | null = null;
  notified: Trade[] = [];
  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  override notifyOrder(o: Order): void {
    if (!o.alive()) this.pending = null;
  }
  override notifyTrade(t: Trade): void {
    this.notified.push(t);
  }
  override next(): void {
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) this.pending = this.buy({ size: 10 });
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.pending = this.close();
  }
}

function cerebro() {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(sample), 'sample');
  c.broker.setCash(100_000);
  return c;
}

describe('typed results', () => {
  it('reads analyzers by class and name, and says which were added when asked for another', () => {
    const c = cerebro();
    c.addStrategy(Cross);
    c.addAnalyzer(Analyzers.SQN);
    c.addAnalyzer(Analyzers.DrawDown, {}, 'dd');
    const [r] = c.run();
    expect(r!.analyzer(Analyzers.SQN).getAnalysis().trades).toBe(r!.trades.length);
    expect(r!.analyzer(Analyzers.DrawDown, 'dd')).toBe((r!.analyzers as Record<string, unknown>).dd);
    expect(() => r!.analyzer(Analyzers.SharpeRatio)).toThrow(/no analyzer named 'sharperatio' was added \(added: sqn \(SQN\), dd \(DrawDown\)\)/);
    expect(() => r!.analyzer(Analyzers.SQN, 'dd')).toThrow(ParamError);
  });

  it('gives each trade its data, in notifications and results, and keeps it out of JSON', () => {
    const c = cerebro();
    c.addStrategy(Cross);
    const [r] = c.run();
    expect(r!.trades.length).toBeGreaterThan(3);
    for (const t of [...r!.trades, ...(r!.strategy as Cross).notified]) expect(t.data).toBe(r!.datas[t.dataIndex]);
    expect(r!.trades[0]!.data.name).toBe('sample');
    expect(JSON.parse(JSON.stringify(r!.trades[0])).data).toBeUndefined();
  });

  it('sorts sweep rows by known metrics and parameters only, and writes the analyzers to CSV', async () => {
    const c = cerebro();
    c.addAnalyzer(Analyzers.SQN);
    c.addAnalyzer(Analyzers.TradeAnalyzer);
    const res = await c.optStrategy(SweepCross, { fast: [5, 10, 15], slow: [30, 40] }, { maxCpus: 1 });
    expect(res.sortBy('fast').map((r) => r.params.fast)).toEqual([15, 15, 10, 10, 5, 5]);
    expect(res.best('closedTrades')!.closedTrades).toBe(Math.max(...res.rows.map((r) => r.closedTrades)));
    expect(() => res.sortBy('sharpe' as never)).toThrow(/unknown metric 'sharpe': sort by one of finalValue, .*, fast, slow/);
    expect(() => res.best('sqn' as never)).toThrow(ParamError);
    const [header, ...lines] = res.toCSV().trim().split('\n');
    const cols = header!.split(',');
    expect(cols).toContain('sqn.sqn');
    expect(cols).toContain('sqn.trades');
    expect(cols).toContain('tradeanalyzer.total.closed');
    const k = cols.indexOf('sqn.trades');
    lines.forEach((line, i) => expect(Number(line.split(',')[k])).toBe(res.rows[i]!.analyzers!.sqn!.trades));
  });
});
