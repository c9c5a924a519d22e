/**
 * A store as a data feed: `await feeds.store(store, { symbol, timeframe, from, to })` reads the
 * bars back as columns (one read, no row objects) into a feed a backtest runs on at full speed.
 */
import { DataFeed } from '../feeds/datafeed.js';
import type { FeedOptions } from '../feeds/load.js';
import { fromColumns } from '../feeds/memory.js';
import type { TimeFrame } from '../feeds/timeframe.js';
import { DataError, ParamError } from '../errors.js';
import type { Store } from './types.js';

/** Which bars to read, and the feed options of the result. */
export interface StoreFeedOptions extends Omit<FeedOptions, 'fromDate' | 'toDate' | 'timeframe' | 'compression' | 'tzInput'> {
  symbol: string;
  /** The store's timeframe name: `'1d'`, `'1h'`, `'5m'`, `'30s'`, `'1w'`. */
  timeframe: string;
  /** First bar time (UTC ms, inclusive). */
  from?: number;
  /** Bars before this time (UTC ms, exclusive). */
  to?: number;
}

const FRAMES: Record<string, [TimeFrame, number]> = { s: ['Seconds', 1], m: ['Minutes', 1], min: ['Minutes', 1], h: ['Minutes', 60], d: ['Days', 1], w: ['Weeks', 1] };

/** backtrader's time frame and compression of a store timeframe name (undefined: inferred). */
export function barFrameOf(timeframe: string): { timeframe: TimeFrame; compression: number } | undefined {
  const m = /^(\d+)(s|min|m|h|d|w)$/.exec(timeframe);
  if (!m) return undefined;
  const [frame, unit] = FRAMES[m[2]!]!;
  return { timeframe: frame, compression: Number(m[1]) * unit };
}

/**
 * Reads bars of `symbol`/`timeframe` from `store` into a feed named after the symbol. Store times
 * are UTC; with `tz`, the feed keeps them as wall-clock time in that zone, as the CSV feeds do.
 */
export async function storeFeed(store: Store, options: StoreFeedOptions): Promise<DataFeed> {
  if (!store || typeof store.readBars !== 'function') throw new ParamError('feeds.store: give a Store from openStore(url)');
  const { symbol, timeframe, from, to, ...feedOptions } = options;
  const bars = await store.readBars(symbol, timeframe, { from, to });
  if (bars.time.length === 0) {
    throw new DataError('DATA', `feeds.store: ${store.url} has no ${timeframe} bars of '${symbol}' in the range asked; write them with store.writeBars(...)`);
  }
  const oi = bars.openInterest.map((v) => (Number.isNaN(v) ? 0 : v));
  return fromColumns(
    { datetime: bars.time, open: bars.open, high: bars.high, low: bars.low, close: bars.close, volume: bars.volume, openinterest: oi },
    { name: symbol, ...barFrameOf(timeframe), ...(feedOptions.tz ? { tzInput: 'UTC' } : {}), ...feedOptions },
  );
}
