import { ChunkedRecords } from './chunked.js';
import { FillLog } from './fill-log.js';
import type { OrderEvent, OrderExecuted, OrderStatus } from './order.js';

/** Fills of one order replayed from the last kept numbers before the numbers are kept again. */
const CHECKPOINT = 16;
/** log2 of the entries per full chunk of the log. */
const CHUNK_BITS = 16;
/**
 * Entry: [previous entry of the same order (-1: none), bar, code]; code < 0: no fill, the
 * status is `~code`; code >= 0: the index of the entry's fill (in a {@link FillLog}), which
 * holds the status.
 */
const ENTRY_SLOTS = 3;

/**
 * Cumulative fills as numbers: [size, price, value, comm, pnl, remsize, bar, dt]. The order of
 * {@link OrderExecuted}'s fields; a scratch buffer, so that deriving them makes no object.
 */
const EX_SIZE = 0;
const EX_PRICE = 1;
const EX_VALUE = 2;
const EX_COMM = 3;
const EX_PNL = 4;
const EX_REMSIZE = 5;
const EX_BAR = 6;
const EX_DT = 7;

/**
 * @internal every order notification of a run, in typed-array chunks rather than one object
 * per notification: a run that sends an order on each of a million bars would otherwise keep
 * millions of small objects alive, and the garbage collector's work on them would cost more
 * than the backtest. Each order keeps the index of its latest entry; entries chain backwards,
 * and `history` objects are built only when someone reads them.
 *
 * An order's cumulative fills (`executed`) are not stored: they are the broker's own sums over
 * the order's fills (backtrader's `addbit`, the same operations in the same order, so the same
 * doubles), replayed from the log when read. Each notification's values are checked against
 * that replay as they arrive; one that differs (a broker that changed them otherwise) is kept
 * as it came, by entry, and read from there.
 */
export class OrderHistoryLog {
  private readonly entryLog = new ChunkedRecords((n) => new Int32Array(n), ENTRY_SLOTS, CHUNK_BITS);
  private readonly fillLog = new FillLog();
  private entries = 0;
  /** Cumulative fills reported by the broker where the replay gives other numbers, by entry. */
  private readonly kept = new Map<number, Float64Array>();
  /** Scratch for the replay. */
  private readonly ex = new Float64Array(8);
  /** Scratch for one fill's size, value, comm and pnl. */
  private readonly bit = new Float64Array(4);
  /** Scratch for the replay: the fills to apply, newest first. */
  private path = new Int32Array(16);
  /** How many fills the latest replay applied. */
  private walked = 0;

  /** Appends a notification without a fill; returns its index. */
  status(prev: number, status: OrderStatus, bar: number): number {
    const k = this.entries++;
    const s = this.entryLog.reserve(k);
    const at = this.entryLog.offset(k);
    s[at] = prev;
    s[at + 1] = bar;
    s[at + 2] = ~status;
    return k;
  }

  /**
   * Appends a notification with the fill of order record `r[at..]` (layout in events.ts), of an
   * order of `orderSize` whose data's bar times are `times`; returns its index.
   */
  fill(prev: number, status: OrderStatus, bar: number, orderSize: number, r: Float64Array, at: number, times: Float64Array): number {
    const f = this.fillLog.push(r, at, status, orderSize, times);
    const k = this.entries++;
    const s = this.entryLog.reserve(k);
    const e = this.entryLog.offset(k);
    s[e] = prev;
    s[e + 1] = bar;
    s[e + 2] = f;
    return k;
  }

  /** The status of entry `entry`. */
  statusOf(entry: number): OrderStatus {
    const code = this.entryLog.chunk(entry)[this.entryLog.offset(entry) + 2]!;
    return (code < 0 ? ~code : this.fillLog.status(code)) as OrderStatus;
  }

  /**
   * Checks the broker's cumulative fills of entry `entry` (`r[at]`..`r[at + 5]`: size, price,
   * value, comm, pnl, remsize) against the replay, and keeps them where they differ. `size` is
   * the order's requested size; `fresh` says that no entry before this one had a fill or was
   * kept (so the replay is at most one step from nothing, done here without walking the log).
   * Returns whether the entry was kept.
   *
   * Numbers that agree are also kept after every {@link CHECKPOINT} fills of one order, so that
   * an order filled in many parts replays a few fills, not all of them, at each notification
   * and each read.
   */
  check(entry: number, size: number, r: Float64Array, at: number, fresh: boolean): boolean {
    if (fresh) {
      const code = this.entryLog.chunk(entry)[this.entryLog.offset(entry) + 2]!;
      if (code < 0) {
        // No fill yet (the common case: Submitted, Accepted): nothing filled, all remaining.
        if (r[at] === 0 && r[at + 1] === 0 && r[at + 2] === 0 && r[at + 3] === 0 && r[at + 4] === 0 && r[at + 5] === size) return false;
      } else {
        // backtrader's addbit on an order with no fills yet.
        const bit = this.bit;
        this.fillLog.numbers(code, size, bit);
        const bitSize = bit[0]!;
        const exSize = 0 + bitSize;
        if (
          r[at] === exSize && r[at + 1] === (0 * 0 + bitSize * this.fillLog.price(code)) / exSize && r[at + 2] === 0 + bit[1]! &&
          r[at + 3] === 0 + bit[2]! && r[at + 4] === 0 + bit[3]! && r[at + 5] === size - bitSize
        ) return false;
      }
    }
    const e = this.ex;
    if (!this.replay(entry, size)) {
      if (r[at] === 0 && r[at + 1] === 0 && r[at + 2] === 0 && r[at + 3] === 0 && r[at + 4] === 0 && r[at + 5] === size) return false;
    } else if (
      r[at] === e[EX_SIZE] && r[at + 1] === e[EX_PRICE] && r[at + 2] === e[EX_VALUE] && r[at + 3] === e[EX_COMM] &&
      r[at + 4] === e[EX_PNL] && r[at + 5] === e[EX_REMSIZE] && this.walked < CHECKPOINT
    ) return false;
    const keep = new Float64Array(8);
    for (let j = 0; j < 6; j++) keep[j] = r[at + j]!;
    keep[EX_BAR] = e[EX_BAR]!;
    keep[EX_DT] = e[EX_DT]!;
    this.kept.set(entry, keep);
    return true;
  }

  /** The cumulative fills as of entry `last` (-1: none yet) of an order of `size`. */
  executed(last: number, size: number): OrderExecuted {
    this.replay(last, size);
    const e = this.ex;
    return {
      size: e[EX_SIZE]!, price: e[EX_PRICE]!, value: e[EX_VALUE]!, comm: e[EX_COMM]!, pnl: e[EX_PNL]!, remsize: e[EX_REMSIZE]!,
      bar: e[EX_BAR]!, dt: e[EX_DT]!,
    };
  }

  /**
   * Writes the cumulative fills as of entry `last` into the scratch: backtrader's `addbit` over
   * the order's fills up to it, from the nearest kept entry or the start. Returns whether the
   * order had a fill by then (or kept numbers).
   */
  private replay(last: number, size: number): boolean {
    const e = this.ex;
    let path = this.path;
    let n = 0;
    const entryLog = this.entryLog;
    const kept = this.kept;
    let from: Float64Array | undefined;
    for (let k = last; k >= 0; ) {
      if (kept.size !== 0 && (from = kept.get(k)) !== undefined) break;
      const s = entryLog.chunk(k);
      const at = entryLog.offset(k);
      if (s[at + 2]! >= 0) {
        if (n === path.length) {
          const longer = new Int32Array(n * 2);
          longer.set(path);
          this.path = path = longer;
        }
        path[n++] = s[at + 2]!;
      }
      k = s[at]!;
    }
    if (from !== undefined) e.set(from);
    else {
      e.fill(0);
      e[EX_REMSIZE] = size;
      e[EX_BAR] = -1;
      e[EX_DT] = NaN;
      if (n === 0) {
        this.walked = 0;
        return false;
      }
    }
    const fillLog = this.fillLog;
    let size_ = e[EX_SIZE]!;
    let price = e[EX_PRICE]!;
    let value = e[EX_VALUE]!;
    let comm = e[EX_COMM]!;
    let pnl = e[EX_PNL]!;
    let remsize = e[EX_REMSIZE]!;
    const bit = this.bit;
    for (let j = n - 1; j >= 0; j--) {
      const f = path[j]!;
      fillLog.numbers(f, size, bit);
      const bitSize = bit[0]!;
      remsize -= bitSize;
      const oldValue = size_ * price;
      const newValue = bitSize * fillLog.price(f);
      size_ += bitSize;
      price = (oldValue + newValue) / size_;
      value += bit[1]!;
      comm += bit[2]!;
      pnl += bit[3]!;
      if (j === 0) {
        e[EX_BAR] = fillLog.bar(f);
        e[EX_DT] = fillLog.dt(f);
      }
    }
    e[EX_SIZE] = size_;
    e[EX_PRICE] = price;
    e[EX_VALUE] = value;
    e[EX_COMM] = comm;
    e[EX_PNL] = pnl;
    e[EX_REMSIZE] = remsize;
    this.walked = n;
    return true;
  }

  /** The notifications of the order of `size` whose latest entry is `last`, oldest first. */
  events(last: number, size: number): OrderEvent[] {
    const out: OrderEvent[] = [];
    for (let k = last; k >= 0; ) {
      const s = this.entryLog.chunk(k);
      const at = this.entryLog.offset(k);
      const code = s[at + 2]!;
      const event: OrderEvent = { status: this.statusOf(k), bar: s[at + 1]! };
      if (code >= 0) event.fill = this.fillAt(code, size);
      out.push(event);
      k = s[at]!;
    }
    return out.reverse();
  }

  /** The fill of entry `entry` of an order of `size`, if it has one. */
  fillOf(entry: number, size: number): OrderEvent['fill'] {
    if (entry < 0) return undefined;
    const code = this.entryLog.chunk(entry)[this.entryLog.offset(entry) + 2]!;
    return code >= 0 ? this.fillAt(code, size) : undefined;
  }

  private fillAt(k: number, orderSize: number): NonNullable<OrderEvent['fill']> {
    const bit = this.bit;
    const log = this.fillLog;
    log.numbers(k, orderSize, bit);
    return { bar: log.bar(k), size: bit[0]!, price: log.price(k), value: bit[1]!, comm: bit[2]!, pnl: bit[3]! };
  }
}
