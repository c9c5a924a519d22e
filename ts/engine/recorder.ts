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
 * position (size, price) of every data and the fund value. Arrays are allocated once; each bar
 * costs a few array stores read from the broker's shared state (no call into the addon).
 */
export class BarRecorder {
  readonly positions: RecordedPosition[];
  readonly fundValue: Float64Array;
  readonly startValue: number;
  readonly startFundValue: number;
  private readonly state: Float64Array;

  constructor(bars: number, broker: Broker) {
    this.positions = broker.datas.map(() => ({ size: new Float64Array(bars), price: new Float64Array(bars) }));
    this.fundValue = new Float64Array(bars);
    this.state = broker.state;
    this.startValue = broker.getCash();
    this.startFundValue = broker.fundValue;
  }

  /** Stores bar `i`, whose account value is `value`. */
  record(i: number, value: number): void {
    const s = this.state;
    const pos = this.positions;
    for (let d = 0; d < pos.length; d++) {
      pos[d]!.size[i] = s[HEADER + 2 * d]!;
      pos[d]!.price[i] = s[HEADER + 2 * d + 1]!;
    }
    // The fund value follows the value every bar; shares change only with added cash.
    this.fundValue[i] = value / s[4]!;
  }
}
