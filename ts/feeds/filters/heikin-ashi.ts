import type { DataFeed, OhlcvColumns } from '../datafeed.js';
import { checkKnown, type DataFilter } from './filter.js';

/** Python's `max(a, b, c)`: the first value unless a later one compares greater (a NaN never does). */
export function pyMax(a: number, b: number, c: number): number {
  let m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  return m;
}

/** Python's `min(a, b, c)`. */
export function pyMin(a: number, b: number, c: number): number {
  let m = a;
  if (b < m) m = b;
  if (c < m) m = c;
  return m;
}

/**
 * Heikin-Ashi candles in place of the bars (backtrader's `bt.filters.HeikinAshi`; the
 * `ind.HeikinAshi` indicator computes the same lines beside the data instead):
 * close = (open + high + low + close) / 4; open = (previous HA open + previous HA close) / 2;
 * high = max(HA open, HA close, high); low = min(HA open, HA close, low). The first bar has
 * open = (open + close) / 2 and keeps its high and low, as backtrader. Time, volume and open
 * interest are the source's (shared, not copied).
 *
 * ```ts
 * const ha = data.addFilter(filters.heikinAshi());
 * ```
 */
export function heikinAshi(options: Record<string, never> = {}): DataFilter {
  checkKnown('heikinAshi', options, []);
  return {
    name: 'HeikinAshi',
    filter(data: DataFeed): OhlcvColumns {
      const { open: o, high: h, low: l, close: c } = data.columns;
      const n = c.length;
      const open = new Float64Array(n);
      const high = new Float64Array(n);
      const low = new Float64Array(n);
      const close = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const hc = (o[i]! + h[i]! + l[i]! + c[i]!) / 4;
        close[i] = hc;
        if (i > 0) {
          // Reads the previous Heikin-Ashi candle, not the source bar: the recursion is the point.
          const ho = (open[i - 1]! + close[i - 1]!) / 2;
          open[i] = ho;
          high[i] = pyMax(ho, hc, h[i]!);
          low[i] = pyMin(ho, hc, l[i]!);
        } else {
          open[i] = (o[i]! + c[i]!) / 2;
          high[i] = h[i]!;
          low[i] = l[i]!;
        }
      }
      const { datetime, volume, openinterest } = data.columns;
      return { datetime, open, high, low, close, volume, openinterest };
    },
  };
}
