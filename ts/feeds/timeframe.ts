import { ParamError } from '../errors.js';

/** backtrader's time frames (plus `Hours`, which is 60 minutes). */
export const TIMEFRAMES = ['Ticks', 'Seconds', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Years'] as const;

/** A time frame name. */
export type TimeFrame = (typeof TIMEFRAMES)[number];

/** The time frame and compression of a feed's bars (`Minutes` × 5 = five-minute bars). */
export interface BarFrame {
  timeframe: TimeFrame;
  compression: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Checks a time frame name, or throws a ParamError listing the valid ones. */
export function checkTimeframe(value: unknown, what: string): TimeFrame {
  if (!TIMEFRAMES.includes(value as TimeFrame)) {
    throw new ParamError(`${what}: unknown time frame ${JSON.stringify(value)}; use one of ${TIMEFRAMES.join(', ')}`);
  }
  return value as TimeFrame;
}

/** Checks a positive integer parameter. */
export function checkPositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ParamError(`${what} must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

/**
 * @internal Whether `t` is a whole multiple of `unit` (a positive integer): `t % unit === 0`
 * without the remainder, which compiles to a call of C's `fmod` (about 15 ns, paid per bar by
 * the scans below). Exact for every timestamp a feed holds (|t| below 2^53 - unit): when `t` is
 * a multiple, `t / unit` is an exact integer and the product gives `t` back; otherwise the
 * product is a multiple and differs from `t`. NaN and ±Infinity give false, as `%` does.
 */
export function isMultiple(t: number, unit: number): boolean {
  return t - Math.floor(t / unit) * unit === 0;
}

/**
 * The frame of bars from their timestamps, for feeds that do not declare one: every bar at
 * midnight → Days; two bars in one millisecond or times below the second → Ticks; times
 * below the minute → Seconds; otherwise Minutes.
 */
export function inferFrame(datetime: Float64Array): BarFrame {
  let midnight = true;
  let subSecond = false;
  let subMinute = false;
  for (let i = 0; i < datetime.length; i++) {
    const t = datetime[i]!;
    if (midnight && !isMultiple(t, DAY)) midnight = false;
    if (!isMultiple(t, 1000) || (i > 0 && t === datetime[i - 1])) {
      subSecond = true;
      break;
    }
    if (!subMinute && !isMultiple(t, MINUTE)) subMinute = true;
  }
  if (midnight && datetime.length > 0) return { timeframe: 'Days', compression: 1 };
  if (subSecond) return { timeframe: 'Ticks', compression: 1 };
  return { timeframe: subMinute ? 'Seconds' : 'Minutes', compression: 1 };
}

/** `Hours` as the core sees it: minutes × 60. */
export function coreFrame(frame: BarFrame): { timeframe: string; compression: number; unit: number } {
  return frame.timeframe === 'Hours'
    ? { timeframe: 'Minutes', compression: frame.compression * 60, unit: 60 }
    : { timeframe: frame.timeframe, compression: frame.compression, unit: 1 };
}

/** Parses `HH:MM[:SS[.fff]]` into milliseconds after midnight (24:00 allowed). */
export function parseTimeOfDay(text: unknown, what: string): number {
  const m = typeof text === 'string' ? /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text) : null;
  const ms = m ? ((+m[1]! * 60 + +m[2]!) * 60 + +(m[3] ?? 0)) * 1000 + +(m[4] ?? '0').padEnd(3, '0') : NaN;
  if (!m || +m[2]! > 59 || +(m[3] ?? 0) > 59 || ms > DAY) {
    throw new ParamError(`${what}: '${String(text)}' is not a time of day; write HH:MM or HH:MM:SS (e.g. '15:00')`);
  }
  return ms;
}
