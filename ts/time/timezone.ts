/**
 * IANA timezones through `Intl` (no timezone database of our own).
 *
 * ferrotrade keeps a data's timestamps as wall-clock time in the data's own zone (a "naive"
 * time: the UTC fields of the `Date` hold the exchange's clock), with the zone's name as
 * metadata (`data.tz`). Sessions, daily bars at midnight, resampling boundaries and timers are
 * all wall-clock notions, so they need no conversion; instants (UTC) are computed only where
 * zones meet: ordering datas of different zones in one run, and reporting in another zone.
 */
import { TimezoneError } from '../errors.js';

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

/**
 * Checks an IANA name (`'America/New_York'`, `'Asia/Shanghai'`, `'UTC'`) and returns it.
 * @throws TimezoneError for a name Intl does not know.
 */
export function checkTimezone(tz: unknown, what = 'timezone'): string {
  if (typeof tz !== 'string' || tz === '') throw new TimezoneError(`${what} must be an IANA timezone name like 'America/New_York', got ${String(tz)}`);
  formatter(tz, what);
  return tz;
}

function formatter(tz: string, what = 'timezone'): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new TimezoneError(`${what}: unknown timezone '${tz}'; use an IANA name like 'America/New_York' or 'UTC'`);
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at the instant `utcMs` (ms to add to UTC to get wall-clock time). */
export function offsetAt(utcMs: number, tz: string): number {
  if (tz === 'UTC') return 0;
  // Offsets change on whole hours (or half/quarter hours at most): one Intl call per hour.
  const hour = Math.floor(utcMs / HOUR);
  let memo = offsets.get(tz);
  if (!memo) offsets.set(tz, (memo = new Map()));
  let off = memo.get(hour);
  if (off === undefined) {
    const at = hour * HOUR;
    const p: Record<string, number> = {};
    for (const part of formatter(tz).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
    if (memo.size > 200_000) memo.clear();
    memo.set(hour, off);
  }
  return off;
}

/** Wall-clock time in `tz` of the instant `utcMs`. */
export function utcToWall(utcMs: number, tz: string): number {
  return utcMs + offsetAt(utcMs, tz);
}

/**
 * The instant of wall-clock time `wallMs` in `tz`. A time skipped by a DST change is read with
 * the offset before the change (02:30 on a spring-forward night is 03:30 after it); a time that
 * occurs twice is the first occurrence.
 */
export function wallToUtc(wallMs: number, tz: string): number {
  const before = offsetAt(wallMs - 2 * 12 * HOUR, tz);
  const after = offsetAt(wallMs + 2 * 12 * HOUR, tz);
  const first = wallMs - Math.max(before, after);
  if (utcToWall(first, tz) === wallMs) return first;
  const second = wallMs - Math.min(before, after);
  if (utcToWall(second, tz) === wallMs) return second;
  return wallMs - before;
}

/** Wall-clock time `wallMs` of `fromTz` as wall-clock time of `toTz`. */
export function convertWall(wallMs: number, fromTz: string, toTz: string): number {
  return fromTz === toTz ? wallMs : utcToWall(wallToUtc(wallMs, fromTz), toTz);
}

/** A new column of `col` converted from `fromTz` wall clock to `toTz` wall clock. */
export function convertColumn(col: Float64Array, fromTz: string, toTz: string): Float64Array {
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = convertWall(col[i]!, fromTz, toTz);
  return out;
}
