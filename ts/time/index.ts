export { checkTimezone, offsetAt, utcToWall, wallToUtc, convertWall, convertColumn } from './timezone.js';
export { TradingCalendar, calendars, isoWeekday } from './calendar.js';
export type { CalendarSpec, Session } from './calendar.js';
export { SimulatedClock, WallClock } from './clock.js';
export type { Clock } from './clock.js';
export { Timer } from './timer.js';
export type { TimerOptions, TimerWhen } from './timer.js';
export { Scheduler, Task, TaskTimeoutError } from './scheduler.js';
export type { TaskState, TaskOptions, TaskFn } from './scheduler.js';
