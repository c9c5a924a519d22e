/**
 * Missing bars against a trading calendar: what a data service asks before it backfills.
 * Bar times are UTC; the calendar's sessions are wall-clock times in its `tz` (UTC when it has
 * none), so stored times are converted to the calendar's clock before they are compared.
 */
import { ParamError } from '../errors.js';
import type { TradingCalendar } from '../time/calendar.js';
import { utcToWall, wallToUtc } from '../time/timezone.js';

const DAY = 86_400_000;
const UNIT: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: DAY };

/** A run of consecutive missing bars. */
export interface Gap {
  /** UTC time of the first missing bar. */
  from: number;
  /** UTC time of the last missing bar. */
  to: number;
  /** Missing bars in the run. */
  bars: number;
}

/** Where to look, and how bars are stamped. */
export interface GapOptions {
  /** First time to check (UTC ms); default: the first stored bar. */
  from?: number;
  /** Check up to (not including) this time; default: just after the last stored bar. */
  to?: number;
  /**
   * Intraday bars are stamped at their close (backtrader's convention, the default) or at
   * their open. Daily bars are matched by trading day.
   */
  stamp?: 'close' | 'open';
}

/** A timeframe such as `'1d'`, `'5m'`, `'1h'`, `'30s'` as milliseconds. */
export function timeframeMs(timeframe: string): number {
  const m = /^(\d+)(s|min|m|h|d)$/.exec(timeframe);
  const ms = m ? Number(m[1]) * UNIT[m[2]!]! : NaN;
  if (!m || ms <= 0 || (m[2] === 'd' && ms !== DAY)) {
    throw new ParamError(`timeframe '${timeframe}': gaps need '1d' or an intraday frame such as '1m', '5m', '1h', '30s'`);
  }
  return ms;
}

/** The missing bars of a series with stored `times` (UTC ms, ascending). */
export function gapsOf(times: Float64Array, timeframe: string, calendar: TradingCalendar, options: GapOptions = {}): Gap[] {
  const step = timeframeMs(timeframe);
  const tz = calendar.tz;
  const wall = (t: number) => (tz ? utcToWall(t, tz) : t);
  const utc = (t: number) => (tz ? wallToUtc(t, tz) : t);
  if (times.length === 0 && (options.from === undefined || options.to === undefined)) return [];
  const from = wall(options.from ?? times[0]!);
  const to = wall(options.to ?? times[times.length - 1]! + 1);
  const daily = step === DAY;
  const present = new Set<number>();
  for (const t of times) present.add(daily ? Math.floor(wall(t) / DAY) : wall(t));
  // Walk the expected bars in order; a run of missing ones is one gap (across nights too).
  const gaps: Gap[] = [];
  let open: Gap | undefined;
  const expect = (t: number, isPresent: boolean) => {
    if (isPresent) {
      open = undefined;
    } else if (open) {
      open.to = utc(t);
      open.bars++;
    } else {
      open = { from: utc(t), to: utc(t), bars: 1 };
      gaps.push(open);
    }
  };
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    if (daily) {
      if (calendar.isTradingDay(day)) expect(day, present.has(day / DAY));
      continue;
    }
    for (const s of calendar.sessionsOn(day)) {
      for (let barOpen = s.start; barOpen < s.end; barOpen += step) {
        const stamp = options.stamp === 'open' ? barOpen : Math.min(barOpen + step, s.end);
        if (stamp >= from && stamp < to) expect(stamp, present.has(stamp));
      }
    }
  }
  return gaps;
}
