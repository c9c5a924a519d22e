/** Momentum oscillators (backtrader names and aliases). */
import { define, type IndicatorParams, type MovAvName } from './indicator.js';

/** Parameters of `MACD`. */
export interface MACDParams extends IndicatorParams {
  /** Period of the fast average (default 12). */
  period_me1: number;
  /** Period of the slow average (default 26). */
  period_me2: number;
  /** Period of the signal average (default 9). */
  period_signal: number;
  /** Moving average used throughout (default 'ExponentialMovingAverage'). */
  movav: MovAvName;
}

/** MACD: `macd = movav(me1) - movav(me2)`, `signal = movav(macd, period_signal)`. Lines: `macd`, `signal` (backtrader `MACD`). */
export const MACD = define<MACDParams, 'macd' | 'signal'>('MACD');

/** Parameters of `MACDHisto`. */
export interface MACDHistoParams extends IndicatorParams {
  /** Period of the fast average (default 12). */
  period_me1: number;
  /** Period of the slow average (default 26). */
  period_me2: number;
  /** Period of the signal average (default 9). */
  period_signal: number;
  /** Moving average used throughout (default 'ExponentialMovingAverage'). */
  movav: MovAvName;
}

/** MACD with `histo = macd - signal`. Lines: `macd`, `signal`, `histo` (backtrader `MACDHisto`). */
export const MACDHisto = define<MACDHistoParams, 'macd' | 'signal' | 'histo'>('MACDHisto');

/** Parameters of `PriceOscillator`. */
export interface APOParams extends IndicatorParams {
  /** Period of the fast EMA (default 12). */
  period1: number;
  /** Period of the slow EMA (default 26). */
  period2: number;
}

/** Absolute price oscillator: `ema(period1) - ema(period2)`. Lines: `po` (backtrader `PriceOscillator`). */
export const APO = define<APOParams, 'po'>('PriceOscillator');

/** Parameters of `PercentagePriceOscillator`. */
export interface PPOParams extends IndicatorParams {
  /** Period of the fast EMA (default 12). */
  period1: number;
  /** Period of the slow EMA (default 26). */
  period2: number;
  /** Period of the signal EMA (default 9). */
  period_signal: number;
}

/** Percentage price oscillator: `100 * (ema1 - ema2) / ema2`, with signal and histo. Lines: `ppo`, `signal`, `histo` (backtrader `PercentagePriceOscillator`). */
export const PPO = define<PPOParams, 'ppo' | 'signal' | 'histo'>('PercentagePriceOscillator');

/** Parameters of `PercentagePriceOscillatorShort`. */
export interface PPOShortParams extends IndicatorParams {
  /** Period of the fast EMA (default 12). */
  period1: number;
  /** Period of the slow EMA (default 26). */
  period2: number;
  /** Period of the signal EMA (default 9). */
  period_signal: number;
}

/** Percentage price oscillator relative to the fast EMA: `100 * (ema1 - ema2) / ema1`. Lines: `ppo`, `signal`, `histo` (backtrader `PercentagePriceOscillatorShort`). */
export const PPOShort = define<PPOShortParams, 'ppo' | 'signal' | 'histo'>('PercentagePriceOscillatorShort');

/** Parameters of `Trix`. */
export interface TrixParams extends IndicatorParams {
  /** Period of the three EMAs (default 15). */
  period: number;
}

/** TRIX: one-bar percent change of a triple EMA. Lines: `trix` (backtrader `Trix`). */
export const Trix = define<TrixParams, 'trix'>('Trix');

/** Parameters of `TrixSignal`. */
export interface TrixSignalParams extends IndicatorParams {
  /** Period of the three EMAs (default 15). */
  period: number;
  /** Period of the signal EMA (default 9). */
  sigperiod: number;
}

/** TRIX with an EMA `signal` line. Lines: `trix`, `signal` (backtrader `TrixSignal`). */
export const TrixSignal = define<TrixSignalParams, 'trix' | 'signal'>('TrixSignal');

/** Parameters of `RelativeStrengthIndex`. */
export interface RSIParams extends IndicatorParams {
  /** Period of the averages of up and down moves (default 14). */
  period: number;
  /** Moving average of the up and down moves (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 70). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 30). */
  lowerband: number;
  /** Replace divisions by zero with safehigh / safelow (default false). */
  safediv: boolean;
  /** Rsi when the down average is 0 and the up average is not (default 100). */
  safehigh: number;
  /** Rsi when both averages are 0 (default 50). */
  safelow: number;
  /** Bars back for an up or down move (default 1). */
  lookback: number;
}

/** Wilder's RSI: `100 - 100 / (1 + movav(up moves) / movav(down moves))`. Lines: `rsi` (backtrader `RelativeStrengthIndex`). */
export const RSI = define<RSIParams, 'rsi'>('RelativeStrengthIndex');

/** Parameters of `RSI_SMA`. */
export interface RSI_SMAParams extends IndicatorParams {
  /** Period of the averages of up and down moves (default 14). */
  period: number;
  /** Moving average of the up and down moves (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 70). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 30). */
  lowerband: number;
  /** Replace divisions by zero with safehigh / safelow (default false). */
  safediv: boolean;
  /** Rsi when the down average is 0 and the up average is not (default 100). */
  safehigh: number;
  /** Rsi when both averages are 0 (default 50). */
  safelow: number;
  /** Bars back for an up or down move (default 1). */
  lookback: number;
}

/** RSI with simple moving averages (Cutler). Lines: `rsi` (backtrader `RSI_SMA`). */
export const RSI_SMA = define<RSI_SMAParams, 'rsi'>('RSI_SMA');

/** Parameters of `RSI_EMA`. */
export interface RSI_EMAParams extends IndicatorParams {
  /** Period of the averages of up and down moves (default 14). */
  period: number;
  /** Moving average of the up and down moves (default 'ExponentialMovingAverage'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 70). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 30). */
  lowerband: number;
  /** Replace divisions by zero with safehigh / safelow (default false). */
  safediv: boolean;
  /** Rsi when the down average is 0 and the up average is not (default 100). */
  safehigh: number;
  /** Rsi when both averages are 0 (default 50). */
  safelow: number;
  /** Bars back for an up or down move (default 1). */
  lookback: number;
}

/** RSI with exponential moving averages. Lines: `rsi` (backtrader `RSI_EMA`). */
export const RSI_EMA = define<RSI_EMAParams, 'rsi'>('RSI_EMA');

/** Parameters of `RSI_Safe`. */
export interface RSI_SafeParams extends IndicatorParams {
  /** Period of the averages of up and down moves (default 14). */
  period: number;
  /** Moving average of the up and down moves (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 70). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 30). */
  lowerband: number;
  /** Replace divisions by zero with safehigh / safelow (default true). */
  safediv: boolean;
  /** Rsi when the down average is 0 and the up average is not (default 100). */
  safehigh: number;
  /** Rsi when both averages are 0 (default 50). */
  safelow: number;
  /** Bars back for an up or down move (default 1). */
  lookback: number;
}

/** RSI that replaces divisions by zero (`safediv` on). Lines: `rsi` (backtrader `RSI_Safe`). */
export const RSI_Safe = define<RSI_SafeParams, 'rsi'>('RSI_Safe');

/** Parameters of `RelativeMomentumIndex`. */
export interface RMIParams extends IndicatorParams {
  /** Period of the averages of up and down moves (default 20). */
  period: number;
  /** Moving average of the up and down moves (default 'SmoothedMovingAverage'). */
  movav: MovAvName;
  /** Overbought level (for plotting and signals) (default 70). */
  upperband: number;
  /** Oversold level (for plotting and signals) (default 30). */
  lowerband: number;
  /** Replace divisions by zero with safehigh / safelow (default false). */
  safediv: boolean;
  /** Rsi when the down average is 0 and the up average is not (default 100). */
  safehigh: number;
  /** Rsi when both averages are 0 (default 50). */
  safelow: number;
  /** Bars back for an up or down move (default 5). */
  lookback: number;
}

/** Relative momentum index: RSI over moves of `lookback` bars (default 5). Lines: `rsi` (backtrader `RelativeMomentumIndex`). */
export const RMI = define<RMIParams, 'rsi'>('RelativeMomentumIndex');

/** Parameters of `Momentum`. */
export interface MomentumParams extends IndicatorParams {
  /** Bars back to compare with (default 12). */
  period: number;
}

/** `x - x(-period)`. Lines: `momentum` (backtrader `Momentum`). */
export const Momentum = define<MomentumParams, 'momentum'>('Momentum');

/** Parameters of `MomentumOscillator`. */
export interface MomentumOscParams extends IndicatorParams {
  /** Bars back to compare with (default 12). */
  period: number;
  /** Reference level (for plotting) (default 100). */
  band: number;
}

/** `100 * x / x(-period)`. Lines: `momosc` (backtrader `MomentumOscillator`). */
export const MomentumOsc = define<MomentumOscParams, 'momosc'>('MomentumOscillator');

/** Parameters of `RateOfChange`. */
export interface ROCParams extends IndicatorParams {
  /** Bars back to compare with (default 12). */
  period: number;
}

/** Rate of change: `(x - x(-period)) / x(-period)`. Lines: `roc` (backtrader `RateOfChange`). */
export const ROC = define<ROCParams, 'roc'>('RateOfChange');

/** Parameters of `RateOfChange100`. */
export interface ROC100Params extends IndicatorParams {
  /** Bars back to compare with (default 12). */
  period: number;
}

/** Rate of change in percent: `100 * roc`. Lines: `roc100` (backtrader `RateOfChange100`). */
export const ROC100 = define<ROC100Params, 'roc100'>('RateOfChange100');

/** Parameters of `PercentChange`. */
export interface PctChangeParams extends IndicatorParams {
  /** Bars back to compare with (default 30). */
  period: number;
}

/** `x / x(-period) - 1`. Lines: `pctchange` (backtrader `PercentChange`). */
export const PctChange = define<PctChangeParams, 'pctchange'>('PercentChange');

/** Every indicator of this file by backtrader name and alias. */
export const oscillators = {
  MACD,
  MACDHisto,
  MACDHistogram: MACDHisto,
  APO,
  AbsPriceOsc: APO,
  AbsolutePriceOscillator: APO,
  PriceOsc: APO,
  PriceOscillator: APO,
  PPO,
  PercPriceOsc: PPO,
  PercentagePriceOscillator: PPO,
  PPOShort,
  PercPriceOscShort: PPOShort,
  PercentagePriceOscillatorShort: PPOShort,
  Trix,
  TRIX: Trix,
  TrixSignal,
  RSI,
  RSI_SMMA: RSI,
  RSI_Wilder: RSI,
  RelativeStrengthIndex: RSI,
  RSI_SMA,
  RSI_Cutler: RSI_SMA,
  RSI_EMA,
  RSI_Safe,
  RMI,
  RelativeMomentumIndex: RMI,
  Momentum,
  MomentumOsc,
  MomentumOscillator: MomentumOsc,
  ROC,
  RateOfChange: ROC,
  ROC100,
  RateOfChange100: ROC100,
  PctChange,
  PercentChange: PctChange,
};
