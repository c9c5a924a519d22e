import { native } from '../native.js';
import type { Broker } from '../broker/broker.js';
import { ChunkedRecords } from '../broker/chunked.js';
import { takeColumn } from './column-pool.js';

/** Per-bar position of one data, as the run recorded it. */
export interface RecordedPosition {
  /** Signed size after the bar's fills. */
  size: Float64Array;
  /** Average entry price (0 when flat). */
  price: Float64Array;
}

const HEADER = native.STATE_HEADER_SIZE;

/**
 * @internal records, per bar, what analyzers and observers need beyond the value: the cash, the
 * position (size, price) of every data and the fund value. Cash, positions and fund shares
 * change only on fills, interest and added cash, so each bar costs a comparison per column; the
 * changes are kept as a log and the per-bar arrays are built the first time they are read. (A
 * column written on every bar was fresh memory faulted in page by page: about 10 ns per bar for
 * each column, and 8 MB per million bars kept with the result.)
 */
export class BarRecorder {
  readonly startValue: number;
  readonly startFundValue: number;
  private readonly bars: number;
  private readonly state: Float64Array;
  private readonly lastSize: Float64Array;
  private readonly lastPrice: Float64Array;
  /** Per data: records (bar, size, price) where the position changed, and how many. */
  private readonly changes: { log: ChunkedRecords<Float64Array>; n: number }[];
  /** Records (bar, cash) where the cash changed, and how many. */
  private readonly cashChanges = new ChunkedRecords((n) => new Float64Array(n), 2, 12);
  private cashCount = 0;
  private lastCash = NaN;
  /** [bar, shares, ...] where the fund's shares changed. */
  private readonly shareChanges: number[] = [];
  private lastShares: number;
  private value: Float64Array | null = null;
  private builtPositions: RecordedPosition[] | null = null;
  private builtFund: Float64Array | null = null;

  constructor(bars: number, broker: Broker) {
    const n = broker.datas.length;
    this.bars = bars;
    this.state = broker.state;
    this.lastSize = new Float64Array(n);
    this.lastPrice = new Float64Array(n);
    // Typed chunks, not a growing number array: an order on every bar changes the position on
    // every bar, and the array's growth copied and faulted in fresh memory millions of times.
    this.changes = broker.datas.map(() => ({ log: new ChunkedRecords((n) => new Float64Array(n), 3, 12), n: 0 }));
    this.startValue = broker.getCash();
    this.startFundValue = broker.fundValue;
    this.lastShares = this.state[4]!;
    this.shareChanges.push(0, this.lastShares);
  }

  /** Notes bar `i`. */
  record(i: number): void {
    const s = this.state;
    for (let d = 0; d < this.lastSize.length; d++) {
      const size = s[HEADER + 2 * d]!;
      const price = s[HEADER + 2 * d + 1]!;
      if (size !== this.lastSize[d] || price !== this.lastPrice[d]) {
        const c = this.changes[d]!;
        const k = c.n++;
        const chunk = c.log.reserve(k);
        const at = c.log.offset(k);
        chunk[at] = i;
        chunk[at + 1] = size;
        chunk[at + 2] = price;
        this.lastSize[d] = size;
        this.lastPrice[d] = price;
      }
    }
    const cash = s[0]!;
    // (NaN never equals itself: the first bar is always logged.)
    if (cash !== this.lastCash) {
      const k = this.cashCount++;
      const chunk = this.cashChanges.reserve(k);
      const at = this.cashChanges.offset(k);
      chunk[at] = i;
      chunk[at + 1] = cash;
      this.lastCash = cash;
    }
    const shares = s[4]!;
    if (shares !== this.lastShares) {
      this.shareChanges.push(i, shares);
      this.lastShares = shares;
    }
  }

  /**
   * The cash at every bar, as the strategies saw it in `next()`: a new column on each call (each
   * strategy's result gets its own), from the sweep's column pool when one is on.
   */
  cashColumn(): Float64Array {
    const out = takeColumn(this.bars);
    const log = this.cashChanges;
    const n = this.cashCount;
    for (let k = 0; k < n; k++) {
      const at = log.offset(k);
      const to = k + 1 < n ? log.chunk(k + 1)[log.offset(k + 1)]! : this.bars;
      out.fill(log.chunk(k)[at + 1]!, log.chunk(k)[at]!, to);
    }
    return out;
  }

  /** @internal the run's per-bar value, from which the fund value follows. */
  attachValue(value: Float64Array): void {
    this.value = value;
  }

  /** Position of every data at every bar. */
  get positions(): RecordedPosition[] {
    if (this.builtPositions === null) {
      this.builtPositions = this.changes.map(({ log, n }) => {
        const size = new Float64Array(this.bars);
        const price = new Float64Array(this.bars);
        for (let k = 0; k < n; k++) {
          const chunk = log.chunk(k);
          const at = log.offset(k);
          const from = chunk[at]!;
          const to = k + 1 < n ? log.chunk(k + 1)[log.offset(k + 1)]! : this.bars;
          size.fill(chunk[at + 1]!, from, to);
          price.fill(chunk[at + 2]!, from, to);
        }
        return { size, price };
      });
    }
    return this.builtPositions;
  }

  /** The fund value (value per share) at every bar. */
  get fundValue(): Float64Array {
    if (this.builtFund === null) {
      const out = new Float64Array(this.bars);
      const log = this.shareChanges;
      const value = this.value ?? new Float64Array(this.bars);
      for (let k = 0; k < log.length; k += 2) {
        const from = log[k]!;
        const to = k + 2 < log.length ? log[k + 2]! : this.bars;
        const shares = log[k + 1]!;
        for (let i = from; i < to; i++) out[i] = value[i]! / shares;
      }
      this.builtFund = out;
    }
    return this.builtFund;
  }
}
