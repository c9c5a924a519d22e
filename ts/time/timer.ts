/**
 * Timers (backtrader's `add_timer`): a callback or `notifyTimer` at a time of day, or at the
 * session start/end with an offset, optionally repeating within the session, on chosen weekdays
 * or days of the month (with carry-over to the next trading day). They fire on the data's
 * clock: on the first bar at or after the timer's time.
 */
import { ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { parseTimeOfDay } from '../feeds/timeframe.js';
import type { TradingCalendar } from './calendar.js';
import { isoWeekday } from './calendar.js';

const DAY = 86_400_000;
/** backtrader's default session end, 23:59:59.999990. */
const END_OF_DAY = DAY - 0.01;

/** When a timer fires within the day. */
export type TimerWhen = string | 'sessionStart' | 'sessionEnd';

/** Options of `addTimer` (backtrader's `add_timer` parameters). */
export interface TimerOptions {
  /** `'HH:MM[:SS]'`, `'sessionStart'` or `'sessionEnd'`. */
  when: TimerWhen;
  /** Milliseconds added to `when` (e.g. 5 * 60_000 for five minutes after the open). */
  offset?: number;
  /** Fire again every this many ms within the session (0: once a day). */
  repeat?: number;
  /** ISO weekdays to fire on (1 = Monday … 7 = Sunday); empty = every day. */
  weekdays?: readonly number[];
  /** Fire on the next trading day of the week when a weekday had no bars (default false). */
  weekcarry?: boolean;
  /** Days of the month to fire on (1–31); empty = every day. */
  monthdays?: readonly number[];
  /** Fire on the next trading day when a month day had no bars (default true). */
  monthcarry?: boolean;
  /** Called with the day (midnight ms); return false to skip that day. */
  allow?: (day: number) => boolean;
  /** The data whose clock and sessions the timer follows (default the first data). */
  data?: DataFeed;
  /** Sessions for `sessionStart`/`sessionEnd` (default the data's calendar, else 00:00–24:00). */
  calendar?: TradingCalendar;
  /** Fire before the broker processes the bar (backtrader's `cheat`; with cheat-on-open). */
  cheat?: boolean;
  /** Passed back to `notifyTimer`. */
  args?: readonly unknown[];
}

function bisectLeft(a: number[], x: number, lo = 0): number {
  while (lo < a.length && a[lo]! < x) lo++;
  return lo;
}
function bisectRight(a: number[], x: number, lo = 0): number {
  while (lo < a.length && a[lo]! <= x) lo++;
  return lo;
}

/** Days of the month or week still to come in the current period, with backtrader's carry. */
class DayMask {
  private period = NaN;
  private mask: number[] = [];
  constructor(private readonly days: readonly number[], private readonly carry: boolean) {}

  /** Whether `dday` (in `period`) is a firing day; backtrader's `_check_month`/`_check_week`. */
  check(period: number, dday: number): boolean {
    if (this.days.length === 0) return true;
    let daycarry = false;
    if (period !== this.period) {
      this.period = period;
      daycarry = this.carry && this.mask.length > 0;
      this.mask = [...this.days].sort((x, y) => x - y);
    }
    let dc = bisectLeft(this.mask, dday);
    daycarry = daycarry || (this.carry && dc > 0);
    let curday = false;
    if (dc < this.mask.length) {
      // backtrader compares with 0 here, which also drops every later day of the period
      // whenever a day is carried; comparing with dc keeps them.
      curday = bisectRight(this.mask, dday, dc) > dc;
      dc += curday ? 1 : 0;
    }
    this.mask.splice(0, dc);
    return daycarry || curday;
  }
}

/** A timer; `addTimer` returns it and `notifyTimer` receives it. */
export class Timer {
  private static nextId = 0;
  /** Unique id. */
  readonly id = Timer.nextId++;
  /** The scheduled time of the last firing (wall-clock ms), backtrader's `lastwhen`. */
  lastWhen = NaN;
  readonly options: Readonly<TimerOptions>;
  /** @internal the data it follows (resolved when the run starts). */
  data: DataFeed | undefined;
  private readonly whenMs: number | null;
  private readonly months: DayMask;
  private readonly weeks: DayMask;
  private nexteos = -Infinity;
  private curdate = -Infinity;
  private lastcall = NaN;
  private dtwhen: number | null = null;

  /** @throws ParamError for a bad `when`, offset, repeat, weekday or month day. */
  constructor(options: TimerOptions, readonly owner: unknown = null) {
    const o = options;
    if (typeof o !== 'object' || o === null) throw new ParamError("addTimer takes options, e.g. { when: '09:35' }");
    this.whenMs = o.when === 'sessionStart' || o.when === 'sessionEnd' ? null : parseTimeOfDay(o.when, 'addTimer: when');
    for (const [k, v] of [['offset', o.offset], ['repeat', o.repeat]] as const) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || (k === 'repeat' && v < 0))) {
        throw new ParamError(`addTimer: ${k} must be a number of milliseconds${k === 'repeat' ? ' >= 0' : ''}, got ${String(v)}`);
      }
    }
    for (const w of o.weekdays ?? []) if (!Number.isInteger(w) || w < 1 || w > 7) throw new ParamError(`addTimer: weekday ${w} is not 1 (Monday) … 7 (Sunday)`);
    for (const d of o.monthdays ?? []) if (!Number.isInteger(d) || d < 1 || d > 31) throw new ParamError(`addTimer: month day ${d} is not 1 … 31`);
    if (o.allow !== undefined && typeof o.allow !== 'function') throw new ParamError('addTimer: allow must be a function (day) => boolean');
    this.options = o;
    this.data = o.data;
    this.months = new DayMask(o.monthdays ?? [], o.monthcarry ?? true);
    this.weeks = new DayMask(o.weekdays ?? [], o.weekcarry ?? false);
  }

  private calendar(): TradingCalendar | undefined {
    return this.options.calendar ?? this.data?.calendar;
  }

  /** The end of the session that `dt` is in or before. */
  private eosOf(dt: number): number {
    const cal = this.calendar();
    let day = Math.floor(dt / DAY) * DAY;
    if (!cal) return dt > day + END_OF_DAY ? day + DAY + END_OF_DAY : day + END_OF_DAY;
    for (let k = 0; k < 3660; k++, day += DAY) {
      const s = cal.sessionsOn(day);
      if (s.length && s[s.length - 1]!.end >= dt) return s[s.length - 1]!.end;
    }
    return Infinity;
  }

  private whenOn(day: number): number {
    if (this.whenMs !== null) return day + this.whenMs;
    const s = this.calendar()?.sessionsOn(day) ?? [];
    if (this.options.when === 'sessionStart') return s.length ? s[0]!.start : day;
    return s.length ? s[s.length - 1]!.end : day + END_OF_DAY;
  }

  private resetWhen(day = NaN): void {
    this.dtwhen = null;
    this.lastcall = day;
  }

  /** @internal Whether the timer fires at data time `dt` (backtrader's `Timer.check`). */
  check(dt: number): boolean {
    const day = Math.floor(dt / DAY) * DAY;
    if (this.lastcall === day) return false;
    if (dt > this.nexteos) {
      this.nexteos = this.eosOf(dt);
      this.resetWhen();
    }
    if (day > this.curdate) {
      this.curdate = day;
      const date = new Date(day);
      const ok =
        this.months.check(date.getUTCFullYear() * 100 + date.getUTCMonth(), date.getUTCDate()) &&
        this.weeks.check(isoWeekKey(day), isoWeekday(day)) &&
        (this.options.allow?.(day) ?? true);
      if (!ok) {
        this.resetWhen(day);
        return false;
      }
    }
    if (this.dtwhen === null) this.dtwhen = this.whenOn(day) + (this.options.offset ?? 0);
    if (dt < this.dtwhen) return false;
    this.lastWhen = this.dtwhen;
    const repeat = this.options.repeat ?? 0;
    if (!repeat) this.resetWhen(day);
    else {
      if (dt > this.nexteos) this.nexteos = this.eosOf(dt);
      let w = this.dtwhen;
      for (;;) {
        w += repeat;
        if (w > this.nexteos) {
          this.resetWhen(day);
          break;
        }
        if (w > dt) {
          this.dtwhen = w;
          break;
        }
      }
    }
    return true;
  }
}

/** A key distinct for each ISO week (Monday's day number). */
function isoWeekKey(day: number): number {
  return Math.floor(day / DAY) - (isoWeekday(day) - 1);
}
