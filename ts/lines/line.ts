import type { Cursor } from './clock.js';
import { ParamError } from '../errors.js';

/**
 * One series of values over the bars of a data: a price column, an indicator output.
 *
 * Indexing follows backtrader: `get(0)` is the current bar, `get(-1)` the one before. The full
 * column is `array` (computed once for the whole run, as backtrader's runonce mode).
 *
 * ```ts
 * if (this.cross.get() > 0) ...        // fastest: a method call, a few ns
 * if (this.cross[0] > 0) ...            // backtrader spelling; works for -256..256, slower
 * if (+this.cross > 0) ...              // valueOf() gives the current value
 * ```
 */
export class Line {
  /** The whole column. Index `i` is bar `i` of the data. */
  readonly array: Float64Array;
  /** Bars needed before the first valid value (backtrader's minperiod); 1 for raw data. */
  readonly minPeriod: number;
  /** Name of the line (`close`, `sma`, `crossover`, ...). */
  readonly name: string;
  /** @internal */
  readonly cursor: Cursor;

  /** Values by relative index, `this[0]`, `this[-1]` (defined on the prototype). */
  [ago: number]: number;

  constructor(array: Float64Array, cursor: Cursor, minPeriod = 1, name = 'line') {
    this.array = array;
    this.cursor = cursor;
    this.minPeriod = minPeriod;
    this.name = name;
  }

  /** Value `ago` bars from the current one (0 = now, -1 = previous bar). NaN outside the data. */
  get(ago = 0): number {
    const v = this.array[this.cursor.i + ago];
    return v === undefined ? NaN : v;
  }

  /** Number of bars seen so far (backtrader's `len(line)`). */
  get length(): number {
    return this.cursor.i + 1;
  }

  /** The current value, so `+line` and `line > 0` read it. */
  valueOf(): number {
    return this.get(0);
  }

  /** The last `size` values up to the current bar (backtrader's `line.get(size=n)`). */
  window(size: number, ago = 0): Float64Array {
    if (!Number.isInteger(size) || size < 1) throw new ParamError(`window size must be a whole number >= 1, got ${size}`);
    const end = this.cursor.i + ago + 1;
    return this.array.subarray(Math.max(0, end - size), Math.max(0, end));
  }
}

/** How far `line[k]` indexing reaches; use `get(k)` beyond it. */
export const INDEX_REACH = 256;

for (let k = -INDEX_REACH; k <= INDEX_REACH; k++) {
  Object.defineProperty(Line.prototype, String(k), {
    get(this: Line) {
      return this.get(k);
    },
    enumerable: false,
  });
}
