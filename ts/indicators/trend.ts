/** Directional movement, Aroon and up/down days (backtrader names and aliases). */
import { define, type IndicatorParams, type MovAvName } from './indicator.js';

/** `x - x(-1)`. Lines: `upmove` (backtrader `UpMove`). */
export const UpMove = define<IndicatorParams, 'upmove'>('UpMove');

/** `x(-1) - x`. Lines: `downmove` (backtrader `DownMove`). */
export const DownMove = define<IndicatorParams, 'downmove'>('DownMove');

/** Parameters of `UpDay`. */
export interface UpDayParams extends IndicatorParams {
  /** Bars back to compare with (default 1). */
  period: number;
}

/** `max(x - x(-period), 0)`. Lines: `upday` (backtrader `UpDay`). */
export const UpDay = define<UpDayParams, 'upday'>('UpDay');

/** Parameters of `DownDay`. */
export interface DownDayParams extends IndicatorParams {
  /** Bars back to compare with (default 1). */
  period: number;
}

/** `max(x(-period) - x, 0)`. Lines: `downday` (backtrader `DownDay`). */
export const DownDay = define<DownDayParams, 'downday'>('DownDay');

/** Parameters of `UpDayBool`. */
export interface UpDayBoolParams extends IndicatorParams {
  /** Bars back to compare with (default 1). */
  period: number;
}

/** 1 when `x > x(-period)`, else 0. Lines: `upday` (backtrader `UpDayBool`). */
export const UpDayBool = define<UpDayBoolParams, 'upday'>('UpDayBool');

/** Parameters of `DownDayBool`. */
export interface DownDayBoolParams extends IndicatorParams {
  /** Bars back to compare with (default 1). */
  period: number;
}

/** 1 when `x(-period) > x`, else 0. Lines: `downday` (backtrader `DownDayBool`). */
export const DownDayBool = define<DownDayBoolParams, 'downday'>('DownDayBool');

/** Parameters of `DirectionalIndicator`. */
export interface DIParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** +DI and -DI: `100 * movav(±DM) / ATR`. Takes a data feed. Lines: `plusDI`, `minusDI` (backtrader `DirectionalIndicator`). */
export const DI = define<DIParams, 'plusDI' | 'minusDI'>('DirectionalIndicator');

/** Parameters of `PlusDirectionalIndicator`. */
export interface PlusDIParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** +DI. Takes a data feed. Lines: `plusDI` (backtrader `PlusDirectionalIndicator`). */
export const PlusDI = define<PlusDIParams, 'plusDI'>('PlusDirectionalIndicator');

/** Parameters of `MinusDirectionalIndicator`. */
export interface MinusDIParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** -DI. Takes a data feed. Lines: `minusDI` (backtrader `MinusDirectionalIndicator`). */
export const MinusDI = define<MinusDIParams, 'minusDI'>('MinusDirectionalIndicator');

/** Parameters of `AverageDirectionalMovementIndex`. */
export interface ADXParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** ADX: `100 * movav(|+DI - -DI| / (+DI + -DI))`. Takes a data feed. Lines: `adx` (backtrader `AverageDirectionalMovementIndex`). */
export const ADX = define<ADXParams, 'adx'>('AverageDirectionalMovementIndex');

/** Parameters of `AverageDirectionalMovementIndexRating`. */
export interface ADXRParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** ADX and ADXR `(adx + adx(-period)) / 2`. Takes a data feed. Lines: `adx`, `adxr` (backtrader `AverageDirectionalMovementIndexRating`). */
export const ADXR = define<ADXRParams, 'adx' | 'adxr'>('AverageDirectionalMovementIndexRating');

/** Parameters of `DirectionalMovementIndex`. */
export interface DMIParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** ADX, +DI and -DI. Takes a data feed. Lines: `adx`, `plusDI`, `minusDI` (backtrader `DirectionalMovementIndex`). */
export const DMI = define<DMIParams, 'adx' | 'plusDI' | 'minusDI'>('DirectionalMovementIndex');

/** Parameters of `DirectionalMovement`. */
export interface DMParams extends IndicatorParams {
  /** Period of the averages (default 14). */
  period: number;
  /** Moving average used throughout (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
}

/** ADX, ADXR, +DI and -DI. Takes a data feed. Lines: `adx`, `adxr`, `plusDI`, `minusDI` (backtrader `DirectionalMovement`). */
export const DM = define<DMParams, 'adx' | 'adxr' | 'plusDI' | 'minusDI'>('DirectionalMovement');

/** Parameters of `AroonUp`. */
export interface AroonUpParams extends IndicatorParams {
  /** Bars looked back (default 14). */
  period: number;
  /** Strong-trend level (for plotting) (default 70). */
  upperband: number;
  /** Weak-trend level (for plotting) (default 30). */
  lowerband: number;
}

/** `100 / period * (period - bars since the highest high)` over `period + 1` bars. Takes a data feed. Lines: `aroonup` (backtrader `AroonUp`). */
export const AroonUp = define<AroonUpParams, 'aroonup'>('AroonUp');

/** Parameters of `AroonDown`. */
export interface AroonDownParams extends IndicatorParams {
  /** Bars looked back (default 14). */
  period: number;
  /** Strong-trend level (for plotting) (default 70). */
  upperband: number;
  /** Weak-trend level (for plotting) (default 30). */
  lowerband: number;
}

/** `100 / period * (period - bars since the lowest low)` over `period + 1` bars. Takes a data feed. Lines: `aroondown` (backtrader `AroonDown`). */
export const AroonDown = define<AroonDownParams, 'aroondown'>('AroonDown');

/** Parameters of `AroonUpDown`. */
export interface AroonUpDownParams extends IndicatorParams {
  /** Bars looked back (default 14). */
  period: number;
  /** Strong-trend level (for plotting) (default 70). */
  upperband: number;
  /** Weak-trend level (for plotting) (default 30). */
  lowerband: number;
}

/** Aroon up and down. Takes a data feed. Lines: `aroonup`, `aroondown` (backtrader `AroonUpDown`). */
export const AroonUpDown = define<AroonUpDownParams, 'aroonup' | 'aroondown'>('AroonUpDown');

/** Parameters of `AroonOscillator`. */
export interface AroonOscParams extends IndicatorParams {
  /** Bars looked back (default 14). */
  period: number;
  /** Strong-trend level (for plotting) (default 70). */
  upperband: number;
  /** Weak-trend level (for plotting) (default 30). */
  lowerband: number;
}

/** `aroonup - aroondown`. Takes a data feed. Lines: `aroonosc` (backtrader `AroonOscillator`). */
export const AroonOsc = define<AroonOscParams, 'aroonosc'>('AroonOscillator');

/** Parameters of `AroonUpDownOscillator`. */
export interface AroonUpDownOscParams extends IndicatorParams {
  /** Bars looked back (default 14). */
  period: number;
  /** Strong-trend level (for plotting) (default 70). */
  upperband: number;
  /** Weak-trend level (for plotting) (default 30). */
  lowerband: number;
}

/** Aroon up, down and oscillator. Takes a data feed. Lines: `aroonup`, `aroondown`, `aroonosc` (backtrader `AroonUpDownOscillator`). */
export const AroonUpDownOsc = define<AroonUpDownOscParams, 'aroonup' | 'aroondown' | 'aroonosc'>('AroonUpDownOscillator');

/** Every indicator of this file by backtrader name and alias. */
export const trend = {
  UpMove,
  DownMove,
  UpDay,
  DownDay,
  UpDayBool,
  DownDayBool,
  DI,
  DirectionalIndicator: DI,
  PlusDI,
  '+DI': PlusDI,
  PlusDirectionalIndicator: PlusDI,
  MinusDI,
  '-DI': MinusDI,
  MinusDirectionalIndicator: MinusDI,
  ADX,
  AverageDirectionalMovementIndex: ADX,
  ADXR,
  AverageDirectionalMovementIndexRating: ADXR,
  DMI,
  DirectionalMovementIndex: DMI,
  DM,
  DirectionalMovement: DM,
  AroonUp,
  AroonDown,
  AroonUpDown,
  AroonIndicator: AroonUpDown,
  AroonOsc,
  AroonOscillator: AroonOsc,
  AroonUpDownOsc,
  AroonUpDownOscillator: AroonUpDownOsc,
};
