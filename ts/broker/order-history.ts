import { ChunkedRecords } from './chunked.js';
import type { OrderEvent, OrderStatus } from './order.js';

/** log2 of the entries per full chunk of the log. */
const CHUNK_BITS = 16;
/** Status entry: [previous entry of the same order (-1: none), status, bar, fill index (-1: none)]. */
const STATUS_SLOTS = 4;
/** Fill: [bar, size, price, value, comm, pnl]. */
const FILL_SLOTS = 6;

/**
 * @internal every order notification of a run, in typed-array chunks rather than one object
 * per notification: a run that sends an order on each of a million bars would otherwise keep
 * millions of small objects alive, and the garbage collector's work on them would cost more
 * than the backtest. Each order keeps the index of its latest entry; entries chain backwards,
 * and `history` objects are built only when someone reads them.
 */
export class OrderHistoryLog {
  private readonly statusLog = new ChunkedRecords((n) => new Int32Array(n), STATUS_SLOTS, CHUNK_BITS);
  private readonly fillLog = new ChunkedRecords((n) => new Float64Array(n), FILL_SLOTS, CHUNK_BITS);
  private entries = 0;
  private fills = 0;

  /** Appends a notification without a fill; returns its index. */
  status(prev: number, status: OrderStatus, bar: number): number {
    return this.entry(prev, status, bar, -1);
  }

  /** Appends a notification with a fill; returns its index. */
  fill(prev: number, status: OrderStatus, bar: number, fillBar: number, size: number, price: number, value: number, comm: number, pnl: number): number {
    const k = this.fills++;
    const f = this.fillLog.reserve(k);
    const at = this.fillLog.offset(k);
    f[at] = fillBar;
    f[at + 1] = size;
    f[at + 2] = price;
    f[at + 3] = value;
    f[at + 4] = comm;
    f[at + 5] = pnl;
    return this.entry(prev, status, bar, k);
  }

  private entry(prev: number, status: number, bar: number, fill: number): number {
    const k = this.entries++;
    const s = this.statusLog.reserve(k);
    const at = this.statusLog.offset(k);
    s[at] = prev;
    s[at + 1] = status;
    s[at + 2] = bar;
    s[at + 3] = fill;
    return k;
  }

  /** The notifications of the order whose latest entry is `last`, oldest first. */
  events(last: number): OrderEvent[] {
    const out: OrderEvent[] = [];
    for (let k = last; k >= 0; ) {
      const s = this.statusLog.chunk(k);
      const at = this.statusLog.offset(k);
      const fill = s[at + 3]!;
      const event: OrderEvent = { status: s[at + 1]! as OrderStatus, bar: s[at + 2]! };
      if (fill >= 0) event.fill = this.fillAt(fill);
      out.push(event);
      k = s[at]!;
    }
    return out.reverse();
  }

  /** The fill of entry `entry`, if it has one. */
  fillOf(entry: number): OrderEvent['fill'] {
    if (entry < 0) return undefined;
    const fill = this.statusLog.chunk(entry)[this.statusLog.offset(entry) + 3]!;
    return fill >= 0 ? this.fillAt(fill) : undefined;
  }

  private fillAt(k: number): NonNullable<OrderEvent['fill']> {
    const f = this.fillLog.chunk(k);
    const at = this.fillLog.offset(k);
    return { bar: f[at]!, size: f[at + 1]!, price: f[at + 2]!, value: f[at + 3]!, comm: f[at + 4]!, pnl: f[at + 5]! };
  }
}
