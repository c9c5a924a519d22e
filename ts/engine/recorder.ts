import { native } from '../native.js';
import type { Broker } from '../broker/broker.js';

/** Per-bar position of one data, as the run recorded it. */
export interface RecordedPosition {
  /** Signed size after the bar's fills. */
  size: Float64Array;
  /** Average entry price (0 when flat). */
  price: Float64Array;
}

const HEADER = native.STATE_HEADER_SIZE;

/**
 * @internal records, per bar, what analyzers and observers need beyond cash and value: the
 * position (size, price) of every data and the fund value. Positions and fund shares change only
 * on fills and added cash, so each bar costs a comparison per data; the changes are kept as a
 * log and the per-bar arrays are built the first time they are read.
 */
export class BarRecorder {
  readonly startValue: number;
  readonly startFundValue: number;
  private readonly bars: number;
  private readonly state: Float64Array;
  private readonly lastSize: Float64Array;
  private readonly lastPrice: Float64Array;
  /** Per data: [bar, size, price, bar, size, price, ...] where the position changed. */
  private readonly changes: number[][];
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
    this.changes = broker.datas.map(() => []);
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
        this.changes[d]!.push(i, size, price);
        this.lastSize[d] = size;
        this.lastPrice[d] = price;
      }
    }
    const shares = s[4]!;
    if (shares !== this.lastShares) {
      this.shareChanges.push(i, shares);
      this.lastShares = shares;
    }
  }

  /** @internal the run's per-bar value, from which the fund value follows. */
  attachValue(value: Float64Array): void {
    this.value = value;
  }

  /** Position of every data at every bar. */
  get positions(): RecordedPosition[] {
    if (this.builtPositions === null) {
      this.builtPositions = this.changes.map((log) => {
        const size = new Float64Array(this.bars);
        const price = new Float64Array(this.bars);
        for (let k = 0; k < log.length; k += 3) {
          const from = log[k]!;
          const to = k + 3 < log.length ? log[k + 3]! : this.bars;
          size.fill(log[k + 1]!, from, to);
          price.fill(log[k + 2]!, from, to);
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
