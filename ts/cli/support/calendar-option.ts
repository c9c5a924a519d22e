/** `--calendar NAME|file.json` of `ferrotrade data gaps`: a ready-made calendar or one given as JSON. */
import { existsSync, readFileSync } from 'node:fs';

import { CalendarError } from '../../errors.js';
import { TradingCalendar, calendars, type CalendarSpec } from '../../time/calendar.js';

/** Calendars known by name, as specs. */
const NAMED: Record<string, () => CalendarSpec> = {
  NYSE: () => calendars.NYSE().spec,
  SSE: () => calendars.SSE().spec,
  /** Monday to Friday, the whole day, UTC: the default, for data of no particular exchange. */
  weekdays: () => ({ name: 'weekdays', sessions: [['00:00', '24:00']] }),
  /** Every day, the whole day, UTC (crypto). */
  '24x7': () => ({ name: '24x7', sessions: [['00:00', '24:00']], weekdays: [1, 2, 3, 4, 5, 6, 7] }),
};

/** Names `--calendar` accepts besides a JSON file. */
export const CALENDAR_NAMES = Object.keys(NAMED);

/**
 * The calendar `--calendar` names. Daily bars are stamped with their date, not a moment, so for
 * `'1d'` the calendar's zone is dropped: converting midnight to New York time would move every
 * bar to the day before.
 */
export function calendarOption(value: string, timeframe: string): TradingCalendar {
  let spec: CalendarSpec;
  if (value in NAMED) {
    spec = NAMED[value]!();
  } else if (existsSync(value)) {
    try {
      spec = JSON.parse(readFileSync(value, 'utf8')) as CalendarSpec;
    } catch (err) {
      throw new CalendarError(`--calendar ${value}: not valid JSON (${(err as Error).message}); give { "tz": ..., "sessions": [["09:30","16:00"]], "holidays": [...] }`);
    }
  } else {
    throw new CalendarError(`--calendar '${value}': neither a file nor one of ${CALENDAR_NAMES.join(', ')}`);
  }
  if (timeframe === '1d') {
    const { tz: _dropped, ...rest } = spec;
    spec = rest;
  }
  return new TradingCalendar(spec);
}
