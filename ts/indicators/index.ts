import {
  createIndicator,
  type IndicatorOf,
  type IndicatorParams,
  type LineSource,
  type ParamValue,
  Indicator,
} from './indicator.js';
import { averages } from './averages.js';

/** Parameters of the moving averages. */
export interface PeriodParams extends IndicatorParams {
  /** Bars in the window. */
  period: number;
}

/** Simple moving average: mean of the last `period` values (backtrader `MovingAverageSimple`). */
function SMA(source: LineSource, params?: Partial<PeriodParams>): Indicator {
  return createIndicator('MovingAverageSimple', [source], params as IndicatorParams);
}

/** +1 where `a` crosses above `b`, -1 where it crosses below, else 0 (backtrader `CrossOver`). */
function CrossOver(a: LineSource, b: LineSource): Indicator {
  return createIndicator('CrossOver', [a, b]);
}

/**
 * Indicators for use in a strategy's `init()`, by backtrader's names and aliases:
 * `ind.SMA(this.data.close, { period: 15 })`, `ind.CrossOver(fast, slow)`.
 * Any registered indicator is reachable through `ind.create(name, sources, params)`.
 */
export const ind = {
  SMA,
  SimpleMovingAverage: SMA,
  MovingAverageSimple: SMA,
  ...averages,
  CrossOver,
  create: createIndicator,
};

export { Indicator, createIndicator };
export type { IndicatorOf, IndicatorParams, LineSource, ParamValue };
export type * from './averages.js';
