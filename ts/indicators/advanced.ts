/**
 * Pivot points, Heikin Ashi, Ichimoku, Bill Williams' indicators, Laguerre filters, Parabolic
 * SAR and other composite oscillators (backtrader names and aliases).
 */
import { define, type IndicatorParams, type MovAvName } from './indicator.js';

/** Parameters of `AwesomeOscillator`. */
export interface AOParams extends IndicatorParams {
  /** Period of the fast average of the median price (default 5). */
  fast: number;
  /** Period of the slow average of the median price (default 34). */
  slow: number;
  /** Moving average (default 'MovingAverageSimple'). */
  movav: MovAvName;
}

/** `movav((h + l) / 2, fast) - movav((h + l) / 2, slow)`. Takes a data feed. Lines: `ao` (backtrader `AwesomeOscillator`). */
export const AwesomeOscillator = define<AOParams, 'ao'>('AwesomeOscillator');

/** Parameters of `AccelerationDecelerationOscillator`. */
export interface AccDeOscParams extends IndicatorParams {
  /** Period of the average of the AO (default 5). */
  period: number;
  /** Moving average (default 'MovingAverageSimple'). */
  movav: MovAvName;
}

/** `ao - movav(ao, period)`. Takes a data feed. Lines: `accde` (backtrader `AccelerationDecelerationOscillator`). */
export const AccDeOsc = define<AccDeOscParams, 'accde'>('AccelerationDecelerationOscillator');

/** Parameters of `Fractal`. */
export interface FractalParams extends IndicatorParams {
  /** Bars in the window (default 5). */
  period: number;
  /** Distance of the mark from the high / low, as a fraction (default 0.015). */
  bardist: number;
  /** Position of the turning bar in the window, from its start (default 2). */
  shift_to_potential_fractal: number;
}

/** Bill Williams' fractals: marks above turning highs and below turning lows. Takes a data feed. Lines: `fractal_bearish`, `fractal_bullish` (backtrader `bt.studies.Fractal`). */
export const Fractal = define<FractalParams, 'fractal_bearish' | 'fractal_bullish'>('Fractal');

/** Parameters of `DV2`. */
export interface DV2Params extends IndicatorParams {
  /** Bars of the percent rank (default 252). */
  period: number;
  /** Period of the average of close / median price (default 2). */
  maperiod: number;
}

/** `100 * percentrank(sma(close / ((h + l) / 2), maperiod), period)`. Takes a data feed. Lines: `dv2` (backtrader `DV2`). */
export const DV2 = define<DV2Params, 'dv2'>('DV2');

/** Parameters of `KnowSureThing`. */
export interface KSTParams extends IndicatorParams {
  rp1: number;
  rp2: number;
  rp3: number;
  rp4: number;
  rma1: number;
  rma2: number;
  rma3: number;
  rma4: number;
  /** Period of the signal average (default 9). */
  rsignal: number;
  rfactor1: number;
  rfactor2: number;
  rfactor3: number;
  rfactor4: number;
}

/**
 * Know Sure Thing: weighted sum of four averaged rates of change, with a signal average. The
 * weights are `rfactor1`..`rfactor4` (default 1, 2, 3, 4); backtrader's `rfactors: [a, b, c, d]`
 * is accepted too. Lines: `kst`, `signal` (backtrader `KnowSureThing`).
 */
export const KST = define<KSTParams & { rfactors: number[] }, 'kst' | 'signal'>('KnowSureThing');

/** Parameters of `TrueStrengthIndicator`. */
export interface TSIParams extends IndicatorParams {
  /** Period of the first smoothing (default 25). */
  period1: number;
  /** Period of the second smoothing (default 13). */
  period2: number;
  /** Bars back for the price change (default 1). */
  pchange: number;
}

/** `100 * ema(ema(pc)) / ema(ema(|pc|))`. Lines: `tsi` (backtrader `TrueStrengthIndicator`). */
export const TSI = define<TSIParams, 'tsi'>('TrueStrengthIndicator');

/** Parameters of `PrettyGoodOscillator`. */
export interface PGOParams extends IndicatorParams {
  /** Period of the average and the ATR (default 14). */
  period: number;
}

/** `(close - sma(close)) / atr`. Takes a data feed. Lines: `pgo` (backtrader `PrettyGoodOscillator`). */
export const PGO = define<PGOParams, 'pgo'>('PrettyGoodOscillator');

/** Parameters of the pivot points. */
export interface PivotPointParams extends IndicatorParams {
  /** Add the open: `(h + l + c + o) / 4` (default false). */
  open: boolean;
  /** Count the close twice: `(h + l + 2c) / 4` (default false). */
  close: boolean;
}

/** Pivot with two supports and resistances. Takes a data feed. Lines: `p`, `s1`, `s2`, `r1`, `r2` (backtrader `PivotPoint`). */
export const PivotPoint = define<PivotPointParams, 'p' | 's1' | 's2' | 'r1' | 'r2'>('PivotPoint');

/** Parameters of the Fibonacci and Demark pivot points. */
export interface FibonacciPivotPointParams extends PivotPointParams {
  /** Default 0.382. */
  level1: number;
  /** Default 0.618. */
  level2: number;
  /** Default 1.0. */
  level3: number;
}

/** Pivot with Fibonacci levels. Takes a data feed. Lines: `p`, `s1`..`s3`, `r1`..`r3` (backtrader `FibonacciPivotPoint`). */
export const FibonacciPivotPoint = define<FibonacciPivotPointParams, 'p' | 's1' | 's2' | 's3' | 'r1' | 'r2' | 'r3'>(
  'FibonacciPivotPoint',
);

/** Demark pivot. Takes a data feed. Lines: `p`, `s1`, `r1` (backtrader `DemarkPivotPoint`). */
export const DemarkPivotPoint = define<FibonacciPivotPointParams, 'p' | 's1' | 'r1'>('DemarkPivotPoint');

/** Heikin Ashi candles. Takes a data feed. Lines: `ha_open`, `ha_high`, `ha_low`, `ha_close` (backtrader `HeikinAshi`). */
export const HeikinAshi = define<IndicatorParams, 'ha_open' | 'ha_high' | 'ha_low' | 'ha_close'>('HeikinAshi');

/** Parameters of `haDelta`. */
export interface HaDeltaParams extends IndicatorParams {
  /** Period of the smoothing (default 3). */
  period: number;
  /** Moving average (default 'MovingAverageSimple'). */
  movav: MovAvName;
  /** Compute Heikin Ashi candles from the data first (default true). */
  autoheikin: boolean;
}

/** Heikin Ashi body `ha_close - ha_open` and its average. Takes a data feed. Lines: `haDelta`, `smoothed` (backtrader `haDelta`). */
export const haDelta = define<HaDeltaParams, 'haDelta' | 'smoothed'>('haDelta');

/** Parameters of `HurstExponent`. */
export interface HurstParams extends IndicatorParams {
  /** Bars in the window (default 40). */
  period: number;
  /** First lag (default 2; 0 or null for the default). */
  lag_start: number;
  /** Lag after the last one (default period / 2; 0 or null for the default). */
  lag_end: number;
}

/** Rolling Hurst exponent. Lines: `hurst` (backtrader `HurstExponent`). */
export const Hurst = define<HurstParams, 'hurst'>('HurstExponent');

/** Parameters of `Ichimoku`. */
export interface IchimokuParams extends IndicatorParams {
  /** Default 9. */
  tenkan: number;
  /** Default 26. */
  kijun: number;
  /** Default 52. */
  senkou: number;
  /** Bars the leading spans are pushed forward (default 26). */
  senkou_lead: number;
  /** Bars the lagging span is pulled back (default 26). */
  chikou: number;
}

/**
 * Ichimoku Kinko Hyo. Takes a data feed. `chikou_span` on bar t is the close of bar t + chikou
 * (it reads ahead; the last `chikou` bars are NaN). Lines: `tenkan_sen`, `kijun_sen`,
 * `senkou_span_a`, `senkou_span_b`, `chikou_span` (backtrader `Ichimoku`).
 */
export const Ichimoku = define<
  IchimokuParams,
  'tenkan_sen' | 'kijun_sen' | 'senkou_span_a' | 'senkou_span_b' | 'chikou_span'
>('Ichimoku');

/** Parameters of the Laguerre indicators. */
export interface LaguerreParams extends IndicatorParams {
  /** Bars before the first value (LAGF default 1, LRSI default 6). */
  period: number;
  /** Damping factor (default 0.5). */
  gamma: number;
}

/** Laguerre filter. Lines: `lfilter` (backtrader `LaguerreFilter`). */
export const LAGF = define<LaguerreParams, 'lfilter'>('LaguerreFilter');

/** Laguerre RSI. Lines: `lrsi` (backtrader `LaguerreRSI`). */
export const LRSI = define<LaguerreParams, 'lrsi'>('LaguerreRSI');

/** Parameters of `ParabolicSAR`. */
export interface PSARParams extends IndicatorParams {
  /** Bar of the first value (default 2). */
  period: number;
  /** Acceleration factor step (default 0.02). */
  af: number;
  /** Largest acceleration factor (default 0.2). */
  afmax: number;
}

/** Parabolic SAR. Takes a data feed. Lines: `psar` (backtrader `ParabolicSAR`). */
export const PSAR = define<PSARParams, 'psar'>('ParabolicSAR');

/** Parameters of `UltimateOscillator`. */
export interface UltimateOscillatorParams extends IndicatorParams {
  /** Default 7. */
  p1: number;
  /** Default 14. */
  p2: number;
  /** Default 28. */
  p3: number;
  upperband: number;
  lowerband: number;
}

/** Ultimate oscillator. Takes a data feed. Lines: `uo` (backtrader `UltimateOscillator`). */
export const UltimateOscillator = define<UltimateOscillatorParams, 'uo'>('UltimateOscillator');

/** Parameters of `Vortex`. */
export interface VortexParams extends IndicatorParams {
  /** Bars of the sums (default 14). */
  period: number;
}

/** Vortex indicator. Takes a data feed. Lines: `vi_plus`, `vi_minus` (backtrader `Vortex`). */
export const Vortex = define<VortexParams, 'vi_plus' | 'vi_minus'>('Vortex');

/** Williams accumulation / distribution. Takes a data feed. Lines: `ad` (backtrader `WilliamsAD`). */
export const WilliamsAD = define<IndicatorParams, 'ad'>('WilliamsAD');

/** Parameters of `ExponentialSmoothing`. */
export interface ExpSmoothingParams extends IndicatorParams {
  /** Bars of the seed average (default 1). */
  period: number;
  /** Smoothing factor (default `2 / (1 + period)`; null or NaN for the default). */
  alpha: number;
}

/** Exponential smoothing seeded with the mean of the first `period` values. Lines: `av` (backtrader `ExponentialSmoothing`). */
export const ExpSmoothing = define<ExpSmoothingParams, 'av'>('ExponentialSmoothing');

/** The indicators of this module by every backtrader name and alias. */
export const advanced = {
  ExponentialSmoothing: ExpSmoothing,
  ExpSmoothing,
  AwesomeOscillator,
  AwesomeOsc: AwesomeOscillator,
  AO: AwesomeOscillator,
  AccelerationDecelerationOscillator: AccDeOsc,
  AccDeOsc,
  Fractal,
  DV2,
  KnowSureThing: KST,
  KST,
  TrueStrengthIndicator: TSI,
  TSI,
  PrettyGoodOscillator: PGO,
  PrettyGoodOsc: PGO,
  PGO,
  PivotPoint,
  FibonacciPivotPoint,
  DemarkPivotPoint,
  HeikinAshi,
  haDelta,
  haD: haDelta,
  HurstExponent: Hurst,
  Hurst,
  Ichimoku,
  LaguerreFilter: LAGF,
  LAGF,
  LaguerreRSI: LRSI,
  LRSI,
  ParabolicSAR: PSAR,
  PSAR,
  UltimateOscillator,
  Vortex,
  WilliamsAD,
};
