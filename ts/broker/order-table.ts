import { ChunkedRecords } from './chunked.js';
import { OrderHistoryLog } from './order-history.js';

/** log2 of the rows per full chunk. */
const CHUNK_BITS = 14;

/**
 * @internal slots of an order's row. A plain object literal, not an enum: an enum object with
 * this many members is kept in dictionary mode by V8, and every read of it on the hot path
 * became a slow keyed lookup.
 */
export const Slot = {
  Status: 0,
  ExSize: 1,
  ExPrice: 2,
  ExValue: 3,
  ExComm: 4,
  ExPnl: 5,
  ExRemsize: 6,
  ExBar: 7,
  ExDt: 8,
  /** Index of the order's latest entry in the history log (-1: none). */
  Last: 9,
  CreatedBar: 10,
  CreatedDt: 11,
  CreatedPrice: 12,
  CreatedPlimit: 13,
  CreatedValid: 14,
  Owner: 15,
  Data: 16,
  Size: 17,
  Exectype: 18,
  Tradeid: 19,
  /** Bracket parent's ref, OCO partner's ref (NaN: none). */
  Parent: 20,
  Oco: 21,
} as const;

/** @internal one slot of an order's row. */
export type Slot = (typeof Slot)[keyof typeof Slot];

/** @internal slots per row. */
export const ROW = 22;

/** @internal the fields an order is created with. */
export interface NewOrderRow {
  owner: number;
  data: number;
  size: number;
  exectype: number;
  tradeid: number;
  createdBar: number;
  createdDt: number;
  createdPrice: number;
  createdPlimit: number;
  createdValid: number;
  parent: number;
  oco: number;
}

/** The strategy side of an order, for `order.then()`. */
export interface OrderPlacer {
  buy(o: object): unknown;
  sell(o: object): unknown;
}

/**
 * @internal every order of a run, one row of numbers each in typed-array chunks. `Order`
 * objects are views of a row: the broker keeps no object per order, so a run that sends an
 * order on each of a million bars leaves the garbage collector nothing to trace but the few
 * orders the strategy holds. What is rarely set (a reason, `info`) is kept by ref in maps.
 */
export class OrderTable {
  readonly log = new OrderHistoryLog();
  private readonly rowsStore = new ChunkedRecords((n) => new Float64Array(n), ROW, CHUNK_BITS);
  private rows = 0;
  private readonly reasons = new Map<number, string>();
  private readonly infos = new Map<number, Record<string, unknown>>();
  /** The strategy that placed each owner's orders. */
  readonly placers: (OrderPlacer | undefined)[] = [];

  /** Number of orders (the latest ref). */
  get count(): number {
    return this.rows;
  }

  /** @internal Takes back the newest row (its placement failed half way). */
  pop(ref: number): void {
    if (ref !== this.rows) throw new Error(`only the newest order (${this.rows}) can be taken back, not ${ref}`);
    this.rows--;
    this.reasons.delete(ref);
    this.infos.delete(ref);
  }

  /** Adds a row and returns the order's ref (1 for the first). */
  add(o: NewOrderRow, status: number): number {
    return this.addRow(
      o.owner, o.data, o.size, o.exectype, o.tradeid, o.createdBar, o.createdDt, o.createdPrice, o.createdPlimit, o.createdValid,
      o.parent, o.oco, status,
    );
  }

  /** {@link add} with the fields as arguments (the broker's per-order path: no object made). */
  addRow(
    owner: number, data: number, size: number, exectype: number, tradeid: number, createdBar: number, createdDt: number,
    createdPrice: number, createdPlimit: number, createdValid: number, parent: number, oco: number, status: number,
  ): number {
    const k = this.rows++;
    const r = this.rowsStore.reserve(k);
    const at = this.rowsStore.offset(k);
    r[at + Slot.Status] = status;
    r[at + Slot.ExSize] = 0;
    r[at + Slot.ExPrice] = 0;
    r[at + Slot.ExValue] = 0;
    r[at + Slot.ExComm] = 0;
    r[at + Slot.ExPnl] = 0;
    r[at + Slot.ExRemsize] = size;
    r[at + Slot.ExBar] = -1;
    r[at + Slot.ExDt] = NaN;
    r[at + Slot.Last] = -1;
    r[at + Slot.CreatedBar] = createdBar;
    r[at + Slot.CreatedDt] = createdDt;
    r[at + Slot.CreatedPrice] = createdPrice;
    r[at + Slot.CreatedPlimit] = createdPlimit;
    r[at + Slot.CreatedValid] = createdValid;
    r[at + Slot.Owner] = owner;
    r[at + Slot.Data] = data;
    r[at + Slot.Size] = size;
    r[at + Slot.Exectype] = exectype;
    r[at + Slot.Tradeid] = tradeid;
    r[at + Slot.Parent] = parent;
    r[at + Slot.Oco] = oco;
    return k + 1;
  }

  /**
   * The chunk holding order `ref`'s row, for reading it now (the first chunk is replaced while
   * it grows, so it is not to be kept). `ref` must be an int: an index computed as a float (a
   * ref read from a Float64Array) makes V8 fall back to its slowest generic element access.
   */
  chunkOf(ref: number): Float64Array {
    return this.rowsStore.chunk(ref - 1);
  }

  /** Where order `ref`'s row starts in its chunk. */
  offsetOf(ref: number): number {
    return this.rowsStore.offset(ref - 1);
  }

  /** One slot of order `ref`. */
  get(ref: number, slot: Slot): number {
    return this.chunkOf(ref)[this.offsetOf(ref) + slot]!;
  }

  /** Sets one slot of order `ref`. */
  set(ref: number, slot: Slot, value: number): void {
    this.chunkOf(ref)[this.offsetOf(ref) + slot] = value;
  }

  reason(ref: number): string | undefined {
    return this.reasons.get(ref);
  }

  setReason(ref: number, reason: string): void {
    this.reasons.set(ref, reason);
  }

  /** Order `ref`'s `info`, made on first use. */
  info(ref: number): Record<string, unknown> {
    let info = this.infos.get(ref);
    if (info === undefined) this.infos.set(ref, (info = {}));
    return info;
  }

  /** Attaches `info` to order `ref` (kept only when it has keys, or when asked for later). */
  setInfo(ref: number, info: Record<string, unknown>): void {
    this.infos.set(ref, info);
  }
}
