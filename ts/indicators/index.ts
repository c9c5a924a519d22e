import {
  createIndicator,
  type IndicatorOf,
  type IndicatorParams,
  type LineSource,
  type ParamValue,
  Indicator,
} from './indicator.js';
import { averages } from './averages.js';
import { basic } from './basic.js';
import { oscillators } from './oscillators.js';
import { ranges } from './ranges.js';
import { trend } from './trend.js';
import { volatility } from './volatility.js';
import { advanced } from './advanced.js';
import { volume } from './volume.js';
import { functional } from './functional.js';
import { composition } from './compose.js';
import { ParamError } from '../errors.js';

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

/** 1 on the bar where `a` crosses above `b`, else 0 (backtrader `CrossUp`). Line `cross`. */
function CrossUp(a: LineSource, b: LineSource): IndicatorOf<'cross'> {
  return createIndicator('CrossUp', [a, b]) as IndicatorOf<'cross'>;
}

/** 1 on the bar where `a` crosses below `b`, else 0 (backtrader `CrossDown`). Line `cross`. */
function CrossDown(a: LineSource, b: LineSource): IndicatorOf<'cross'> {
  return createIndicator('CrossDown', [a, b]) as IndicatorOf<'cross'>;
}

/** The last non-zero `a - b` (backtrader `NonZeroDifference`). Line `nzd`. */
function NonZeroDifference(a: LineSource, b: LineSource): IndicatorOf<'nzd'> {
  return createIndicator('NonZeroDifference', [a, b]) as IndicatorOf<'nzd'>;
}

/**
 * `a - b` (backtrader `Oscillator`, line `osc`). With one argument, an indicator, it is the
 * indicator's input minus the indicator (`Oscillator(SMA(close))` = close - SMA).
 */
function Oscillator(a: LineSource, b?: LineSource): IndicatorOf<'osc'> {
  if (b === undefined) {
    if (!(a instanceof Indicator) || a.inputs.length === 0) {
      throw new ParamError('Oscillator with one argument takes an indicator (its input minus it); or pass two lines');
    }
    return createIndicator('Oscillator', [a.inputs[0]!, a]) as IndicatorOf<'osc'>;
  }
  return createIndicator('Oscillator', [a, b]) as IndicatorOf<'osc'>;
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
  ...volatility,
  ...oscillators,
  ...ranges,
  ...trend,
  ...basic,
  ...advanced,
  ...volume,
  ...functional,
  ...composition,
  CrossOver,
  CrossUp,
  CrossDown,
  NonZeroDifference,
  NZD: NonZeroDifference,
  Oscillator,
  create: createIndicator,
};

export { Indicator, createIndicator };
export type { IndicatorOf, IndicatorParams, LineSource, ParamValue };
export type * from './averages.js';
export type * from './volatility.js';
export type * from './oscillators.js';
export type * from './ranges.js';
export type * from './trend.js';
export type * from './basic.js';
export type * from './advanced.js';
export type * from './volume.js';
export type { Operand } from './compose.js';
export type { ApplyNParams, ReduceNParams, FindIndexParams, WindowFn } from './functional.js';
export type { MovAvName } from './indicator.js';
