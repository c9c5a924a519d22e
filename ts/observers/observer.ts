import { Analyzer } from '../analyzers/analyzer.js';

/**
 * Base class of observers (backtrader's `bt.Observer`): series with one value per bar, recorded
 * on the result (`result.observers.broker.lines.value`). NaN where an observer has nothing to
 * show (a bar without fills, the warm-up of a benchmark).
 */
export abstract class Observer extends Analyzer<Record<string, Float64Array>> {
  /** The recorded lines by name (same as `getAnalysis()`). */
  get lines(): Record<string, Float64Array> {
    return this.rets;
  }
}
