import { decodeTrade } from './events.js';
import type { Trade } from './trade.js';

/** Records per chunk (chunks are never copied when the log grows). */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
/** Slots of a trade record that `decodeTrade` reads. */
const SLOTS = 17;

/**
 * @internal the closed trades of one strategy, kept as the broker's records in typed-array
 * chunks; `Trade` objects are made when the result's `trades` is first read (a sweep or a
 * bench that only counts trades never makes them).
 */
export class ClosedTradeLog {
  private readonly chunks: Float64Array[] = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Keeps the trade record at `at` of `records`. */
  push(records: Float64Array, at: number): void {
    const k = this.n++;
    const c = k >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Float64Array(CHUNK * SLOTS));
    this.chunks[c]!.set(records.subarray(at, at + SLOTS), (k & (CHUNK - 1)) * SLOTS);
  }

  /** Every trade, in closing order; `dt` maps a bar index of a data to its time. */
  decode(dt: (data: number, bar: number) => number): Trade[] {
    const out: Trade[] = new Array(this.n);
    for (let k = 0; k < this.n; k++) out[k] = decodeTrade(this.chunks[k >>> CHUNK_BITS]!, (k & (CHUNK - 1)) * SLOTS, dt);
    return out;
  }
}
