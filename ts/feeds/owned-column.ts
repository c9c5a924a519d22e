import { DataError } from '../errors.js';
import { native } from '../native.js';

/** A column given in memory: a `Float64Array` or an array of numbers (or `Date`s for time). */
export type InputColumn = Float64Array | readonly number[] | readonly Date[];

/**
 * @internal A column a feed can keep for its whole life. A `Float64Array` over an ordinary
 * `ArrayBuffer` is copied: its owner may detach the buffer (a transfer) or shrink it (`resize`)
 * at any time, and the feed's bars must not change under a run. The copy is made in memory the
 * addon owns and lends to JavaScript, which the broker then reads as it is instead of copying
 * the prices again at the start of every run. A fixed-size
 * `SharedArrayBuffer` is kept as it is (it can be neither detached nor shrunk; worker threads
 * share columns this way). A resizable, growable or detached buffer is refused rather than
 * copied: the first two may change size while they are read, the last has lost its values.
 *
 * @throws DataError `DATA_BUFFER` for such a buffer; `DATA` for something that is not a column.
 */
export function ownedColumn(col: InputColumn | undefined, name: string): Float64Array {
  if (col instanceof Float64Array) {
    const buffer = col.buffer as ArrayBufferLike & { resizable?: boolean; growable?: boolean };
    if (isDetached(buffer)) {
      throw new DataError('DATA_BUFFER', `column '${name}' is a Float64Array over a detached ArrayBuffer (it was transferred); pass the columns before transferring them, or a copy`);
    }
    if (buffer.resizable === true || buffer.growable === true) {
      throw new DataError('DATA_BUFFER', `column '${name}' is a Float64Array over a resizable ArrayBuffer; pass a fixed-size copy (new Float64Array(column))`);
    }
    if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) return col;
    return native.lentColumnCopy(col);
  }
  if (!Array.isArray(col)) {
    throw new DataError('DATA', `column '${name}' must be a Float64Array or an array of numbers, got ${describeValue(col)}`);
  }
  return native.lentColumnCopy(Float64Array.from(col as readonly (number | Date)[], (v) => (v instanceof Date ? v.getTime() : Number(v))));
}

/** @internal A column of `n` zeros for a feed (an absent volume or open interest): lent by the addon like the others, and no memory until written. */
export function zeroColumn(n: number): Float64Array {
  return native.lentZeros(n);
}

/** Whether a buffer was transferred away (Node 20 has no `ArrayBuffer.prototype.detached`). */
function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** @internal A value's kind for an error message: `null`, `an array`, `a Uint8Array`, `string`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v;
}
