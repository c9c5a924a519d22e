import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';

/** One change of the book: action `add`/`update` set the level's total size (0 removes it). */
export interface BookDelta {
  seq: number;
  side: 'bid' | 'ask';
  action: 'add' | 'update' | 'delete' | 'clear';
  price: number;
  size: number;
}

/** A price level. */
export interface BookLevel {
  price: number;
  size: number;
}

/** What the repair mode fixed (see docs/orderbook.md). */
export interface BookRepairs {
  gaps: number;
  outOfOrder: number;
  invalid: number;
  uncrossedLevels: number;
}

const ACTIONS = { add: 0, update: 1, delete: 2, clear: 3 } as const;

/**
 * A full-depth Level2 book maintained from deltas with sequence numbers (the Rust core's book).
 * In strict mode a gap, a late sequence number, a bad price or size, or a change that crosses
 * the book throws a `BookError` naming the sequence number and leaves the book as it was; with
 * `{ repair: true }` such deltas are fixed or dropped and counted in `repairs`.
 */
export class OrderBook {
  private readonly core: InstanceType<typeof native.NativeOrderBook>;

  constructor(options: { repair?: boolean } = {}) {
    this.core = new native.NativeOrderBook(options.repair ?? false);
  }

  /**
   * Frees the book's native memory now, leaving an empty book (no levels, no sequence number).
   * Without it the memory waits for the garbage collector, which does not see it: a process
   * that makes many books (one per replayed session, say) should dispose of each, or use
   * `using book = new OrderBook()`.
   */
  dispose(): void {
    this.core.dispose();
  }

  /** `using book = new OrderBook()` disposes of the book at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * Applies deltas in order (one call into the addon for the whole batch), all or nothing:
   * when one is refused the book is left as it was before the batch.
   */
  apply(deltas: readonly BookDelta[]): void {
    if (!Array.isArray(deltas)) throw new ParamError(`apply takes an array of deltas { seq, side, action, price, size }, got ${deltas === null ? 'null' : typeof deltas}`);
    const n = deltas.length;
    const seq = new Float64Array(n);
    const side = new Uint8Array(n);
    const action = new Uint8Array(n);
    const price = new Float64Array(n);
    const size = new Float64Array(n);
    deltas.forEach((d, k) => {
      if (d === null || typeof d !== 'object') throw new ParamError(`delta ${k} must be an object { seq, side, action, price, size }`);
      const a = ACTIONS[d.action as keyof typeof ACTIONS];
      if (a === undefined) throw new ParamError(`delta ${k}: action must be add, update, delete or clear, got '${String(d.action)}'`);
      if (d.side !== 'bid' && d.side !== 'ask' && d.action !== 'clear') throw new ParamError(`delta ${k}: side must be 'bid' or 'ask'`);
      seq[k] = d.seq;
      side[k] = d.side === 'ask' ? 1 : 0;
      action[k] = a;
      price[k] = d.price;
      size[k] = d.size;
    });
    callNative(() => this.core.applyColumns(seq, side, action, price, size));
  }

  /**
   * Replaces the book with these levels (any order; O(n log n)); the next delta must carry
   * `seq + 1`. A price given twice on one side is refused (`BookError` kind `duplicate_price`).
   */
  loadSnapshot(seq: number, bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    if (typeof seq !== 'number') throw new ParamError(`loadSnapshot: the sequence number must be a number, got ${typeof seq}`);
    if (!Array.isArray(bids) || !Array.isArray(asks)) throw new ParamError('loadSnapshot takes (seq, bids, asks) with bids and asks arrays of { price, size }');
    const flat = (l: readonly BookLevel[]) => Float64Array.from(l.flatMap((x) => [x.price, x.size]));
    callNative(() => this.core.loadSnapshot(seq, flat(bids), flat(asks)));
  }

  /** The best `n` levels of each side (default all), best first. */
  snapshot(n = 0xffffffff): { seq: number | null; bids: BookLevel[]; asks: BookLevel[] } {
    const lv = (side: number) => {
      const flat = this.core.levels(side, n);
      const out: BookLevel[] = [];
      for (let k = 0; k < flat.length; k += 2) out.push({ price: flat[k]!, size: flat[k + 1]! });
      return out;
    };
    const seq = this.core.status()[0]!;
    return { seq: seq < 0 ? null : seq, bids: lv(0), asks: lv(1) };
  }

  /** What the repair mode has fixed so far. */
  get repairs(): BookRepairs {
    const s = this.core.status();
    return { gaps: s[1]!, outOfOrder: s[2]!, invalid: s[3]!, uncrossedLevels: s[4]! };
  }

  mid(): number {
    return this.core.mid();
  }
  spread(): number {
    return this.core.spread();
  }
  /** Total size of the best `n` levels of a side. */
  depth(side: 'bid' | 'ask', n: number): number {
    return this.core.depth(side === 'ask' ? 1 : 0, n);
  }
  /** `(bid - ask) / (bid + ask)` over the best `n` levels. */
  imbalance(n: number): number {
    return this.core.imbalance(n);
  }
  /** Average price and filled amount of buying `amount` from the asks. */
  avgBuyPrice(amount: number): { price: number; filled: number } {
    const [price, filled] = this.core.avgBuyPrice(amount);
    return { price: price!, filled: filled! };
  }
  /** Average price and filled amount of selling `amount` into the bids. */
  avgSellPrice(amount: number): { price: number; filled: number } {
    const [price, filled] = this.core.avgSellPrice(amount);
    return { price: price!, filled: filled! };
  }
  /** Size a buyer can take at or below `limit`. */
  buyAvailable(limit: number): number {
    return this.core.buyAvailable(limit);
  }
  /** Size a seller can hit at or above `limit`. */
  sellAvailable(limit: number): number {
    return this.core.sellAvailable(limit);
  }
}
