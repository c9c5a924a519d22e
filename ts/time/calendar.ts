/**
 * Trading calendars: the sessions of a day (with breaks), the weekdays that trade, holidays and
 * early closes, all given as data. Times are wall-clock times in the calendar's zone.
 */
import { CalendarError } from '../errors.js';
import { parseTimeOfDay } from '../feeds/timeframe.js';
import { checkTimezone } from './timezone.js';

const DAY = 86_400_000;

/** A calendar as data. */
export interface CalendarSpec {
  /** Name for messages (default 'calendar'). */
  name?: string;
  /** IANA zone of the session times (default: the data's zone / naive). */
  tz?: string;
  /** Sessions of a trading day as `[start, end]` times of day, in order, not overlapping. */
  sessions: readonly (readonly [string, string])[];
  /** ISO weekdays that trade, 1 = Monday … 7 = Sunday (default Monday to Friday). */
  weekdays?: readonly number[];
  /** Days without trading, `YYYY-MM-DD`. */
  holidays?: readonly string[];
  /** Days that close early: `{ '2024-12-24': '13:00' }` (sessions after the close are dropped). */
  earlyCloses?: Readonly<Record<string, string>>;
}

/** One session on a given day: wall-clock ms of its start and end. */
export interface Session {
  start: number;
  end: number;
}

function parseDay(text: string, what: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) throw new CalendarError(`${what}: '${text}' is not a date; write YYYY-MM-DD`);
  return ms;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** ISO weekday (1 = Monday) of a wall-clock time. */
export function isoWeekday(ms: number): number {
  return ((Math.floor(ms / DAY) + 3) % 7 + 7) % 7 + 1;
}

/**
 * A trading calendar (backtrader's `TradingCalendar`, with sessions that may have breaks).
 *
 * ```ts
 * const sse = new TradingCalendar({ tz: 'Asia/Shanghai', sessions: [['09:30', '11:30'], ['13:00', '15:00']],
 *                                   holidays: ['2024-02-12'] });
 * ```
 * @throws CalendarError for overlapping or empty sessions, bad times, dates or weekdays.
 */
export class TradingCalendar {
  readonly name: string;
  readonly tz: string | undefined;
  /** Sessions of a regular day, ms after midnight. */
  readonly sessions: readonly Session[];
  private readonly weekdays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<number>;
  private readonly earlyCloses: ReadonlyMap<number, number>;
  /** What the calendar was built from (sweep workers rebuild it from this). */
  readonly spec: CalendarSpec;

  constructor(spec: CalendarSpec) {
    this.spec = structuredClone(spec);
    this.name = spec.name ?? 'calendar';
    const what = `calendar ${this.name}`;
    this.tz = spec.tz === undefined ? undefined : checkTimezone(spec.tz, `${what}: tz`);
    if (!Array.isArray(spec.sessions) || spec.sessions.length === 0) {
      throw new CalendarError(`${what}: give at least one session, e.g. sessions: [['09:30', '16:00']]`);
    }
    const sessions = spec.sessions.map(([a, b]) => {
      const s = { start: parseTimeOfDay(a, `${what}: session start`), end: parseTimeOfDay(b, `${what}: session end`) };
      if (s.end <= s.start) throw new CalendarError(`${what}: session ${a}–${b} must end after it starts (same day)`);
      return s;
    });
    sessions.sort((x, y) => x.start - y.start);
    for (let k = 1; k < sessions.length; k++) {
      const p = sessions[k - 1]!;
      const s = sessions[k]!;
      if (s.start < p.end) {
        throw new CalendarError(
          `${what}: sessions ${clock(p.start)}–${clock(p.end)} and ${clock(s.start)}–${clock(s.end)} overlap; make one end before the next starts`,
        );
      }
    }
    this.sessions = sessions;
    const weekdays = spec.weekdays ?? [1, 2, 3, 4, 5];
    for (const w of weekdays) {
      if (!Number.isInteger(w) || w < 1 || w > 7) throw new CalendarError(`${what}: weekday ${w} is not 1 (Monday) … 7 (Sunday)`);
    }
    this.weekdays = new Set(weekdays);
    this.holidays = new Set((spec.holidays ?? []).map((d) => parseDay(d, `${what}: holiday`)));
    this.earlyCloses = new Map(
      Object.entries(spec.earlyCloses ?? {}).map(([d, t]) => [parseDay(d, `${what}: early close`), parseTimeOfDay(t, `${what}: early close ${d}`)]),
    );
  }

  /** Whether the day of `ms` trades. */
  isTradingDay(ms: number): boolean {
    const day = Math.floor(ms / DAY) * DAY;
    return this.weekdays.has(isoWeekday(day)) && !this.holidays.has(day);
  }

  /** The sessions of the day of `ms` (wall-clock ms), early close applied; empty on a closed day. */
  sessionsOn(ms: number): Session[] {
    const day = Math.floor(ms / DAY) * DAY;
    if (!this.isTradingDay(day)) return [];
    const close = this.earlyCloses.get(day) ?? Infinity;
    const out: Session[] = [];
    for (const s of this.sessions) {
      if (s.start >= close) break;
      out.push({ start: day + s.start, end: day + Math.min(s.end, close) });
    }
    return out;
  }

  /** Whether `ms` falls within a session (start inclusive, end inclusive, as bars stamped at the close). */
  isOpen(ms: number): boolean {
    return this.sessionsOn(ms).some((s) => ms >= s.start && ms <= s.end);
  }

  /** The first trading day at or after the day of `ms` (midnight), searching up to ten years. */
  nextTradingDay(ms: number): number {
    let day = Math.floor(ms / DAY) * DAY;
    for (let k = 0; k < 3660; k++, day += DAY) if (this.isTradingDay(day)) return day;
    throw new CalendarError(`calendar ${this.name}: no trading day within ten years after ${new Date(ms).toISOString().slice(0, 10)}`);
  }

  /**
   * Every session end (breaks included) from the day of `from` to the day of `to`, sorted —
   * what resampling needs to close bars at the right moments. With `closesOnly`, only the last
   * session end of each day (the close).
   */
  sessionEnds(from: number, to: number, closesOnly = false): Float64Array {
    const out: number[] = [];
    for (let day = Math.floor(from / DAY) * DAY; day <= to; day += DAY) {
      const sessions = this.sessionsOn(day);
      if (closesOnly) sessions.splice(0, sessions.length - 1);
      for (const s of sessions) out.push(s.end);
    }
    return Float64Array.from(out);
  }
}

/** Ready-made calendars (regular hours; holidays and early closes are given by the user). */
export const calendars = {
  /** New York Stock Exchange: 09:30–16:00 America/New_York, Monday to Friday. */
  NYSE: (extra: Omit<CalendarSpec, 'sessions' | 'tz'> = {}) =>
    new TradingCalendar({ name: 'NYSE', tz: 'America/New_York', sessions: [['09:30', '16:00']], ...extra }),
  /** China A-shares (Shanghai, Shenzhen): 09:30–11:30 and 13:00–15:00 Asia/Shanghai. */
  SSE: (extra: Omit<CalendarSpec, 'sessions' | 'tz'> = {}) =>
    new TradingCalendar({ name: 'SSE', tz: 'Asia/Shanghai', sessions: [['09:30', '11:30'], ['13:00', '15:00']], ...extra }),
};
