import type { DataFeed, OhlcvColumns } from '../datafeed.js';
import { checkKnown, keepRows, type DataFilter } from './filter.js';
import { checkIntraday, sessionSource, type SessionOptions } from './sessions.js';

/** Options of {@link sessionFilter}. */
export type SessionFilterOptions = SessionOptions;

/**
 * Drops intraday bars outside the session (backtrader's `bt.filters.SessionFilter`): pre- and
 * post-market bars, and with a calendar also bars in breaks and on closed days. A bar exactly at
 * the session start or end is kept. The sessions are `sessionStart`/`sessionEnd` (backtrader's
 * data parameters `sessionstart`/`sessionend`), else `calendar`, else the data's calendar;
 * without any, the session is the whole day and every bar is kept.
 *
 * ```ts
 * const regular = m1.addFilter(filters.sessionFilter({ sessionStart: '09:30', sessionEnd: '16:00' }));
 * const sse = m1.addFilter(filters.sessionFilter());   // m1 loaded with { calendar: calendars.SSE() }
 * ```
 * @throws ParamError for a session end not after its start, unknown options, or daily data.
 */
export function sessionFilter(options: SessionFilterOptions = {}): DataFilter {
  checkKnown('sessionFilter', options, ['sessionStart', 'sessionEnd', 'calendar']);
  const sessionsOf = sessionSource('sessionFilter', options);
  return {
    name: 'SessionFilter',
    filter(data: DataFeed): OhlcvColumns {
      checkIntraday('sessionFilter', data, true);
      const sessions = sessionsOf(data);
      const dt = data.columns.datetime;
      const keep = new Uint8Array(dt.length);
      let kept = 0;
      for (let i = 0; i < dt.length; i++) if (sessions.contains(dt[i]!)) kept += keep[i] = 1;
      return keepRows(data.columns, keep, kept);
    },
  };
}
