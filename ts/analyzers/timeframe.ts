import { ParamError } from '../errors.js';

/** backtrader's time frames, by name. */
export const TIMEFRAMES = [
  'Ticks', 'MicroSeconds', 'Seconds', 'Minutes', 'Days', 'Weeks', 'Months', 'Years', 'NoTimeFrame',
] as const;

/** A time frame name (`'Days'`, `'Months'`, ...), as backtrader's `bt.TimeFrame.*`. */
export type TimeFrame = (typeof TIMEFRAMES)[number];

/** Order of a time frame (backtrader's numbering: Ticks 1 ... NoTimeFrame 9). */
export function tfRank(tf: TimeFrame): number {
  return TIMEFRAMES.indexOf(tf) + 1;
}

/** Checks a time frame parameter; `null` passes (meaning: the data's time frame). */
export function checkTimeFrame(owner: string, name: string, v: unknown): void {
  if (v === null) return;
  if (typeof v !== 'string' || !(TIMEFRAMES as readonly string[]).includes(v)) {
    throw new ParamError(`${owner}: ${name} must be one of ${TIMEFRAMES.join(', ')} (or null), got ${JSON.stringify(v)}`);
  }
}

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of a time (UTC fields hold the data's wall-clock time). */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Python's `datetime.isoformat()` of a time: `YYYY-MM-DDTHH:MM:SS[.ffffff]`. */
export function isoDateTime(ms: number): string {
  const d = new Date(ms);
  const base = `${isoDate(ms)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const milli = d.getUTCMilliseconds();
  return milli ? `${base}.${pad(milli * 1000, 6)}` : base;
}

/** Time frame and compression of a data, inferred from its timestamps. */
export function inferTimeFrame(dt: Float64Array): { timeframe: TimeFrame; compression: number } {
  let step = Infinity;
  let midnight = true;
  for (let i = 0; i < dt.length; i++) {
    if (dt[i]! % DAY !== 0) midnight = false;
    if (i > 0 && dt[i]! - dt[i - 1]! > 0) step = Math.min(step, dt[i]! - dt[i - 1]!);
  }
  if (midnight || !Number.isFinite(step)) {
    if (step >= 365 * DAY && Number.isFinite(step)) return { timeframe: 'Years', compression: 1 };
    if (step >= 28 * DAY && Number.isFinite(step)) return { timeframe: 'Months', compression: 1 };
    if (step >= 7 * DAY && Number.isFinite(step)) return { timeframe: 'Weeks', compression: 1 };
    return { timeframe: 'Days', compression: 1 };
  }
  if (step % 60_000 === 0) return { timeframe: 'Minutes', compression: step / 60_000 };
  if (step % 1000 === 0) return { timeframe: 'Seconds', compression: step / 1000 };
  return { timeframe: 'MicroSeconds', compression: step * 1000 };
}

/** backtrader's `_get_dt_cmpkey`: the period a time falls in (comparable) and its key. */
export function periodOf(ms: number, tf: TimeFrame, compression: number): { cmp: number; key: string } {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  switch (tf) {
    case 'NoTimeFrame':
      return { cmp: Number.MAX_VALUE, key: '9999-12-31T23:59:59.999999' };
    case 'Years':
      return { cmp: y, key: `${pad(y, 4)}-12-31` };
    case 'Months':
      return { cmp: y * 100 + m, key: `${isoDate(Date.UTC(y, m, 0))}T00:00:00` };
    case 'Weeks': {
      const wd = d.getUTCDay() || 7; // ISO weekday, Monday 1
      const thursday = new Date(Date.UTC(y, m - 1, d.getUTCDate() + 4 - wd));
      const isoYear = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY / 7) + 1;
      return { cmp: isoYear * 100 + week, key: `${isoDate(Date.UTC(y, m - 1, d.getUTCDate() + 7 - wd))}T00:00:00` };
    }
    case 'Days':
      return { cmp: y * 10000 + m * 100 + d.getUTCDate(), key: `${isoDate(ms)}T00:00:00` };
    default:
      return subdayPeriod(ms, tf, compression);
  }
}

/** backtrader's `_get_subday_cmpkey`: the end of the `compression`-sized slot holding `ms`. */
function subdayPeriod(ms: number, tf: TimeFrame, compression: number): { cmp: number; key: string } {
  const dayStart = Math.floor(ms / DAY) * DAY;
  const inDay = ms - dayStart;
  const unit = tf === 'Minutes' ? 60_000 : tf === 'Seconds' ? 1000 : 0.001;
  // Whole units since midnight (microseconds for MicroSeconds/Ticks, truncated to the clock).
  const point = tf === 'Minutes' ? Math.floor(inDay / 60_000) : tf === 'Seconds' ? Math.floor(inDay / 1000) : Math.round(inDay * 1000);
  const slotEnd = (Math.floor(point / compression) + 1) * compression;
  const t = dayStart + slotEnd * unit - unit;
  return { cmp: t, key: isoDateTime(t) };
}

/** Per bar: whether a new period starts there (backtrader's `_dt_over`) and the period key. */
export interface PeriodMarks {
  over: Uint8Array;
  key: string[];
}

/** Marks the periods of `dt` for time frame `tf` (the first bar always starts one). */
export function periodMarks(dt: Float64Array, tf: TimeFrame, compression: number): PeriodMarks {
  const n = dt.length;
  const over = new Uint8Array(n);
  const key: string[] = new Array(n);
  let last = -Infinity;
  let current = '';
  for (let i = 0; i < n; i++) {
    const p = periodOf(dt[i]!, tf, compression);
    if (i === 0 || p.cmp > last) {
      over[i] = 1;
      last = p.cmp;
      current = p.key;
    }
    key[i] = current;
  }
  return { over, key };
}
