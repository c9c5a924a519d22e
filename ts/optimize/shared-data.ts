import type { DataFeed, OhlcvColumns } from '../feeds/datafeed.js';

const COLUMNS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;

/** A data feed's columns on shared memory, as sent to worker threads. */
export interface SharedData {
  name: string;
  columns: OhlcvColumns;
}

function shared(col: Float64Array): Float64Array {
  if (col.buffer instanceof SharedArrayBuffer) return col;
  const out = new Float64Array(new SharedArrayBuffer(col.byteLength));
  out.set(col);
  return out;
}

/**
 * The columns of `datas` on `SharedArrayBuffer`s: copied once per sweep, then read by every
 * worker without a copy.
 * @internal
 */
export function shareDatas(datas: readonly DataFeed[]): SharedData[] {
  return datas.map((d) => ({
    name: d.name,
    columns: Object.fromEntries(COLUMNS.map((c) => [c, shared(d.columns[c])])) as unknown as OhlcvColumns,
  }));
}

/** The same for columns alone (a sweep worker's copy of a setup read from Redis). @internal */
export function shareColumns(columns: OhlcvColumns): OhlcvColumns {
  return Object.fromEntries(COLUMNS.map((c) => [c, shared(columns[c])])) as unknown as OhlcvColumns;
}
