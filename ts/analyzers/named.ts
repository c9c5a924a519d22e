/**
 * The analyzers of a result by name, typed: `result.analyzers.sharperatio` is a
 * {@link SharpeRatio} whose `getAnalysis()` is `{ sharperatio: number | null }`, and a name that
 * no analyzer has by default (`result.analyzers.sharpe`) does not compile. An analyzer added
 * under a name of your own is read with `result.analyzer(Analyzers.X, 'name')`.
 */
import type { AnnualReturn, LogReturnsRolling, PeriodStats, Returns, TimeReturn } from './returns.js';
import type { SharpeRatio, SharpeRatio_A, SortinoRatio } from './sharpe.js';
import type { Calmar, DrawDown, TimeDrawDown } from './drawdown.js';
import type { ProfitFactor, SQN, TradeAnalyzer } from './trades.js';
import type { Exposure, GrossLeverage, PositionsValue, PyFolio, Transactions } from './positions.js';
import type { AlphaBeta, CAGR, VWR } from './performance.js';

/** Each analyzer under its default name (backtrader's: the class name in lower case). Present when added. */
export interface AnalyzerResults {
  annualreturn?: AnnualReturn;
  calmar?: Calmar;
  drawdown?: DrawDown;
  timedrawdown?: TimeDrawDown;
  grossleverage?: GrossLeverage;
  logreturnsrolling?: LogReturnsRolling;
  periodstats?: PeriodStats;
  positionsvalue?: PositionsValue;
  pyfolio?: PyFolio;
  returns?: Returns;
  sqn?: SQN;
  sharperatio?: SharpeRatio;
  sharperatio_a?: SharpeRatio_A;
  timereturn?: TimeReturn;
  tradeanalyzer?: TradeAnalyzer;
  transactions?: Transactions;
  vwr?: VWR;
  sortinoratio?: SortinoRatio;
  profitfactor?: ProfitFactor;
  exposure?: Exposure;
  cagr?: CAGR;
  alphabeta?: AlphaBeta;
}

/** The default name of an analyzer. */
export type AnalyzerName = keyof AnalyzerResults;

/** What `getAnalysis()` returns for the analyzer of default name `N`. */
export type AnalysisOf<N extends AnalyzerName> = ReturnType<NonNullable<AnalyzerResults[N]>['getAnalysis']>;

/** A sweep row's analyzer results, by default name (as `result.analyzers`, the analyses themselves). */
export type SweepAnalyses = { [N in AnalyzerName]?: AnalysisOf<N> };
