/** Range-position oscillators and detrending (backtrader names and aliases). */
import { define, type IndicatorParams, type MovAvName } from './indicator.js';

/** Parameters of `Stochastic`. */
export interface StochasticParams extends IndicatorParams {
  /** Bars for the highest high and lowest low (default 14). */
  period: number;
  /** Period of the %D average (default 3). */
  period_dfast: number;
  /** Moving average for %D (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 80). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 20). */
  lowerband: number;
  /** Give safezero instead of dividing by a zero range (default false). */
  safediv: boolean;
  /** K / 100 when the range is zero (with safediv) (default 0). */
  safezero: number;
  /** Period of the slow %D average (default 3). */
  period_dslow: number;
}

/** Slow stochastic: `percK` = smoothed %K, `percD` its average. Takes a data feed. Lines: `percK`, `percD` (backtrader `Stochastic`). */
export const Stochastic = define<StochasticParams, 'percK' | 'percD'>('Stochastic');

/** Parameters of `StochasticFast`. */
export interface StochasticFastParams extends IndicatorParams {
  /** Bars for the highest high and lowest low (default 14). */
  period: number;
  /** Period of the %D average (default 3). */
  period_dfast: number;
  /** Moving average for %D (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 80). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 20). */
  lowerband: number;
  /** Give safezero instead of dividing by a zero range (default false). */
  safediv: boolean;
  /** K / 100 when the range is zero (with safediv) (default 0). */
  safezero: number;
}

/** Fast stochastic: raw %K and its average %D. Takes a data feed. Lines: `percK`, `percD` (backtrader `StochasticFast`). */
export const StochasticFast = define<StochasticFastParams, 'percK' | 'percD'>('StochasticFast');

/** Parameters of `StochasticFull`. */
export interface StochasticFullParams extends IndicatorParams {
  /** Bars for the highest high and lowest low (default 14). */
  period: number;
  /** Period of the %D average (default 3). */
  period_dfast: number;
  /** Moving average for %D (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 80). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 20). */
  lowerband: number;
  /** Give safezero instead of dividing by a zero range (default false). */
  safediv: boolean;
  /** K / 100 when the range is zero (with safediv) (default 0). */
  safezero: number;
  /** Period of the slow %D average (default 3). */
  period_dslow: number;
}

/** Full stochastic: %K, %D and the slow %D. Takes a data feed. Lines: `percK`, `percD`, `percDSlow` (backtrader `StochasticFull`). */
export const StochasticFull = define<StochasticFullParams, 'percK' | 'percD' | 'percDSlow'>('StochasticFull');

/** Parameters of `WilliamsR`. */
export interface WilliamsRParams extends IndicatorParams {
  /** Bars for the highest high and lowest low (default 14). */
  period: number;
  /** Overbought level (for plotting and signals) (default -20). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default -80). */
  lowerband: number;
}

/** Williams %R: `-100 * (highest - close) / (highest - lowest)`. Takes a data feed. Lines: `percR` (backtrader `WilliamsR`). */
export const WilliamsR = define<WilliamsRParams, 'percR'>('WilliamsR');

/** Parameters of `CommodityChannelIndex`. */
export interface CCIParams extends IndicatorParams {
  /** Bars in the averages (default 20). */
  period: number;
  /** Scale of the mean deviation (default 0.015). */
  factor: number;
  /** Moving average of the typical price and its deviation (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 100). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default -100). */
  lowerband: number;
}

/** CCI: `(tp - movav(tp)) / (factor * meandev(tp))`, tp = (h + l + c) / 3. Takes a data feed. Lines: `cci` (backtrader `CommodityChannelIndex`). */
export const CCI = define<CCIParams, 'cci'>('CommodityChannelIndex');

/** Parameters of `DetrendedPriceOscillator`. */
export interface DPOParams extends IndicatorParams {
  /** Period of the average (default 20). */
  period: number;
  /** Moving average to detrend with (default 'MovingAverageSimple'). */
  movav: MovAvName;
}

/** Detrended price oscillator: `x - movav(x)` shifted back `period / 2 - 1` bars. Lines: `dpo` (backtrader `DetrendedPriceOscillator`). */
export const DPO = define<DPOParams, 'dpo'>('DetrendedPriceOscillator');

/** Every indicator of this file by backtrader name and alias. */
export const ranges = {
  Stochastic,
  StochasticSlow: Stochastic,
  StochasticFast,
  StochasticFull,
  WilliamsR,
  CCI,
  CommodityChannelIndex: CCI,
  DPO,
  DetrendedPriceOscillator: DPO,
};
