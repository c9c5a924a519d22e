/**
 * @internal the broker's copies of a data's prices, shared by the runs of a sweep. A run's
 * broker fills against its own copies of the prices (JavaScript may detach or shrink a buffer
 * under a pointer kept into it), which costs a copy of six columns per run — at 100k bars about
 * 5 MB, a few percent of a short run, and memory traffic that two worker threads share. In a
 * sweep every run fills against the same columns, which nothing changes while it lasts, so
 * they are copied into the addon once per data and attached to each run's broker as they are.
 * Off outside sweeps: there a data's columns may change between runs.
 */
import type { OhlcvColumns } from '../feeds/datafeed.js';
import { native } from '../native.js';

type NativeBroker = InstanceType<typeof native.NativeBroker>;
type PriceColumns = InstanceType<typeof native.PriceColumns>;

interface Shared {
  columns: OhlcvColumns;
  length: number;
  prices: PriceColumns;
}

/** The addon's copy of each data's prices, by the data's `datetime` column. */
let shared: WeakMap<Float64Array, Shared> | null = null;

/** Turns sharing on (nothing shared yet) or off. */
export function useSharedPrices(on: boolean): void {
  shared = on ? new WeakMap() : null;
}

/** Gives data `k` of a broker its prices: shared while a sweep runs, copied otherwise. */
export function attachPrices(core: NativeBroker, k: number, c: OhlcvColumns, sessionEnd: number): void {
  if (shared === null) {
    core.attachData(k, c.datetime, sessionEnd, c.open, c.high, c.low, c.close, c.volume);
    return;
  }
  let entry = shared.get(c.datetime);
  if (entry === undefined || !same(entry, c)) {
    entry = { columns: { ...c }, length: c.datetime.length, prices: new native.PriceColumns(c.datetime, c.open, c.high, c.low, c.close, c.volume) };
    shared.set(c.datetime, entry);
  }
  core.attachPrices(k, entry.prices, sessionEnd);
}

/** Whether the copy was made from these very columns, at their length. */
function same(entry: Shared, c: OhlcvColumns): boolean {
  const e = entry.columns;
  return (
    entry.length === c.datetime.length &&
    e.open === c.open &&
    e.high === c.high &&
    e.low === c.low &&
    e.close === c.close &&
    e.volume === c.volume &&
    c.close.length === entry.length
  );
}
