/**
 * Analyzers through the public API: parameter checks before the run, the analyzers backtrader
 * lacks (checked against their definitions), PyFolio's columns, period keys, and `analyze()`.
 */
import { describe, expect, it } from 'vitest';
import {
  Analyzers, analyze, Cerebro, feeds, ParamError, Strategy, type RunResult,
} from '../ts/index.js';
import { expectNum } from './support/oracle.js';
import { runScenario, setupScenario } from './support/scenario-runner.js';

class Idle extends Strategy {}

function idleRun(configure: (c: Cerebro) => void = () => {}): RunResult {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.fromColumns({
    datetime: Float64Array.from({ length: 40 }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000),
    open: new Float64Array(40).fill(10), high: new Float64Array(40).fill(15), low: new Float64Array(40).fill(9),
    close: Float64Array.from({ length: 40 }, (_, i) => 10 + i / 10),
  }), 'flat');
  cerebro.addStrategy(Idle);
  configure(cerebro);
  return cerebro.run()[0]!;
}

describe('analyzer parameters', () => {
  const cerebro = new Cerebro();
  it('rejects unknown names, bad time frames, bad periods and non-analyzers when added', () => {
    expect(() => cerebro.addAnalyzer(Analyzers.SharpeRatio, { riskfree: 0.02 })).toThrow(/has no parameter 'riskfree'.*riskfreerate/);
    expect(() => cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Day' })).toThrow(ParamError);
    expect(() => cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Day' })).toThrow(/timeframe must be one of Ticks, .*Days/);
    expect(() => cerebro.addAnalyzer(Analyzers.Calmar, { period: -3 })).toThrow(/period must be a whole number >= 1/);
    expect(() => cerebro.addAnalyzer(Analyzers.TimeReturn, { compression: 0 })).toThrow(/compression/);
    expect(() => cerebro.addAnalyzer(Analyzers.VWR, { sdev_max: 0 })).toThrow(/sdev_max must be a number > 0/);
    expect(() => cerebro.addAnalyzer(Analyzers.Returns, { fund: 'yes' })).toThrow(/fund must be true, false or null/);
    expect(() => cerebro.addAnalyzer(Analyzers.SharpeRatio, { annualize: 1 })).toThrow(/must be a boolean/);
    expect(() => cerebro.addAnalyzer(Idle as any)).toThrow(/addAnalyzer takes a class from Analyzers/);
  });

  it('names analyzers as backtrader does and refuses a name twice', () => {
    const c = new Cerebro();
    c.addAnalyzer(Analyzers.SharpeRatio_A);
    expect(() => c.addAnalyzer(Analyzers.SharpeRatio_A)).toThrow(/already added/);
    c.addAnalyzer(Analyzers.SharpeRatio_A, {}, 'sharpe2');
    c.addAnalyzer(Analyzers.SQN);
    c.addData(feeds.fromColumns({ datetime: new Float64Array([0, 86_400_000]), open: new Float64Array([1, 1]), high: new Float64Array([1, 1]), low: new Float64Array([1, 1]), close: new Float64Array([1, 1]) }));
    c.addStrategy(Idle);
    const [r] = c.run();
    expect(Object.keys(r!.analyzers)).toEqual(['sharperatio_a', 'sharpe2', 'sqn']);
    expect(r!.analyzers.sqn!.getAnalysis()).toEqual({ sqn: 0, trades: 0 });
  });

  it('checks data names before the run starts', () => {
    let started = false;
    class Watch extends Strategy {
      override start() {
        started = true;
      }
    }
    const c = new Cerebro();
    c.addData(feeds.fromColumns({ datetime: new Float64Array([0]), open: new Float64Array([1]), high: new Float64Array([1]), low: new Float64Array([1]), close: new Float64Array([1]) }), 'a');
    c.addStrategy(Watch);
    c.addAnalyzer(Analyzers.AlphaBeta, { data: 'SPY' });
    expect(() => c.run()).toThrow(/data 'SPY' is not part of this run; data names: a/);
    expect(started).toBe(false);
  });
});

describe('analyzers beyond backtrader', () => {
  const { sc, result } = (() => {
    const { sc, cerebro } = setupScenario('sma_cross_market_f5s10');
    cerebro.addAnalyzer(Analyzers.TimeReturn, { timeframe: 'Days' }, 'daily');
    cerebro.addAnalyzer(Analyzers.TimeReturn, { timeframe: 'Days', data: '2006-day-001', firstopen: false }, 'bench');
    for (const a of [Analyzers.SortinoRatio, Analyzers.ProfitFactor, Analyzers.Exposure, Analyzers.CAGR, Analyzers.AlphaBeta]) cerebro.addAnalyzer(a);
    return { sc, result: cerebro.run()[0]! };
  })();
  const daily = Object.values(result.analyzer(Analyzers.TimeReturn, 'daily').getAnalysis() as Record<string, number>);
  const bench = Object.values(result.analyzer(Analyzers.TimeReturn, 'bench').getAnalysis() as Record<string, number>);

  it('Sortino: mean excess return over the downside deviation, annualized', () => {
    const rate = Math.pow(1.01, 1 / 252) - 1;
    const ex = daily.map((r) => r - rate);
    const mean = ex.reduce((a, b) => a + b, 0) / ex.length;
    const dd = Math.sqrt(ex.reduce((a, r) => a + Math.min(0, r) ** 2, 0) / ex.length);
    expectNum(result.analyzers.sortinoratio!.getAnalysis().sortinoratio as number, (mean / dd) * Math.sqrt(252), 'sortino');
  });

  it('profit factor and exposure from the trades and positions', () => {
    const net = sc.trades.map((t: any) => t.pnlcomm as number);
    const gp = net.filter((x: number) => x > 0).reduce((a: number, b: number) => a + b, 0);
    const gl = -net.filter((x: number) => x <= 0).reduce((a: number, b: number) => a + b, 0);
    expectNum(result.analyzers.profitfactor!.getAnalysis().profitfactor as number, gp / gl, 'profit factor');
    const exposed = sc.per_bar.position_size.filter((s: number) => s !== 0).length;
    expect(result.analyzers.exposure!.getAnalysis()).toMatchObject({ bars: 255, exposed, exposure: exposed / 255 });
  });

  it('CAGR over the calendar span', () => {
    const years = (Date.UTC(2006, 11, 29) - Date.UTC(2006, 0, 2)) / 86_400_000 / 365.25;
    expectNum(result.analyzers.cagr!.getAnalysis().cagr, Math.pow(sc.final.value / 100_000, 1 / years) - 1, 'cagr');
  });

  it('alpha and beta: the regression of daily returns on the benchmark data', () => {
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    const ms = mean(daily);
    const mb = mean(bench);
    let cov = 0;
    let vb = 0;
    daily.forEach((r, k) => {
      cov += (r - ms) * (bench[k]! - mb);
      vb += (bench[k]! - mb) ** 2;
    });
    const ab = result.analyzers.alphabeta!.getAnalysis();
    expectNum(ab.beta, cov / vb, 'beta');
    expect(Math.abs(ab.alpha - (ms - (cov / vb) * mb))).toBeLessThan(1e-12);
    expect(ab.periods).toBe(255);
  });
});

describe('PyFolio, periods and analyze()', () => {
  const { sc, result } = runScenario('sma_cross_market');

  it('gives returns, positions with cash, transactions and leverage as columns', () => {
    const pf = analyze(result, Analyzers.PyFolio);
    const items = pf.getPfItems();
    expect(items.returns.index.length).toBe(255);
    expect(Object.keys(items.positions.columns)).toEqual(['2006-day-001', 'cash']);
    items.positions.columns.cash!.forEach((c, i) => expectNum(c, sc.per_bar.cash[i], `cash[${i}]`));
    const tx = sc.analyzers.transactions.analysis;
    expect(items.transactions.amount).toEqual(Object.values<any>(tx).map((rows) => rows[0][0]));
    expect(items.transactions.symbol.every((s) => s === '2006-day-001')).toBe(true);
    expect(items.grossLev.gross_lev.length).toBe(255);
    expect(pf.getAnalysis().transactions.date).toEqual([['amount', 'price', 'sid', 'symbol', 'value']]);
  });

  it('keys weekly and yearly periods as backtrader does', () => {
    const weekly = analyze(result, Analyzers.TimeReturn, { timeframe: 'Weeks' }).getAnalysis();
    expect(Object.keys(weekly)[0]).toBe('2006-01-08T00:00:00'); // the Sunday ending ISO week 1
    expect(Object.keys(weekly).length).toBe(52);
    const yearly = analyze(result, Analyzers.TimeReturn, { timeframe: 'Years' }).getAnalysis();
    expect(Object.keys(yearly)).toEqual(['2006-12-31']);
    expectNum(yearly['2006-12-31']!, sc.final.value / 100_000 - 1, 'yearly return');
    const whole = analyze(result, Analyzers.Returns, { timeframe: 'NoTimeFrame' }).getAnalysis();
    expectNum(whole.rtot, Math.log(sc.final.value / 100_000), 'rtot');
  });

  it('keys intraday periods by the end of each compressed slot', () => {
    const t0 = Date.UTC(2024, 0, 2, 9, 30);
    const r = idleRun((c) => c.addAnalyzer(Analyzers.TimeReturn, { timeframe: 'Minutes', compression: 15 }));
    expect(Object.keys(r.analyzers.timereturn!.getAnalysis())[0]).toBe('2024-01-01T00:14:00');
    const intraday = analyze(
      { ...r, context: { ...r.context, dt: Float64Array.from({ length: 40 }, (_, i) => t0 + i * 60_000) } },
      Analyzers.TimeReturn,
      { timeframe: 'Minutes', compression: 15 },
    ).getAnalysis();
    expect(Object.keys(intraday)).toEqual(['2024-01-02T09:44:00', '2024-01-02T09:59:00', '2024-01-02T10:14:00']);
  });
});
