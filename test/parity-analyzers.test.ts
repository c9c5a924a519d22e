/**
 * Parity with backtrader's analyzers: every analyzer attached to the oracle's SMA-cross
 * scenarios, with the scenario's own parameters, gives backtrader's analysis to 1e-9 relative.
 *
 * Keys: backtrader stamps daily bars at the session end (`2006-01-02T23:59:59.999989`);
 * ferrotrade's daily bars are at midnight, so analyzers keyed by bar time (GrossLeverage,
 * Transactions) give `2006-01-02T00:00:00`. Everything else has the same keys.
 */
import { describe, expect, it } from 'vitest';
import { Analyzer, Analyzers } from '../ts/index.js';
import { expectNum } from './support/oracle.js';
import { setupScenario } from './support/scenario-runner.js';

const SCENARIOS = [
  'sma_cross_market', 'sma_cross_market_f5s10', 'sma_cross_market_cash10k',
  'sma_cross_limit', 'sma_cross_limit_f5s10', 'sma_cross_stop', 'sma_cross_stop_f5s10',
  'sma_cross_bracket', 'sma_cross_bracket_f5s10',
];

const CLASSES: Record<string, keyof typeof Analyzers> = {
  sharpe_default: 'SharpeRatio', sharpe_daily_annualized: 'SharpeRatio', sharpe_A: 'SharpeRatio_A', drawdown: 'DrawDown',
  timedrawdown: 'TimeDrawDown', returns: 'Returns', tradeanalyzer: 'TradeAnalyzer', sqn: 'SQN', annualreturn: 'AnnualReturn',
  timereturn: 'TimeReturn', timereturn_monthly: 'TimeReturn', vwr: 'VWR', calmar: 'Calmar', periodstats: 'PeriodStats',
  grossleverage: 'GrossLeverage', positionsvalue: 'PositionsValue', transactions: 'Transactions',
  logreturnsrolling: 'LogReturnsRolling',
};

/** backtrader's session-end bar stamp becomes ferrotrade's midnight stamp. */
const normKey = (k: string) => k.replace(/T23:59:59\.999989$/, 'T00:00:00');

function compare(actual: unknown, expected: unknown, where: string): void {
  if (expected === null || typeof expected === 'number') {
    expect(typeof actual === 'number' || actual === null, `${where}: got ${String(actual)}`).toBe(true);
    if (expected === null && actual === null) return;
    expectNum(actual === null ? NaN : (actual as number), expected as number | null, where);
    return;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') {
    expect(actual, where).toBe(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where}: not an array`).toBe(true);
    expect((actual as unknown[]).length, `${where}: length`).toBe(expected.length);
    expected.forEach((e, k) => compare((actual as unknown[])[k], e, `${where}[${k}]`));
    return;
  }
  const exp = Object.fromEntries(Object.entries(expected as object).map(([k, v]) => [normKey(k), v]));
  const act = actual as Record<string, unknown>;
  expect(Object.keys(act).sort(), `${where}: keys`).toEqual(Object.keys(exp).sort());
  for (const [k, v] of Object.entries(exp)) compare(act[k], v, `${where}.${k}`);
}

describe.each(SCENARIOS)('analyzer parity: %s', (name) => {
  const { sc, cerebro } = setupScenario(name);
  for (const [aname, spec] of Object.entries<any>(sc.analyzers)) {
    cerebro.addAnalyzer(Analyzers[CLASSES[aname]!], spec.params, aname);
  }
  const [result] = cerebro.run();

  it.each(Object.keys(sc.analyzers))('%s', (aname) => {
    compare(result!.analyzer(Analyzer, aname).getAnalysis(), sc.analyzers[aname].analysis, aname);
  });
});
