export { checkTimezone, offsetAt, utcToWall, wallToUtc, convertWall, convertColumn } from './timezone.js';
export { TradingCalendar, calendars, isoWeekday } from './calendar.js';
export type { CalendarSpec, Session } from './calendar.js';
