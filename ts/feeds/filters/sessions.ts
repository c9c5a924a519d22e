import { ParamError } from '../../errors.js';
import type { DataFeed } from '../datafeed.js';
import { parseTimeOfDay } from '../timeframe.js';
import { TradingCalendar, type Session } from '../../time/calendar.js';
import { convertWall } from '../../time/timezone.js';

const DAY = 86_400_000;
/** backtrader's default session end: 23:59:59.999990. */
const DEFAULT_END = DAY - 0.01;

/** Where the session filters take their sessions from. */
export interface SessionOptions {
  /**
   * Start of every day's session (`'09:30'`), backtrader's data parameter `sessionstart`.
   * Default midnight. Give it (or `sessionEnd`) to override the data's calendar.
   */
  sessionStart?: string;
  /** End of every day's session (`'16:00'`), backtrader's `sessionend`. Default 23:59:59.99999. */
  sessionEnd?: string;
  /**
   * A trading calendar whose sessions (breaks, holidays and early closes included) are used.
   * Default: the data's calendar, when it has one and no session times are given.
   */
  calendar?: TradingCalendar;
}

/** @internal The sessions a filter works with, on the data's wall clock. */
export interface Sessions {
  /** Whether `t` falls in a session, both ends included (backtrader's `start <= time <= end`). */
  contains(t: number): boolean;
  /**
   * The session backtrader's SessionFiller takes for a bar at `t`: the one holding `t`, else
   * the day's next one, else the day's last one; `undefined` on a day without sessions.
   */
  around(t: number): Session | undefined;
}

/**
 * @internal Checks the session options now (when the filter is made) and returns how to find
 * the sessions of a data: the given times, else the given calendar, else the data's calendar,
 * else the whole day (backtrader's default session).
 */
export function sessionSource(what: string, options: SessionOptions): (data: DataFeed) => Sessions {
  const timed = options.sessionStart !== undefined || options.sessionEnd !== undefined;
  if (timed && options.calendar !== undefined) {
    throw new ParamError(`${what}: give sessionStart/sessionEnd or a calendar, not both`);
  }
  if (options.calendar !== undefined && !(options.calendar instanceof TradingCalendar)) {
    throw new ParamError(`${what}: calendar must be a TradingCalendar (new TradingCalendar({...}) or calendars.NYSE())`);
  }
  const start = options.sessionStart === undefined ? 0 : parseTimeOfDay(options.sessionStart, `${what}: sessionStart`);
  const end = options.sessionEnd === undefined ? DEFAULT_END : parseTimeOfDay(options.sessionEnd, `${what}: sessionEnd`);
  if (end <= start) {
    throw new ParamError(
      `${what}: sessionEnd ${options.sessionEnd ?? '23:59:59.99999'} must be after sessionStart ${options.sessionStart ?? '00:00'} ` +
        '(sessions over midnight are not supported); swap them or fix the times',
    );
  }
  const daily: Sessions = {
    contains(t) {
      const tod = t - Math.floor(t / DAY) * DAY;
      return tod >= start && tod <= end;
    },
    around(t) {
      const day = Math.floor(t / DAY) * DAY;
      return { start: day + start, end: day + end };
    },
  };
  return (data) => {
    const cal = timed ? undefined : (options.calendar ?? data.calendar);
    return cal === undefined ? daily : calendarSessions(cal, data.tz);
  };
}

/** Sessions of a calendar; when its zone and the data's differ, times are converted both ways. */
function calendarSessions(cal: TradingCalendar, tz: string | undefined): Sessions {
  const convert = cal.tz !== undefined && tz !== undefined && cal.tz !== tz;
  const toCal = convert ? (t: number) => convertWall(t, tz, cal.tz!) : (t: number) => t;
  const fromCal = convert ? (t: number) => convertWall(t, cal.tz!, tz) : (t: number) => t;
  // Bars come in time order, so the day's sessions are looked up once per day, not per bar.
  let day = NaN;
  let sessions: Session[] = [];
  const sessionsOn = (tc: number): Session[] => {
    const d = Math.floor(tc / DAY) * DAY;
    if (d !== day) {
      day = d;
      sessions = cal.sessionsOn(d);
    }
    return sessions;
  };
  return {
    contains(t) {
      const tc = toCal(t);
      return sessionsOn(tc).some((s) => tc >= s.start && tc <= s.end);
    },
    around(t) {
      const tc = toCal(t);
      const list = sessionsOn(tc);
      if (list.length === 0) return undefined;
      const s = list.find((x) => tc <= x.end) ?? list[list.length - 1]!;
      return { start: fromCal(s.start), end: fromCal(s.end) };
    },
  };
}

/** @internal Throws unless the data is intraday (a session has no meaning inside a daily bar). */
export function checkIntraday(what: string, data: DataFeed, allowTicks: boolean): void {
  const tf = data.frame.timeframe;
  if (['Days', 'Weeks', 'Months', 'Years'].includes(tf)) {
    throw new ParamError(
      `${what} works on intraday bars; '${data.name}' has ${tf} bars` +
        (what === 'sessionFiller' ? ' (filters.calendarDays() fills missing days)' : ''),
    );
  }
  if (!allowTicks && tf === 'Ticks') {
    throw new ParamError(
      `${what} needs bars of a regular size to fill with; '${data.name}' has Ticks (resample them first, or give the feed a timeframe)`,
    );
  }
}
