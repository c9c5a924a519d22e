import { ChunkedRecords } from './chunked.js';
import { decodeTrade } from './events.js';
import type { Trade } from './trade.js';
import type { DataFeed } from '../feeds/datafeed.js';

/** log2 of the records per full chunk. */
const CHUNK_BITS = 14;
/** Slots of a trade record that `decodeTrade` reads. */
const SLOTS = 17;

/**
 * @internal the closed trades of one strategy, kept as the broker's records in typed-array
 * chunks; `Trade` objects are made when the result's `trades` is first read (a sweep or a
 * bench that only counts trades never makes them).
 */
export class ClosedTradeLog {
  private readonly records = new ChunkedRecords((n) => new Float64Array(n), SLOTS, CHUNK_BITS);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Keeps the trade record at `at` of `records`. */
  push(records: Float64Array, at: number): void {
    const k = this.n++;
    const chunk = this.records.reserve(k);
    const to = this.records.offset(k);
    // A loop, not `set(subarray(...))`: a subarray is a new object per closed trade.
    for (let j = 0; j < SLOTS; j++) chunk[to + j] = records[at + j]!;
  }

  /** Every trade, in closing order; `times[d]` are the bar times of data `d`. */
  decode(times: readonly Float64Array[], datas: readonly DataFeed[]): Trade[] {
    const out: Trade[] = new Array(this.n);
    for (let k = 0; k < this.n; k++) out[k] = decodeTrade(this.records.chunk(k), this.records.offset(k), times, datas);
    return out;
  }
}
