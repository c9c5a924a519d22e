/**
 * backtrader's data filters as column transforms: `data.addFilter(filters.renko({ size: 10 }))`
 * returns a new feed of the filtered bars (see docs/data-and-time.md, "Filters, clones and
 * chained data").
 */
export { heikinAshi } from './heikin-ashi.js';
export { renko } from './renko.js';
export type { RenkoOptions } from './renko.js';
export { sessionFilter } from './session-filter.js';
export type { SessionFilterOptions } from './session-filter.js';
export { sessionFiller } from './session-filler.js';
export type { SessionFillerOptions } from './session-filler.js';
export { calendarDays } from './calendar-days.js';
export type { CalendarDaysOptions } from './calendar-days.js';
export type { SessionOptions } from './sessions.js';
export type { DataFilter } from './filter.js';
