import { ChunkedRecords } from './chunked.js';
import { decodeTrade } from './events.js';
import { TradeStatus, type Trade } from './trade.js';
import type { DataFeed } from '../feeds/datafeed.js';

/** log2 of the trades per full chunk. */
const CHUNK_BITS = 14;
/** Slots of a trade record that `decodeTrade` reads. */
const SLOTS = 17;
/** Number fields of a closed trade: [price, commission, pnl]. */
const NUMS = 3;
/** Integer fields of a closed trade: [ref, data * 2 + long, tradeid, open bar, close bar, barlen]. */
const INTS = 6;

/**
 * @internal the closed trades of one strategy, in typed-array chunks; `Trade` objects are made
 * when the result's `trades` is first read (a sweep or a bench that only counts trades never
 * makes them).
 *
 * Of the broker's 17-number record a closed trade keeps what is not implied by its being
 * closed: three numbers and six integers (72 bytes less per trade). A record that the short
 * form would not give back exactly (a size left at -0, a fractional trade id, an index past
 * 2^31) is kept whole instead, so what is read is always what the broker sent.
 */
export class ClosedTradeLog {
  private readonly nums = new ChunkedRecords((n) => new Float64Array(n), NUMS, CHUNK_BITS);
  private readonly ints = new ChunkedRecords((n) => new Int32Array(n), INTS, CHUNK_BITS);
  /** Records kept whole, by trade index. */
  private readonly whole = new Map<number, Float64Array>();
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Keeps the closed trade record at `at` of `records`. */
  push(r: Float64Array, at: number): void {
    const k = this.n++;
    const nums = this.nums.reserve(k);
    const n = this.nums.offset(k);
    const ints = this.ints.reserve(k);
    const i = this.ints.offset(k);
    const long = r[at + 12] === 1 ? 1 : 0;
    nums[n] = r[at + 7]!;
    nums[n + 1] = r[at + 9]!;
    nums[n + 2] = r[at + 10]!;
    ints[i] = r[at + 1]!;
    ints[i + 1] = r[at + 4]! * 2 + long;
    ints[i + 2] = r[at + 5]!;
    ints[i + 3] = r[at + 13]!;
    ints[i + 4] = r[at + 14]!;
    ints[i + 5] = r[at + 16]!;
    // What the short form implies: closed, flat, no value left, not just opened, pnlcomm the
    // broker's pnl - commission; and integers that fit.
    const exact =
      r[at + 3] === TradeStatus.Closed && Object.is(r[at + 6], 0) && Object.is(r[at + 8], 0) && r[at + 15] === 0 &&
      Object.is(r[at + 11], r[at + 10]! - r[at + 9]!) && (long === 1 || r[at + 12] === 0) &&
      ints[i] === r[at + 1] && ints[i + 1] === r[at + 4]! * 2 + long && ints[i + 2] === r[at + 5] && ints[i + 3] === r[at + 13] &&
      ints[i + 4] === r[at + 14] && ints[i + 5] === r[at + 16];
    if (!exact) this.whole.set(k, r.slice(at, at + SLOTS));
  }

  /** Every trade, in closing order; `times[d]` are the bar times of data `d`. */
  decode(times: readonly Float64Array[], datas: readonly DataFeed[]): Trade[] {
    const out: Trade[] = new Array(this.n);
    const r = new Float64Array(SLOTS);
    for (let k = 0; k < this.n; k++) {
      const kept = this.whole.size === 0 ? undefined : this.whole.get(k);
      if (kept !== undefined) {
        out[k] = decodeTrade(kept, 0, times, datas);
        continue;
      }
      const nums = this.nums.chunk(k);
      const n = this.nums.offset(k);
      const ints = this.ints.chunk(k);
      const i = this.ints.offset(k);
      const dataLong = ints[i + 1]!;
      r[1] = ints[i]!;
      r[3] = TradeStatus.Closed;
      r[4] = dataLong >> 1;
      r[5] = ints[i + 2]!;
      r[6] = 0;
      r[7] = nums[n]!;
      r[8] = 0;
      r[9] = nums[n + 1]!;
      r[10] = nums[n + 2]!;
      r[11] = nums[n + 2]! - nums[n + 1]!;
      r[12] = dataLong & 1;
      r[13] = ints[i + 3]!;
      r[14] = ints[i + 4]!;
      r[15] = 0;
      r[16] = ints[i + 5]!;
      out[k] = decodeTrade(r, 0, times, datas);
    }
    return out;
  }
}
