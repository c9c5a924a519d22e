/** Window operations, envelopes and crosses (backtrader names and aliases). */
import { define, type IndicatorParams } from './indicator.js';

/** Parameters of `Highest`. */
export interface MaxNParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Highest value of the last `period` bars. Lines: `highest` (backtrader `Highest`). */
export const MaxN = define<MaxNParams, 'highest'>('Highest');

/** Parameters of `Lowest`. */
export interface MinNParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Lowest value of the last `period` bars. Lines: `lowest` (backtrader `Lowest`). */
export const MinN = define<MinNParams, 'lowest'>('Lowest');

/** Parameters of `SumN`. */
export interface SumNParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Sum of the last `period` values (`math.fsum`, correctly rounded). Lines: `sumn` (backtrader `SumN`). */
export const SumN = define<SumNParams, 'sumn'>('SumN');

/** Parameters of `Average`. */
export interface AverageParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Arithmetic mean of the last `period` values. Lines: `av` (backtrader `Average`). */
export const Average = define<AverageParams, 'av'>('Average');

/** Parameters of `WeightedAverage`. */
export interface WeightedAverageParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
  /** Factor applied to the weighted sum (default 1). */
  coef: number;
  /** Weight of each value of the window, oldest first (default none: the average is 0). */
  weights: readonly number[];
}

/**
 * `coef * sum(weights[j] * data[j])` over the last `period` values, oldest first (correctly
 * rounded sum). As in backtrader, values past the end of `weights` are left out. Lines: `av`
 * (backtrader `WeightedAverage`).
 */
export const WeightedAverage = define<WeightedAverageParams, 'av'>('WeightedAverage');

/** Parameters of `AnyN`. */
export interface AnyNParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** 1 if any of the last `period` values is non-zero, else 0. Lines: `anyn` (backtrader `AnyN`). */
export const AnyN = define<AnyNParams, 'anyn'>('AnyN');

/** Parameters of `AllN`. */
export interface AllNParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** 1 if all of the last `period` values are non-zero, else 0. Lines: `alln` (backtrader `AllN`). */
export const AllN = define<AllNParams, 'alln'>('AllN');

/** Parameters of `FindFirstIndexHighest`. */
export interface FindFirstIndexHighestParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Bars back to the most recent highest value of the window (0 = now). Lines: `index` (backtrader `FindFirstIndexHighest`). */
export const FindFirstIndexHighest = define<FindFirstIndexHighestParams, 'index'>('FindFirstIndexHighest');

/** Parameters of `FindFirstIndexLowest`. */
export interface FindFirstIndexLowestParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Bars back to the most recent lowest value of the window (0 = now). Lines: `index` (backtrader `FindFirstIndexLowest`). */
export const FindFirstIndexLowest = define<FindFirstIndexLowestParams, 'index'>('FindFirstIndexLowest');

/** Parameters of `FindLastIndexHighest`. */
export interface FindLastIndexHighestParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Bars back to the oldest highest value of the window. Lines: `index` (backtrader `FindLastIndexHighest`). */
export const FindLastIndexHighest = define<FindLastIndexHighestParams, 'index'>('FindLastIndexHighest');

/** Parameters of `FindLastIndexLowest`. */
export interface FindLastIndexLowestParams extends IndicatorParams {
  /** Bars in the window (default 1). */
  period: number;
}

/** Bars back to the oldest lowest value of the window. Lines: `index` (backtrader `FindLastIndexLowest`). */
export const FindLastIndexLowest = define<FindLastIndexLowestParams, 'index'>('FindLastIndexLowest');

/** Parameters of `Accum`. */
export interface AccumParams extends IndicatorParams {
  /** Starting value of the sum (default 0). */
  seed: number;
}

/** Cumulative sum, starting at `seed`. Lines: `accum` (backtrader `Accum`). */
export const Accum = define<AccumParams, 'accum'>('Accum');

/** Parameters of `PercentRank`. */
export interface PctRankParams extends IndicatorParams {
  /** Bars in the window (default 50). */
  period: number;
}

/** Share of the last `period` values strictly below the current one. Lines: `pctrank` (backtrader `PercentRank`). */
export const PctRank = define<PctRankParams, 'pctrank'>('PercentRank');

/** Parameters of `Envelope`. */
export interface EnvelopeParams extends IndicatorParams {
  /** Distance of the bands from the line, in percent (default 2.5). */
  perc: number;
}

/** The source with bands `perc` percent above (`top`) and below (`bot`). Lines: `src`, `top`, `bot` (backtrader `Envelope`). */
export const Envelope = define<EnvelopeParams, 'src' | 'top' | 'bot'>('Envelope');

/** Every indicator of this file by backtrader name and alias. */
export const basic = {
  MaxN,
  Highest: MaxN,
  MinN,
  Lowest: MinN,
  SumN,
  Average,
  ArithmeticMean: Average,
  Mean: Average,
  WeightedAverage,
  AverageWeighted: WeightedAverage,
  AnyN,
  AllN,
  FindFirstIndexHighest,
  FindFirstIndexLowest,
  FindLastIndexHighest,
  FindLastIndexLowest,
  Accum,
  CumSum: Accum,
  CumulativeSum: Accum,
  PctRank,
  PercentRank: PctRank,
  Envelope,
};
