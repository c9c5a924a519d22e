/**
 * Bars are checked once, by the same native code for every backend, before any is written:
 * the errors are the CSV feeds' (`DataError`, `TimeBackwardsError`).
 * @internal
 */
import { callNative, ParamError } from '../errors.js';
import { native } from '../native.js';
import type { BarColumns, BarInput } from './types.js';

const f64 = (v: ArrayLike<number>): Float64Array => (v instanceof Float64Array ? v : Float64Array.from(v));

/** The batch as Float64Array columns, checked; throws at the first bad bar. */
export function checkBars(source: string, bars: BarInput): BarColumns {
  if (bars === null || typeof bars !== 'object') throw new ParamError(`${source}: give bars as columns { time, open, high, low, close, volume }`);
  for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const col = bars[k];
    if (col === undefined || col === null || typeof col.length !== 'number') {
      throw new ParamError(`${source}: column '${k}' is missing; give columns { time, open, high, low, close, volume[, openInterest] }`);
    }
  }
  const n = bars.time.length;
  const cols: BarColumns = {
    time: f64(bars.time),
    open: f64(bars.open),
    high: f64(bars.high),
    low: f64(bars.low),
    close: f64(bars.close),
    volume: f64(bars.volume),
    openInterest: bars.openInterest ? f64(bars.openInterest) : new Float64Array(n).fill(NaN),
  };
  callNative(() => native.storeValidateBars(source, cols.time, cols.open, cols.high, cols.low, cols.close, cols.volume, cols.openInterest));
  return cols;
}
