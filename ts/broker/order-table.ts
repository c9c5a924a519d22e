import { ChunkedRecords } from './chunked.js';
import { OrderHistoryLog } from './order-history.js';

/** log2 of the rows per full chunk. */
const CHUNK_BITS = 14;

/**
 * @internal the fields of an order that {@link OrderTable.get} reads. A plain object literal,
 * not an enum: an enum object with this many members is kept in dictionary mode by V8, and
 * every read of it on the hot path became a slow keyed lookup.
 */
export const Slot = {
  Status: 0,
  /** Index of the order's latest entry in the history log (-1: none). */
  Last: 1,
  Owner: 2,
  Data: 3,
  Size: 4,
  Exectype: 5,
  Tradeid: 6,
  CreatedBar: 7,
  CreatedDt: 8,
  CreatedPrice: 9,
  CreatedPlimit: 10,
  CreatedValid: 11,
  /** Bracket parent's ref, OCO partner's ref (NaN: none). */
  Parent: 12,
  Oco: 13,
} as const;

/** @internal one field of an order. */
export type Slot = (typeof Slot)[keyof typeof Slot];

/**
 * Integer fields of a row: [status | exectype << 4 | FILLED | KEPT, latest history entry, owner,
 * data, created bar]. Status and exectype share an int (both fit in 4 bits); the status is what a
 * notification writes.
 */
const INTS = 5;
const I_KIND = 0;
const I_LAST = 1;
const I_OWNER = 2;
const I_DATA = 3;
const I_BAR = 4;
/** Bits of the first int: the order has had a fill; its log has kept cumulative fills. */
const FILLED = 1 << 8;
const KEPT = 1 << 9;
/** Number fields of a row: [size, reference price, creation time]. */
const NUMS = 3;
const N_SIZE = 0;
const N_PRICE = 1;
const N_DT = 2;

/** What few orders have (a limit price, an expiry, a bracket or OCO group, a trade id), by ref. */
interface RareFields {
  plimit: number;
  valid: number;
  parent: number;
  oco: number;
  tradeid: number;
}

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
 * @internal every order of a run, in typed-array columns: `Order` objects are views of a row,
 * so the broker keeps no object per order and a run that sends an order on each of a million
 * bars leaves the garbage collector nothing to trace but the few orders the strategy holds.
 *
 * A row keeps only what an order is created with and where its history ends: the status
 * changes and fills are in {@link log}, and the cumulative fills are derived from them. Fields
 * most orders leave at their default (a limit price, an expiry, a bracket or OCO partner, a
 * trade id) and those rarely set (a reason, `info`) are kept by ref in maps.
 */
export class OrderTable {
  readonly log = new OrderHistoryLog();
  private readonly ints = new ChunkedRecords((n) => new Int32Array(n), INTS, CHUNK_BITS);
  private readonly nums = new ChunkedRecords((n) => new Float64Array(n), NUMS, CHUNK_BITS);
  private rows = 0;
  private readonly rare = new Map<number, RareFields>();
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
    this.rare.delete(ref);
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
    const ints = this.ints.reserve(k);
    const i = this.ints.offset(k);
    ints[i + I_KIND] = status | (exectype << 4);
    ints[i + I_LAST] = -1;
    ints[i + I_OWNER] = owner;
    ints[i + I_DATA] = data;
    ints[i + I_BAR] = createdBar;
    const nums = this.nums.reserve(k);
    const n = this.nums.offset(k);
    nums[n + N_SIZE] = size;
    nums[n + N_PRICE] = createdPrice;
    nums[n + N_DT] = createdDt;
    if (tradeid !== 0 || createdPlimit === createdPlimit || createdValid === createdValid || parent === parent || oco === oco) {
      this.rare.set(k + 1, { plimit: createdPlimit, valid: createdValid, parent, oco, tradeid });
    }
    return k + 1;
  }

  /** Order `ref`'s status. `ref` must be an int (see {@link status}'s callers). */
  status(ref: number): number {
    return this.ints.chunk(ref - 1)[this.ints.offset(ref - 1) + I_KIND]! & 15;
  }

  /** Sets order `ref`'s status (a notification, or a bracket sent as a group). */
  setStatus(ref: number, status: number): void {
    const c = this.ints.chunk(ref - 1);
    const at = this.ints.offset(ref - 1) + I_KIND;
    c[at] = (c[at]! & ~15) | status;
  }

  /**
   * Records a notification of order `ref`: its status now, and `entry` (from {@link log}) as
   * its latest history entry, with a fill or not. Returns whether, before it, the order had
   * neither a fill nor kept cumulative fills (what `log.check` calls fresh).
   */
  notified(ref: number, status: number, entry: number, fill: boolean): boolean {
    const c = this.ints.chunk(ref - 1);
    const at = this.ints.offset(ref - 1);
    const kind = c[at + I_KIND]!;
    c[at + I_KIND] = (kind & ~15) | status | (fill ? FILLED : 0);
    c[at + I_LAST] = entry;
    return (kind & (FILLED | KEPT)) === 0;
  }

  /** Notes that the log kept cumulative fills of order `ref`. */
  kept(ref: number): void {
    const c = this.ints.chunk(ref - 1);
    const at = this.ints.offset(ref - 1) + I_KIND;
    c[at] = c[at]! | KEPT;
  }

  /** Order `ref`'s latest history entry (-1: none). */
  last(ref: number): number {
    return this.ints.chunk(ref - 1)[this.ints.offset(ref - 1) + I_LAST]!;
  }

  /** Order `ref`'s owner (the strategy's index). */
  owner(ref: number): number {
    return this.ints.chunk(ref - 1)[this.ints.offset(ref - 1) + I_OWNER]!;
  }

  /** Order `ref`'s data index. */
  data(ref: number): number {
    return this.ints.chunk(ref - 1)[this.ints.offset(ref - 1) + I_DATA]!;
  }

  /** Order `ref`'s requested size. */
  size(ref: number): number {
    return this.nums.chunk(ref - 1)[this.nums.offset(ref - 1) + N_SIZE]!;
  }

  /** One field of order `ref`. */
  get(ref: number, slot: Slot): number {
    const k = ref - 1;
    const ints = this.ints.chunk(k);
    const i = this.ints.offset(k);
    const nums = this.nums.chunk(k);
    const n = this.nums.offset(k);
    switch (slot) {
      case Slot.Status: return ints[i + I_KIND]! & 15;
      case Slot.Exectype: return (ints[i + I_KIND]! >> 4) & 15;
      case Slot.Last: return ints[i + I_LAST]!;
      case Slot.Owner: return ints[i + I_OWNER]!;
      case Slot.Data: return ints[i + I_DATA]!;
      case Slot.Size: return nums[n + N_SIZE]!;
      case Slot.CreatedBar: return ints[i + I_BAR]!;
      case Slot.CreatedDt: return nums[n + N_DT]!;
      case Slot.CreatedPrice: return nums[n + N_PRICE]!;
      default: {
        const r = this.rare.get(ref);
        if (slot === Slot.Tradeid) return r === undefined ? 0 : r.tradeid;
        if (r === undefined) return NaN;
        return slot === Slot.CreatedPlimit ? r.plimit : slot === Slot.CreatedValid ? r.valid : slot === Slot.Parent ? r.parent : r.oco;
      }
    }
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
