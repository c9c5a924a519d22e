import { AnnualReturn, LogReturnsRolling, PeriodStats, Returns, TimeReturn } from './returns.js';
import { SharpeRatio, SharpeRatio_A, SortinoRatio } from './sharpe.js';
import { Calmar, DrawDown, TimeDrawDown } from './drawdown.js';
import { ProfitFactor, SQN, TradeAnalyzer } from './trades.js';
import { Exposure, GrossLeverage, PositionsValue, PyFolio, Transactions } from './positions.js';
import { AlphaBeta, CAGR, VWR } from './performance.js';

/**
 * Analyzers for `cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Days' })`, by
 * backtrader's names (and aliases). Each computes from what the run recorded; read the results
 * with `result.analyzers[name].getAnalysis()`.
 */
export const Analyzers = {
  AnnualReturn,
  Calmar,
  DrawDown,
  TimeDrawDown,
  GrossLeverage,
  LogReturnsRolling,
  PeriodStats,
  PositionsValue,
  PyFolio,
  Returns,
  SQN,
  SystemQualityNumber: SQN,
  SharpeRatio,
  SharpeRatio_A,
  TimeReturn,
  TradeAnalyzer,
  Transactions,
  VWR,
  VariabilityWeightedReturn: VWR,
  SortinoRatio,
  ProfitFactor,
  Exposure,
  CAGR,
  AlphaBeta,
};

export { Analyzer, dataValue } from './analyzer.js';
export type { AnalyzerContext, PositionSeries, DataValuation } from './analyzer.js';
export { fsum, average, standarddev } from './mathsupport.js';
export { TIMEFRAMES } from './timeframe.js';
export type { TimeFrame } from './timeframe.js';
export type { DrawDownAnalysis } from './drawdown.js';
export type { PyFolioItems, TransactionRow } from './positions.js';
export {
  AnnualReturn, Calmar, DrawDown, TimeDrawDown, GrossLeverage, LogReturnsRolling, PeriodStats, PositionsValue, PyFolio,
  Returns, SQN, SharpeRatio, SharpeRatio_A, TimeReturn, TradeAnalyzer, Transactions, VWR, SortinoRatio, ProfitFactor,
  Exposure, CAGR, AlphaBeta,
};
