/** The `--store` option shared by the `data` sub-commands, and the timeframe a symbol's bars are kept in. */
import type { Command } from 'commander';

import { StoreError } from '../../../errors.js';
import { DEFAULT_STORE_URL, openStore } from '../../../store/open.js';
import type { Store } from '../../../store/types.js';

/** Adds `--store URL`. */
export function storeOption(cmd: Command): Command {
  return cmd.option('--store <url>', `the store: sqlite:FILE, postgres://..., mysql://..., influx://...`, DEFAULT_STORE_URL);
}

/** Opens the store, runs `work`, and closes the store whatever happens. */
export async function withStore<T>(url: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * The timeframe of `symbol`'s bars: the one given, or the only one the store holds. A symbol
 * with none, or with several and none given, is an error that lists what there is.
 */
export async function timeframeOf(store: Store, symbol: string, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const frames = (await store.barSeries()).filter((s) => s.symbol === symbol).map((s) => s.timeframe);
  if (frames.length === 0) throw new StoreError('STORE_NO_DATA', `${store.url} has no bars of '${symbol}'; 'ferrotrade data list --store ${store.url}' shows what it holds`);
  if (frames.length > 1) throw new StoreError('STORE_AMBIGUOUS', `'${symbol}' has bars in several timeframes (${frames.join(', ')}); pick one with --timeframe`);
  return frames[0]!;
}
