import type { Level2Feed } from '../feeds/level2.js';

/**
 * The order book of a Level2 data at the current tick (`this.book(data)` in a strategy). Reads
 * the feed's columns where the engine's cursor is: no copy, no allocation, no call into the
 * addon. Absent levels (NaN prices) are skipped. Prices and sizes are the historical book; the
 * liquidity your own fills took is not subtracted (the simulated exchange tracks that).
 *
 * ```ts
 * const book = this.book(this.data);
 * if (book.imbalance(5) > 0.6 && book.spread() <= 0.02) this.buy({ size: 10 });
 * const px = book.avgBuyPrice(500);   // average over the levels it takes
 * if (book.filled < 500) ...          // the depth ran out
 * ```
 */
export class BookView {
  /** Amount filled by the last `avgBuyPrice` / `avgSellPrice` call (less when depth ran out). */
  filled = 0;
  private readonly bp: Float64Array[];
  private readonly bv: Float64Array[];
  private readonly ap: Float64Array[];
  private readonly av: Float64Array[];
  private readonly feed: Level2Feed;

  constructor(feed: Level2Feed) {
    this.feed = feed;
    this.bp = feed.book.bidPrice;
    this.bv = feed.book.bidVolume;
    this.ap = feed.book.askPrice;
    this.av = feed.book.askVolume;
  }

  /** Levels per side in the data. */
  get depth(): number {
    return this.bp.length;
  }

  /** Price of bid level `k` (0 = best); NaN when absent. */
  bidPrice(k = 0): number {
    return this.bp[k]?.[this.feed.cursor.i] ?? NaN;
  }
  /** Size at bid level `k`. */
  bidSize(k = 0): number {
    return this.bv[k]?.[this.feed.cursor.i] ?? NaN;
  }
  /** Price of ask level `k` (0 = best); NaN when absent. */
  askPrice(k = 0): number {
    return this.ap[k]?.[this.feed.cursor.i] ?? NaN;
  }
  /** Size at ask level `k`. */
  askSize(k = 0): number {
    return this.av[k]?.[this.feed.cursor.i] ?? NaN;
  }
  /** Best bid price. */
  bestBid(): number {
    return this.bidPrice(0);
  }
  /** Best ask price. */
  bestAsk(): number {
    return this.askPrice(0);
  }
  /** Midpoint of the best bid and ask (NaN when a side is empty). */
  mid(): number {
    const i = this.feed.cursor.i;
    return (this.bp[0]![i]! + this.ap[0]![i]!) * 0.5;
  }
  /** Best ask minus best bid. */
  spread(): number {
    const i = this.feed.cursor.i;
    return this.ap[0]![i]! - this.bp[0]![i]!;
  }

  private sum(prices: Float64Array[], sizes: Float64Array[], n: number): number {
    const i = this.feed.cursor.i;
    let total = 0;
    const m = Math.min(n, prices.length);
    for (let k = 0; k < m; k++) {
      if (prices[k]![i]! !== prices[k]![i]!) break;
      total += sizes[k]![i]!;
    }
    return total;
  }

  /** Total size of the best `n` levels of a side. */
  depthOf(side: 'bid' | 'ask', n = this.depth): number {
    return side === 'bid' ? this.sum(this.bp, this.bv, n) : this.sum(this.ap, this.av, n);
  }

  /** `(bid - ask) / (bid + ask)` over the sizes of the best `n` levels (NaN for an empty book). */
  imbalance(n = this.depth): number {
    const b = this.sum(this.bp, this.bv, n);
    const a = this.sum(this.ap, this.av, n);
    return (b - a) / (b + a);
  }

  private sweep(prices: Float64Array[], sizes: Float64Array[], amount: number): number {
    const i = this.feed.cursor.i;
    let left = amount;
    let notional = 0;
    for (let k = 0; k < prices.length && left > 0; k++) {
      const p = prices[k]![i]!;
      if (p !== p) break;
      const s = sizes[k]![i]!;
      const take = s < left ? s : left;
      notional += take * p;
      left -= take;
    }
    this.filled = amount - left;
    return this.filled > 0 ? notional / this.filled : NaN;
  }

  /** Average price of buying `amount` from the asks; `filled` says how much the depth gave. */
  avgBuyPrice(amount: number): number {
    return this.sweep(this.ap, this.av, amount);
  }
  /** Average price of selling `amount` into the bids; `filled` says how much the depth gave. */
  avgSellPrice(amount: number): number {
    return this.sweep(this.bp, this.bv, amount);
  }

  /** Size a buyer can take at or below `limit`. */
  buyAvailable(limit: number): number {
    const i = this.feed.cursor.i;
    let total = 0;
    for (let k = 0; k < this.ap.length; k++) {
      const p = this.ap[k]![i]!;
      if (!(p <= limit)) break;
      total += this.av[k]![i]!;
    }
    return total;
  }
  /** Size a seller can hit at or above `limit`. */
  sellAvailable(limit: number): number {
    const i = this.feed.cursor.i;
    let total = 0;
    for (let k = 0; k < this.bp.length; k++) {
      const p = this.bp[k]![i]!;
      if (!(p >= limit)) break;
      total += this.bv[k]![i]!;
    }
    return total;
  }
}
