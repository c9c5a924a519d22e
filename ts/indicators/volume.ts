/** Volume indicators and price channels that backtrader does not have. */
import { define, type IndicatorParams, type MovAvName } from './indicator.js';

/**
 * On-balance volume: `obv[0] = volume[0]`, then plus the volume on a higher close, minus it on a
 * lower close, unchanged on an equal close. Takes a data feed or (close, volume). Lines: `obv`.
 */
export const OBV = define<IndicatorParams, 'obv'>('OnBalanceVolume');

/**
 * Volume-weighted average price since the first bar: `Σ tp·volume / Σ volume` with
 * `tp = (high + low + close) / 3`. Takes a data feed. Lines: `vwap`. See `SessionVWAP` for a
 * VWAP that restarts every day.
 */
export const VWAP = define<IndicatorParams, 'vwap'>('VWAP');

/** Parameters of `SessionVWAP`. */
export interface SessionVWAPParams extends IndicatorParams {
  /** Minutes after midnight (the data's own time) at which a session starts (default 0). */
  session_start: number;
}

/**
 * VWAP restarted on the first bar of every session (a day starting `session_start` minutes after
 * midnight of the data's time). Takes a data feed (its datetime, high, low, close, volume).
 * Lines: `vwap`.
 */
export const SessionVWAP = define<SessionVWAPParams, 'vwap'>('SessionVWAP');

/**
 * Chaikin's accumulation/distribution line: `Σ volume · ((close - low) - (high - close)) / (high - low)`
 * (a bar with `high == low` adds 0). Takes a data feed. Lines: `ad`.
 */
export const AccumulationDistribution = define<IndicatorParams, 'ad'>('AccumulationDistribution');

/** Parameters of `ChaikinOscillator`. */
export interface ChaikinOscillatorParams extends IndicatorParams {
  /** Fast average of the A/D line (default 3). */
  period1: number;
  /** Slow average of the A/D line (default 10). */
  period2: number;
  /** Moving average (default 'ExponentialMovingAverage'). */
  movav: MovAvName;
}

/** Chaikin oscillator: `movav(ad, period1) - movav(ad, period2)`. Takes a data feed. Lines: `chaikin`. */
export const ChaikinOscillator = define<ChaikinOscillatorParams, 'chaikin'>('ChaikinOscillator');

/** Parameters of `MoneyFlowIndex`. */
export interface MFIParams extends IndicatorParams {
  /** Bars of the money-flow sums (default 14). */
  period: number;
  /** Overbought level, for plotting (default 80). */
  upperband: number;
  /** Oversold level, for plotting (default 20). */
  lowerband: number;
}

/**
 * Money flow index: `100 · Σ⁺ / (Σ⁺ + Σ⁻)` over `period` bars of `tp · volume`, in Σ⁺ when the
 * typical price rose and in Σ⁻ when it fell. Takes a data feed. Lines: `mfi`.
 */
export const MFI = define<MFIParams, 'mfi'>('MoneyFlowIndex');

/** Parameters of `KeltnerChannel`. */
export interface KeltnerParams extends IndicatorParams {
  /** Period of the middle line (default 20). */
  period: number;
  /** Band width in ATRs (default 2). */
  devfactor: number;
  /** Period of the ATR (default 10). */
  atrperiod: number;
  /** Moving average of the middle line (default 'ExponentialMovingAverage'). */
  movav: MovAvName;
}

/** Keltner channel: `mid = movav(close)`, `top`/`bot` = mid ± devfactor × ATR(atrperiod). Takes a data feed. Lines: `mid`, `top`, `bot`. */
export const KeltnerChannel = define<KeltnerParams, 'mid' | 'top' | 'bot'>('KeltnerChannel');

/** Parameters of `DonchianChannel`. */
export interface DonchianParams extends IndicatorParams {
  /** Bars of the highest high and lowest low (default 20). */
  period: number;
}

/** Donchian channel: `top = highest(high)`, `bot = lowest(low)`, `mid = (top + bot) / 2`. Takes a data feed or (high, low). Lines: `mid`, `top`, `bot`. */
export const DonchianChannel = define<DonchianParams, 'mid' | 'top' | 'bot'>('DonchianChannel');

/** Parameters of `SuperTrend`. */
export interface SuperTrendParams extends IndicatorParams {
  /** Period of the ATR (default 10). */
  period: number;
  /** Band distance from the median price in ATRs (default 3). */
  multiplier: number;
}

/**
 * SuperTrend: ratcheting bands `(high + low) / 2 ± multiplier × ATR`; the line is the lower band
 * in an up trend and the upper band in a down trend. Takes a data feed. Lines: `supertrend`,
 * `direction` (+1 up, -1 down), `top`, `bot` (the final bands).
 */
export const SuperTrend = define<SuperTrendParams, 'supertrend' | 'direction' | 'top' | 'bot'>('SuperTrend');

/** Every indicator of this file by name and alias. */
export const volume = {
  OBV,
  OnBalanceVolume: OBV,
  VWAP,
  VolumeWeightedAveragePrice: VWAP,
  SessionVWAP,
  VWAPSession: SessionVWAP,
  DailyVWAP: SessionVWAP,
  AccumulationDistribution,
  AD: AccumulationDistribution,
  AccDist: AccumulationDistribution,
  ADLine: AccumulationDistribution,
  ChaikinAD: AccumulationDistribution,
  ChaikinOscillator,
  ChaikinOsc: ChaikinOscillator,
  ADOSC: ChaikinOscillator,
  MFI,
  MoneyFlowIndex: MFI,
  KeltnerChannel,
  KeltnerChannels: KeltnerChannel,
  Keltner: KeltnerChannel,
  KC: KeltnerChannel,
  DonchianChannel,
  DonchianChannels: DonchianChannel,
  Donchian: DonchianChannel,
  DC: DonchianChannel,
  SuperTrend,
  Supertrend: SuperTrend,
};
