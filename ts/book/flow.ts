import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import { Line } from '../lines/line.js';
import type { Level2Feed } from '../feeds/level2.js';

/**
 * These lines are computed once over a whole feed. A live feed's columns hold room beyond the
 * rows that have arrived, so its size and its columns' length differ: refused by name rather
 * than computed over rows that are not there yet.
 */
function wholeFeedOnly(what: string, feed: Level2Feed): void {
  if (feed.size !== feed.book.last.length) {
    throw new ParamError(`${what} has no live form yet: it is computed over a whole Level2 feed; in a live session compute it from the ticks in onTick`);
  }
}

/** Lines of {@link largeOrders}, one value per tick of the feed. */
export interface LargeOrderLines {
  /** Notional of the tick's trade when it is a buy of at least the threshold (else 0). */
  buy: Line;
  /** Same for sells. */
  sell: Line;
  /** Running large buys minus large sells. */
  net: Line;
}

/** Lines of {@link moneyFlow}, one value per tick of the feed. */
export interface MoneyFlowLines {
  /** Buy notional over the last `period` ticks. */
  inflow: Line;
  /** Sell notional over the last `period` ticks. */
  outflow: Line;
  /** `inflow - outflow`. */
  net: Line;
  /** `inflow / (inflow + outflow)`: 1 all buying, 0 all selling, NaN without trades. */
  ratio: Line;
}

/**
 * Large-order detector over a Level2 feed's trades: trades of at least `threshold` notional
 * (price × volume), split by aggressor side, and their net flow. Computed once over the whole
 * feed in Rust; read it by tick in the callbacks (`lo.net.get(0)`).
 */
export function largeOrders(feed: Level2Feed, options: { threshold: number }): LargeOrderLines {
  wholeFeedOnly('largeOrders', feed);
  const n = feed.size;
  const out = { buy: new Float64Array(n), sell: new Float64Array(n), net: new Float64Array(n) };
  const t = feed.book;
  callNative(() => native.largeOrders(t.last, t.lastVolume, t.side, options.threshold, out.buy, out.sell, out.net));
  return {
    buy: new Line(out.buy, feed.cursor, 1, 'largeBuy'),
    sell: new Line(out.sell, feed.cursor, 1, 'largeSell'),
    net: new Line(out.net, feed.cursor, 1, 'largeNet'),
  };
}

/**
 * Money flow over a Level2 feed's trades: buy and sell notional over the last `period` ticks,
 * their difference and the buying share. Computed once over the whole feed in Rust.
 */
export function moneyFlow(feed: Level2Feed, options: { period: number }): MoneyFlowLines {
  wholeFeedOnly('moneyFlow', feed);
  const n = feed.size;
  const out = { inflow: new Float64Array(n), outflow: new Float64Array(n), net: new Float64Array(n), ratio: new Float64Array(n) };
  const t = feed.book;
  const period = options.period;
  if (!Number.isInteger(period) || period < 1) throw new ParamError(`moneyFlow: period must be a whole number of ticks >= 1, got ${period}`);
  callNative(() => native.moneyFlow(t.last, t.lastVolume, t.side, period, out.inflow, out.outflow, out.net, out.ratio));
  const line = (a: Float64Array, name: string) => new Line(a, feed.cursor, 1, name);
  return { inflow: line(out.inflow, 'inflow'), outflow: line(out.outflow, 'outflow'), net: line(out.net, 'netFlow'), ratio: line(out.ratio, 'flowRatio') };
}
