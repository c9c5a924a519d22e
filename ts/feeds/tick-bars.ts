import { DataFeed } from './datafeed.js';

/**
 * @internal Time-bucket bars from a tick stream's trades: OHLC of `last` and the summed
 * `lastVolume` of the trades in each bucket of `ms` milliseconds (buckets without a trade make
 * no bar; a bar is stamped with its bucket's start). Also returns, per tick, the index of the
 * last bar completed before it (-1 none), which the tick loop uses to fire `onBar`.
 */
export function tickBars(name: string, dt: Float64Array, last: Float64Array, lastVolume: Float64Array, ms: number): { bars: DataFeed; completed: Int32Array } {
  const n = dt.length;
  const cap = Math.min(n, 1 + Math.ceil(n > 0 ? (dt[n - 1]! - dt[0]!) / ms : 0));
  const cols = {
    datetime: new Float64Array(cap), open: new Float64Array(cap), high: new Float64Array(cap), low: new Float64Array(cap),
    close: new Float64Array(cap), volume: new Float64Array(cap), openinterest: new Float64Array(cap),
  };
  const completed = new Int32Array(n);
  let count = 0;
  let bucket = NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(dt[i]! / ms) * ms;
    // A tick in a later bucket closes the bar in progress before it is processed.
    const open = count > 0 && cols.datetime[count - 1] === bucket;
    completed[i] = open && b !== bucket ? count - 1 : i > 0 ? completed[i - 1]! : -1;
    const q = lastVolume[i]!;
    if (!(q > 0)) continue;
    const p = last[i]!;
    if (b !== bucket || count === 0) {
      bucket = b;
      const k = count++;
      cols.datetime[k] = b;
      cols.open[k] = cols.high[k] = cols.low[k] = cols.close[k] = p;
      cols.volume[k] = q;
    } else {
      const k = count - 1;
      if (p > cols.high[k]!) cols.high[k] = p;
      if (p < cols.low[k]!) cols.low[k] = p;
      cols.close[k] = p;
      cols.volume[k]! += q;
    }
  }
  const cut = <T extends Float64Array>(c: T) => c.subarray(0, count) as T;
  const columns = {
    datetime: cut(cols.datetime), open: cut(cols.open), high: cut(cols.high), low: cut(cols.low),
    close: cut(cols.close), volume: cut(cols.volume), openinterest: cut(cols.openinterest),
  };
  return { bars: new DataFeed(`${name}:bars`, columns), completed };
}
