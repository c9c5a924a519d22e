/** Dispersion and range indicators (backtrader names and aliases). */
import { define, type IndicatorParams, type MovAvName } from './indicator.js';

/** Parameters of `StandardDeviation`. */
export interface StdDevParams extends IndicatorParams {
  /** Bars in the window (default 20). */
  period: number;
  /** Moving average for the mean (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Take |meansq - sqmean| so rounding never gives a negative variance (default true). */
  safepow: boolean;
}

/** Standard deviation over `period` bars: `sqrt(|movav(x²) - movav(x)²|)`. Lines: `stddev` (backtrader `StandardDeviation`). */
export const StdDev = define<StdDevParams, 'stddev'>('StandardDeviation');

/** Parameters of `MeanDeviation`. */
export interface MeanDevParams extends IndicatorParams {
  /** Bars in the window (default 20). */
  period: number;
  /** Moving average for the mean (default 'MovingAverageSimple'). */
  movav: MovAvName;
}

/** Mean absolute deviation from the moving average: `movav(|x - movav(x)|)`. Lines: `meandev` (backtrader `MeanDeviation`). */
export const MeanDev = define<MeanDevParams, 'meandev'>('MeanDeviation');

/** Parameters of `BollingerBands`. */
export interface BBandsParams extends IndicatorParams {
  /** Bars in the window (default 20). */
  period: number;
  /** Band width in standard deviations (default 2). */
  devfactor: number;
  /** Moving average for the mean (default 'MovingAverageSimple'). */
  movav: MovAvName;
}

/** Bollinger bands: `mid = movav(x)`, `top`/`bot` = mid ± devfactor × stddev. Lines: `mid`, `top`, `bot` (backtrader `BollingerBands`). */
export const BBands = define<BBandsParams, 'mid' | 'top' | 'bot'>('BollingerBands');

/** Parameters of `BollingerBandsPct`. */
export interface BollingerBandsPctParams extends IndicatorParams {
  /** Bars in the window (default 20). */
  period: number;
  /** Band width in standard deviations (default 2). */
  devfactor: number;
  /** Moving average for the mean (default 'MovingAverageSimple'). */
  movav: MovAvName;
}

/** Bollinger bands plus `pctb = (x - bot) / (top - bot)`. Lines: `mid`, `top`, `bot`, `pctb` (backtrader `BollingerBandsPct`). */
export const BollingerBandsPct = define<BollingerBandsPctParams, 'mid' | 'top' | 'bot' | 'pctb'>('BollingerBandsPct');

/** `max(high, close(-1))`. Takes a data feed or (high, close). Lines: `truehigh` (backtrader `TrueHigh`). */
export const TrueHigh = define<IndicatorParams, 'truehigh'>('TrueHigh');

/** `min(low, close(-1))`. Takes a data feed or (low, close). Lines: `truelow` (backtrader `TrueLow`). */
export const TrueLow = define<IndicatorParams, 'truelow'>('TrueLow');

/** True range: `max(high, close(-1)) - min(low, close(-1))`. Takes a data feed. Lines: `tr` (backtrader `TrueRange`). */
export const TR = define<IndicatorParams, 'tr'>('TrueRange');

/** Parameters of `AverageTrueRange`. */
export interface ATRParams extends IndicatorParams {
  /** Period of the average (default 14). */
  period: number;
  /** Moving average of the true range (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** Average true range: `movav(TR, period)` (Wilder smoothing by default). Takes a data feed. Lines: `atr` (backtrader `AverageTrueRange`). */
export const ATR = define<ATRParams, 'atr'>('AverageTrueRange');

/** Every indicator of this file by backtrader name and alias. */
export const volatility = {
  StdDev,
  StandardDeviation: StdDev,
  MeanDev,
  MeanDeviation: MeanDev,
  BBands,
  BollingerBands: BBands,
  BollingerBandsPct,
  TrueHigh,
  TrueLow,
  TR,
  TrueRange: TR,
  ATR,
  AverageTrueRange: ATR,
};
