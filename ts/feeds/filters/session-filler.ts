import { ParamError } from '../../errors.js';
import type { DataFeed, OhlcvColumns } from '../datafeed.js';
import { BarBuilder, checkKnown, fillValue, flag, type DataFilter } from './filter.js';
import { checkIntraday, sessionSource, type SessionOptions } from './sessions.js';

/** Options of {@link sessionFiller} (backtrader's `bt.filters.SessionFiller` parameters). */
export interface SessionFillerOptions extends SessionOptions {
  /** Price of the fill bars' open, high, low and close. Default: the close of the bar before. */
  fillPrice?: number;
  /** Volume of the fill bars (default 0; backtrader's default is NaN). */
  fillVol?: number;
  /** Open interest of the fill bars (default NaN, as backtrader). */
  fillOi?: number;
  /** Do not fill from the session start up to the very first bar of the data (default true). */
  skipFirstFill?: boolean;
}

const KNOWN = ['sessionStart', 'sessionEnd', 'calendar', 'fillPrice', 'fillVol', 'fillOi', 'skipFirstFill'] as const;

const MINUTE = 60_000;

/**
 * Fills the intraday bars missing within each session with flat bars (backtrader's
 * `bt.filters.SessionFiller`): open = high = low = close = the previous close (or `fillPrice`),
 * volume `fillVol`, open interest `fillOi`, on the grid of the data's bar size. Missing bars are
 * added between two bars of a session, from a session's last bar up to its end, and from a
 * session's start up to its first bar (except the data's very first bar, unless `skipFirstFill`
 * is false). Sessions are found as {@link sessionFilter} finds them. Bars outside every session
 * are kept (drop them with `sessionFilter` first, as in backtrader).
 *
 * ```ts
 * const m1 = data.addFilter(filters.sessionFilter({ sessionStart: '09:30', sessionEnd: '16:00' }),
 *                           filters.sessionFiller({ sessionStart: '09:30', sessionEnd: '16:00' }));
 * ```
 * The data needs bars of Seconds, Minutes or Hours (`data.frame`).
 * @throws ParamError for bad options, or data of ticks or days.
 */
export function sessionFiller(options: SessionFillerOptions = {}): DataFilter {
  checkKnown('sessionFiller', options, KNOWN);
  const sessionsOf = sessionSource('sessionFiller', options);
  const fillPrice = fillValue('sessionFiller: fillPrice', options.fillPrice, NaN);
  if (fillPrice === 0) {
    // backtrader reads 0 as "no price given"; here that is spelled by leaving it out.
    throw new ParamError('sessionFiller: fillPrice 0 means "the previous close" in backtrader; leave fillPrice out for that');
  }
  const priced = options.fillPrice !== undefined;
  const fillVol = fillValue('sessionFiller: fillVol', options.fillVol, 0);
  const fillOi = fillValue('sessionFiller: fillOi', options.fillOi, NaN);
  const skipFirstFill = flag('sessionFiller: skipFirstFill', options.skipFirstFill, true);
  return {
    name: 'SessionFiller',
    filter(data: DataFeed): OhlcvColumns {
      checkIntraday('sessionFiller', data, false);
      const sessions = sessionsOf(data);
      const { timeframe, compression } = data.frame;
      // backtrader's _tdframe (one unit of the time frame) and _tdunit (one bar).
      const frame = timeframe === 'Seconds' ? 1000 : MINUTE;
      const unit = (timeframe === 'Seconds' ? 1000 : timeframe === 'Hours' ? 60 * MINUTE : MINUTE) * compression;
      const src = data.columns;
      const dt = src.datetime;
      const out = new BarBuilder(dt.length + (dt.length >> 2));
      let price = NaN;
      const fill = (from: number, before: number) => {
        for (let t = from + unit; t < before; t += unit) out.push(t, price, price, price, price, fillVol, fillOi);
      };
      let sessEnd = Infinity; // no session under way (backtrader's MAXDATE)
      let seen = false;
      let prev = NaN;
      for (let i = 0; i < dt.length; i++) {
        const t = dt[i]!;
        // One price for every fill this bar causes: the bar before it (backtrader's close[-1];
        // on the very first bar that is the bar's own close, which is what backtrader reads).
        price = priced ? fillPrice : src.close[i > 0 ? i - 1 : 0]!;
        if (t > sessEnd) {
          // The session under way has ended: fill up to its end, then look at this bar afresh.
          fill(prev, sessEnd + frame);
          sessEnd = Infinity;
        }
        if (sessEnd === Infinity) {
          const s = sessions.around(t);
          if (s !== undefined) {
            sessEnd = s.end;
            if (s.start <= t && t <= s.end && (seen || !skipFirstFill)) fill(s.start - unit, t);
          }
          seen = true;
        } else fill(prev, t);
        prev = t;
        out.copy(src, i);
      }
      return out.finish();
    },
  };
}
