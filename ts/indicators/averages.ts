import { define, type IndicatorParams } from './indicator.js';

/** Parameters of a moving average. */
export interface MaParams extends IndicatorParams {
  /** Bars in the window (default 30). */
  period: number;
}

/** Parameters of `AdaptiveMovingAverage` (KAMA). */
export interface KamaParams extends MaParams {
  /** Period of the fastest smoothing (default 2). */
  fast: number;
  /** Period of the slowest smoothing (default 30). */
  slow: number;
}

/** Parameters of `ZeroLagIndicator`. */
export interface ZlIndParams extends MaParams {
  /** Largest gain tried, in tenths (default 50). */
  gainlimit: number;
}

/** Parameters of `DicksonMovingAverage`. */
export interface DmaParams extends ZlIndParams {
  /** Period of the Hull moving average (default 7). */
  hperiod: number;
}

/** Envelope bands around a moving average. */
export interface BandParams {
  /** Distance of the bands from the average, in percent (default 2.5). */
  perc: number;
}

/** SMA with bands `perc` percent above and below: lines `sma`, `top`, `bot` (backtrader `MovingAverageSimpleEnvelope`). */
export const SMAEnvelope = define<MaParams & BandParams, 'sma' | 'top' | 'bot'>('MovingAverageSimpleEnvelope');

/** The data minus its SMA: line `sma` (backtrader `MovingAverageSimpleOscillator`). */
export const SMAOscillator = define<MaParams, 'sma'>('MovingAverageSimpleOscillator');

/** The exponential moving average: seeded with the SMA of the first `period` values, then `prev * (1 - alpha) + x * alpha` with `alpha = 2 / (period + 1)` (backtrader `ExponentialMovingAverage`). */
export const EMA = define<MaParams, 'ema'>('ExponentialMovingAverage');

/** EMA with bands `perc` percent above and below: lines `ema`, `top`, `bot` (backtrader `ExponentialMovingAverageEnvelope`). */
export const EMAEnvelope = define<MaParams & BandParams, 'ema' | 'top' | 'bot'>('ExponentialMovingAverageEnvelope');

/** The data minus its EMA: line `ema` (backtrader `ExponentialMovingAverageOscillator`). */
export const EMAOscillator = define<MaParams, 'ema'>('ExponentialMovingAverageOscillator');

/** The Wilder's smoothed moving average: an EMA with `alpha = 1 / period` (backtrader `SmoothedMovingAverage`). */
export const SMMA = define<MaParams, 'smma'>('SmoothedMovingAverage');

/** SMMA with bands `perc` percent above and below: lines `smma`, `top`, `bot` (backtrader `SmoothedMovingAverageEnvelope`). */
export const SMMAEnvelope = define<MaParams & BandParams, 'smma' | 'top' | 'bot'>('SmoothedMovingAverageEnvelope');

/** The data minus its SMMA: line `smma` (backtrader `SmoothedMovingAverageOscillator`). */
export const SMMAOscillator = define<MaParams, 'smma'>('SmoothedMovingAverageOscillator');

/** The weighted moving average with linear weights 1..period (newest heaviest) (backtrader `WeightedMovingAverage`). */
export const WMA = define<MaParams, 'wma'>('WeightedMovingAverage');

/** WMA with bands `perc` percent above and below: lines `wma`, `top`, `bot` (backtrader `WeightedMovingAverageEnvelope`). */
export const WMAEnvelope = define<MaParams & BandParams, 'wma' | 'top' | 'bot'>('WeightedMovingAverageEnvelope');

/** The data minus its WMA: line `wma` (backtrader `WeightedMovingAverageOscillator`). */
export const WMAOscillator = define<MaParams, 'wma'>('WeightedMovingAverageOscillator');

/** The double exponential moving average: `2 * ema - ema(ema)` (backtrader `DoubleExponentialMovingAverage`). */
export const DEMA = define<MaParams, 'dema'>('DoubleExponentialMovingAverage');

/** DEMA with bands `perc` percent above and below: lines `dema`, `top`, `bot` (backtrader `DoubleExponentialMovingAverageEnvelope`). */
export const DEMAEnvelope = define<MaParams & BandParams, 'dema' | 'top' | 'bot'>('DoubleExponentialMovingAverageEnvelope');

/** The data minus its DEMA: line `dema` (backtrader `DoubleExponentialMovingAverageOscillator`). */
export const DEMAOscillator = define<MaParams, 'dema'>('DoubleExponentialMovingAverageOscillator');

/** The triple exponential moving average: `3 * ema1 - 3 * ema2 + ema3` (backtrader `TripleExponentialMovingAverage`). */
export const TEMA = define<MaParams, 'tema'>('TripleExponentialMovingAverage');

/** TEMA with bands `perc` percent above and below: lines `tema`, `top`, `bot` (backtrader `TripleExponentialMovingAverageEnvelope`). */
export const TEMAEnvelope = define<MaParams & BandParams, 'tema' | 'top' | 'bot'>('TripleExponentialMovingAverageEnvelope');

/** The data minus its TEMA: line `tema` (backtrader `TripleExponentialMovingAverageOscillator`). */
export const TEMAOscillator = define<MaParams, 'tema'>('TripleExponentialMovingAverageOscillator');

/** The zero-lag EMA: the EMA of `2 * data - data(-lag)`, `lag = (period - 1) // 2` (backtrader `ZeroLagExponentialMovingAverage`). */
export const ZLEMA = define<MaParams, 'zlema'>('ZeroLagExponentialMovingAverage');

/** ZLEMA with bands `perc` percent above and below: lines `zlema`, `top`, `bot` (backtrader `ZeroLagExponentialMovingAverageEnvelope`). */
export const ZLEMAEnvelope = define<MaParams & BandParams, 'zlema' | 'top' | 'bot'>('ZeroLagExponentialMovingAverageEnvelope');

/** The data minus its ZLEMA: line `zlema` (backtrader `ZeroLagExponentialMovingAverageOscillator`). */
export const ZLEMAOscillator = define<MaParams, 'zlema'>('ZeroLagExponentialMovingAverageOscillator');

/** The Hull moving average: `WMA(2 * WMA(period // 2) - WMA(period), int(sqrt(period)))` (backtrader `HullMovingAverage`). */
export const HMA = define<MaParams, 'hma'>('HullMovingAverage');

/** HMA with bands `perc` percent above and below: lines `hma`, `top`, `bot` (backtrader `HullMovingAverageEnvelope`). */
export const HMAEnvelope = define<MaParams & BandParams, 'hma' | 'top' | 'bot'>('HullMovingAverageEnvelope');

/** The data minus its HMA: line `hma` (backtrader `HullMovingAverageOscillator`). */
export const HMAOscillator = define<MaParams, 'hma'>('HullMovingAverageOscillator');

/** The Kaufman's adaptive moving average: exponential smoothing driven by the efficiency ratio (backtrader `AdaptiveMovingAverage`). */
export const KAMA = define<KamaParams, 'kama'>('AdaptiveMovingAverage');

/** KAMA with bands `perc` percent above and below: lines `kama`, `top`, `bot` (backtrader `AdaptiveMovingAverageEnvelope`). */
export const KAMAEnvelope = define<KamaParams & BandParams, 'kama' | 'top' | 'bot'>('AdaptiveMovingAverageEnvelope');

/** The data minus its KAMA: line `kama` (backtrader `AdaptiveMovingAverageOscillator`). */
export const KAMAOscillator = define<KamaParams, 'kama'>('AdaptiveMovingAverageOscillator');

/** The Ehlers' error-correcting zero-lag indicator over an EMA (backtrader `ZeroLagIndicator`). */
export const ZLInd = define<ZlIndParams, 'ec'>('ZeroLagIndicator');

/** ZLInd with bands `perc` percent above and below: lines `ec`, `top`, `bot` (backtrader `ZeroLagIndicatorEnvelope`). */
export const ZLIndEnvelope = define<ZlIndParams & BandParams, 'ec' | 'top' | 'bot'>('ZeroLagIndicatorEnvelope');

/** The data minus its ZLInd: line `ec` (backtrader `ZeroLagIndicatorOscillator`). */
export const ZLIndOscillator = define<ZlIndParams, 'ec'>('ZeroLagIndicatorOscillator');

/** The Dickson moving average: the mean of ZeroLagIndicator and HMA (backtrader `DicksonMovingAverage`). */
export const DMA = define<DmaParams, 'dma'>('DicksonMovingAverage');

/** DMA with bands `perc` percent above and below: lines `dma`, `top`, `bot` (backtrader `DicksonMovingAverageEnvelope`). */
export const DMAEnvelope = define<DmaParams & BandParams, 'dma' | 'top' | 'bot'>('DicksonMovingAverageEnvelope');

/** The data minus its DMA: line `dma` (backtrader `DicksonMovingAverageOscillator`). */
export const DMAOscillator = define<DmaParams, 'dma'>('DicksonMovingAverageOscillator');

/** Every moving average, envelope and oscillator by backtrader name and alias. */
export const averages = {
  SMAEnvelope,
  MovingAverageSimpleEnvelope: SMAEnvelope,
  SimpleMovingAverageEnvelope: SMAEnvelope,
  SMAOscillator,
  MovingAverageSimpleOsc: SMAOscillator,
  MovingAverageSimpleOscillator: SMAOscillator,
  SMAOsc: SMAOscillator,
  SimpleMovingAverageOsc: SMAOscillator,
  SimpleMovingAverageOscillator: SMAOscillator,
  EMA,
  ExponentialMovingAverage: EMA,
  MovingAverageExponential: EMA,
  EMAEnvelope,
  ExponentialMovingAverageEnvelope: EMAEnvelope,
  MovingAverageExponentialEnvelope: EMAEnvelope,
  EMAOscillator,
  EMAOsc: EMAOscillator,
  ExponentialMovingAverageOsc: EMAOscillator,
  ExponentialMovingAverageOscillator: EMAOscillator,
  MovingAverageExponentialOsc: EMAOscillator,
  MovingAverageExponentialOscillator: EMAOscillator,
  SMMA,
  ModifiedMovingAverage: SMMA,
  MovingAverageSmoothed: SMMA,
  MovingAverageWilder: SMMA,
  SmoothedMovingAverage: SMMA,
  WilderMA: SMMA,
  SMMAEnvelope,
  ModifiedMovingAverageEnvelope: SMMAEnvelope,
  MovingAverageSmoothedEnvelope: SMMAEnvelope,
  MovingAverageWilderEnvelope: SMMAEnvelope,
  SmoothedMovingAverageEnvelope: SMMAEnvelope,
  WilderMAEnvelope: SMMAEnvelope,
  SMMAOscillator,
  ModifiedMovingAverageOsc: SMMAOscillator,
  ModifiedMovingAverageOscillator: SMMAOscillator,
  MovingAverageSmoothedOsc: SMMAOscillator,
  MovingAverageSmoothedOscillator: SMMAOscillator,
  MovingAverageWilderOsc: SMMAOscillator,
  MovingAverageWilderOscillator: SMMAOscillator,
  SMMAOsc: SMMAOscillator,
  SmoothedMovingAverageOsc: SMMAOscillator,
  SmoothedMovingAverageOscillator: SMMAOscillator,
  WilderMAOsc: SMMAOscillator,
  WilderMAOscillator: SMMAOscillator,
  WMA,
  MovingAverageWeighted: WMA,
  WeightedMovingAverage: WMA,
  WMAEnvelope,
  MovingAverageWeightedEnvelope: WMAEnvelope,
  WeightedMovingAverageEnvelope: WMAEnvelope,
  WMAOscillator,
  MovingAverageWeightedOsc: WMAOscillator,
  MovingAverageWeightedOscillator: WMAOscillator,
  WMAOsc: WMAOscillator,
  WeightedMovingAverageOsc: WMAOscillator,
  WeightedMovingAverageOscillator: WMAOscillator,
  DEMA,
  DoubleExponentialMovingAverage: DEMA,
  MovingAverageDoubleExponential: DEMA,
  DEMAEnvelope,
  DoubleExponentialMovingAverageEnvelope: DEMAEnvelope,
  MovingAverageDoubleExponentialEnvelope: DEMAEnvelope,
  DEMAOscillator,
  DEMAOsc: DEMAOscillator,
  DoubleExponentialMovingAverageOsc: DEMAOscillator,
  DoubleExponentialMovingAverageOscillator: DEMAOscillator,
  MovingAverageDoubleExponentialOsc: DEMAOscillator,
  MovingAverageDoubleExponentialOscillator: DEMAOscillator,
  TEMA,
  MovingAverageTripleExponential: TEMA,
  TripleExponentialMovingAverage: TEMA,
  TEMAEnvelope,
  MovingAverageTripleExponentialEnvelope: TEMAEnvelope,
  TripleExponentialMovingAverageEnvelope: TEMAEnvelope,
  TEMAOscillator,
  MovingAverageTripleExponentialOsc: TEMAOscillator,
  MovingAverageTripleExponentialOscillator: TEMAOscillator,
  TEMAOsc: TEMAOscillator,
  TripleExponentialMovingAverageOsc: TEMAOscillator,
  TripleExponentialMovingAverageOscillator: TEMAOscillator,
  ZLEMA,
  ZeroLagEma: ZLEMA,
  ZeroLagExponentialMovingAverage: ZLEMA,
  ZLEMAEnvelope,
  ZeroLagEmaEnvelope: ZLEMAEnvelope,
  ZeroLagExponentialMovingAverageEnvelope: ZLEMAEnvelope,
  ZLEMAOscillator,
  ZLEMAOsc: ZLEMAOscillator,
  ZeroLagEmaOsc: ZLEMAOscillator,
  ZeroLagEmaOscillator: ZLEMAOscillator,
  ZeroLagExponentialMovingAverageOsc: ZLEMAOscillator,
  ZeroLagExponentialMovingAverageOscillator: ZLEMAOscillator,
  HMA,
  HullMA: HMA,
  HullMovingAverage: HMA,
  HMAEnvelope,
  HullMAEnvelope: HMAEnvelope,
  HullMovingAverageEnvelope: HMAEnvelope,
  HMAOscillator,
  HMAOsc: HMAOscillator,
  HullMAOsc: HMAOscillator,
  HullMAOscillator: HMAOscillator,
  HullMovingAverageOsc: HMAOscillator,
  HullMovingAverageOscillator: HMAOscillator,
  KAMA,
  AdaptiveMovingAverage: KAMA,
  MovingAverageAdaptive: KAMA,
  KAMAEnvelope,
  AdaptiveMovingAverageEnvelope: KAMAEnvelope,
  MovingAverageAdaptiveEnvelope: KAMAEnvelope,
  KAMAOscillator,
  AdaptiveMovingAverageOsc: KAMAOscillator,
  AdaptiveMovingAverageOscillator: KAMAOscillator,
  KAMAOsc: KAMAOscillator,
  MovingAverageAdaptiveOsc: KAMAOscillator,
  MovingAverageAdaptiveOscillator: KAMAOscillator,
  ZLInd,
  EC: ZLInd,
  ErrorCorrecting: ZLInd,
  ZLIndicator: ZLInd,
  ZeroLagIndicator: ZLInd,
  ZLIndEnvelope,
  ECEnvelope: ZLIndEnvelope,
  ErrorCorrectingEnvelope: ZLIndEnvelope,
  ZLIndicatorEnvelope: ZLIndEnvelope,
  ZeroLagIndicatorEnvelope: ZLIndEnvelope,
  ZLIndOscillator,
  ECOsc: ZLIndOscillator,
  ECOscillator: ZLIndOscillator,
  ErrorCorrectingOsc: ZLIndOscillator,
  ErrorCorrectingOscillator: ZLIndOscillator,
  ZLIndOsc: ZLIndOscillator,
  ZLIndicatorOsc: ZLIndOscillator,
  ZLIndicatorOscillator: ZLIndOscillator,
  ZeroLagIndicatorOsc: ZLIndOscillator,
  ZeroLagIndicatorOscillator: ZLIndOscillator,
  DMA,
  DicksonMA: DMA,
  DicksonMovingAverage: DMA,
  DMAEnvelope,
  DicksonMAEnvelope: DMAEnvelope,
  DicksonMovingAverageEnvelope: DMAEnvelope,
  DMAOscillator,
  DMAOsc: DMAOscillator,
  DicksonMAOsc: DMAOscillator,
  DicksonMAOscillator: DMAOscillator,
  DicksonMovingAverageOsc: DMAOscillator,
  DicksonMovingAverageOscillator: DMAOscillator,
};
