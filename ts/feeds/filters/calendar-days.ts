import { ParamError } from '../../errors.js';
import type { DataFeed, OhlcvColumns } from '../datafeed.js';
import { BarBuilder, checkKnown, fillValue, type DataFilter } from './filter.js';

/** Options of {@link calendarDays} (backtrader's `bt.filters.CalendarDays` parameters). */
export interface CalendarDaysOptions {
  /**
   * Price of the fill bars: `'close'` (default) the close of the bar before the gap,
   * `'midpoint'` (or backtrader's -1) the mean of that bar's high and low, or a price > 0.
   */
  fillPrice?: number | 'close' | 'midpoint';
  /** Volume of the fill bars (default 0; backtrader's default is NaN). */
  fillVol?: number;
  /** Open interest of the fill bars (default NaN, as backtrader). */
  fillOi?: number;
}

const DAY = 86_400_000;

/**
 * Adds a bar for every calendar day missing between two bars — weekends and holidays
 * (backtrader's `bt.filters.CalendarDays`): a flat bar at `fillPrice`, with `fillVol` and
 * `fillOi`, stamped with the time of day of the bar after the gap.
 *
 * ```ts
 * const everyDay = daily.addFilter(filters.calendarDays());
 * ```
 * Deviation: backtrader also adds a fill bar on the day of the bar that ends the gap, so that
 * day appears twice (fill, then the real bar); here only the missing days are added.
 * @throws ParamError for a fill price that is not 'close', 'midpoint', -1 or > 0, unknown
 * options, or bars of weeks or longer.
 */
export function calendarDays(options: CalendarDaysOptions = {}): DataFilter {
  checkKnown('calendarDays', options, ['fillPrice', 'fillVol', 'fillOi']);
  const p = options.fillPrice ?? 'close';
  const mode = p === 'close' || p === 'midpoint' ? p : p === -1 ? 'midpoint' : 'fixed';
  if (mode === 'fixed' && !(typeof p === 'number' && Number.isFinite(p) && p > 0)) {
    throw new ParamError(
      `calendarDays: fillPrice must be 'close', 'midpoint' (or -1) or a price > 0, got ${String(p)}` +
        (p === 0 ? " (backtrader's 0 is 'close')" : ''),
    );
  }
  const fixed = p as number;
  const fillVol = fillValue('calendarDays: fillVol', options.fillVol, 0);
  const fillOi = fillValue('calendarDays: fillOi', options.fillOi, NaN);
  return {
    name: 'CalendarDays',
    filter(data: DataFeed): OhlcvColumns {
      const tf = data.frame.timeframe;
      if (tf === 'Weeks' || tf === 'Months' || tf === 'Years') {
        throw new ParamError(`calendarDays fills missing days between bars of a day or less; '${data.name}' has ${tf} bars`);
      }
      const src = data.columns;
      const dt = src.datetime;
      const out = new BarBuilder(dt.length + (dt.length >> 1));
      let lastDay = NaN;
      for (let i = 0; i < dt.length; i++) {
        const t = dt[i]!;
        const day = Math.floor(t / DAY) * DAY;
        if (day - lastDay > DAY) {
          const price = mode === 'fixed' ? fixed : mode === 'close' ? src.close[i - 1]! : (src.high[i - 1]! + src.low[i - 1]!) / 2;
          const tod = t - day;
          for (let d = lastDay + DAY; d < day; d += DAY) out.push(d + tod, price, price, price, price, fillVol, fillOi);
        }
        lastDay = day;
        out.copy(src, i);
      }
      return out.finish();
    },
  };
}
