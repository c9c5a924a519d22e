import { native } from '../native.js';
import { callNative, DataError, ParamError } from '../errors.js';
import { DataFeed, type FeedMeta, type OhlcvColumns } from './datafeed.js';
import { checkTimezone, convertColumn } from '../time/timezone.js';
import { TradingCalendar } from '../time/calendar.js';
import { checkPositiveInt, checkTimeframe, type BarFrame, type TimeFrame } from './timeframe.js';

/** Options every feed accepts. */
export interface FeedOptions {
  /** Name of the data (defaults to the file name). */
  name?: string;
  /** Keep only bars at or after this date (`Date` or `YYYY-MM-DD[THH:MM:SS]`). */
  fromDate?: Date | string;
  /** Keep only bars at or before this date (inclusive; a bare date means the whole day). */
  toDate?: Date | string;
  /** Time frame of the bars (inferred from the timestamps when left out). */
  timeframe?: TimeFrame;
  /** Units of `timeframe` per bar (default 1). */
  compression?: number;
  /**
   * IANA timezone of the data, e.g. `'America/New_York'`: timestamps are kept as wall-clock
   * time there (`data.tz`). Datas of different zones are ordered by instant in a run.
   */
  tz?: string;
  /**
   * Zone the timestamps are written in, when not `tz` (e.g. `'UTC'`): they are converted to
   * `tz` wall clock on load (backtrader's `tzinput`). Needs `tz`.
   */
  tzInput?: string;
  /** Trading calendar of the data: sessions for resampling, timers and the scheduler. */
  calendar?: TradingCalendar;
  /**
   * Check every bar on load (default true): prices finite and above 0, `high >= low`, open and
   * close within `[low, high]`, volume >= 0 (rules: docs/data-feeds.md). `false` takes bars as
   * they are (spreads and other series that go negative). Timestamps beyond what a `Date`
   * holds are refused either way.
   */
  checkBars?: boolean;
}

/** @internal Applies `tzInput` → `tz` and returns the feed's metadata. */
export function applyZones(columns: OhlcvColumns, options: FeedOptions): { columns: OhlcvColumns; meta: FeedMeta } {
  const frame = declaredFrame(options);
  const calendar = options.calendar;
  if (calendar !== undefined && !(calendar instanceof TradingCalendar)) {
    throw new ParamError('calendar must be a TradingCalendar (new TradingCalendar({...}) or calendars.NYSE())');
  }
  if (options.tz === undefined) {
    if (options.tzInput !== undefined) throw new ParamError("tzInput needs tz too: the zone to convert to, e.g. tz: 'America/New_York'");
    return { columns, meta: { frame, calendar } };
  }
  const tz = checkTimezone(options.tz, 'tz');
  if (options.tzInput === undefined || options.tzInput === tz) return { columns, meta: { frame, tz, calendar } };
  const datetime = convertColumn(columns.datetime, checkTimezone(options.tzInput, 'tzInput'), tz);
  return { columns: { ...columns, datetime }, meta: { frame, tz, calendar } };
}

/** @internal The declared frame of a feed, checked. */
export function declaredFrame(options: FeedOptions): BarFrame | undefined {
  if (options.timeframe === undefined) {
    if (options.compression !== undefined) throw new ParamError('compression needs a timeframe too, e.g. { timeframe: \'Minutes\', compression: 5 }');
    return undefined;
  }
  return {
    timeframe: checkTimeframe(options.timeframe, 'timeframe'),
    compression: checkPositiveInt(options.compression ?? 1, 'compression'),
  };
}

/** Options of CSV feeds. */
export interface CsvFeedOptions extends FeedOptions {
  /** Skip malformed rows and count them (`data.skipped`) instead of failing on the first. */
  skipMalformed?: boolean;
  /** Field separator (one character), `,` by default. */
  separator?: string;
  /**
   * Largest file read, in bytes (default 4 GiB for a file, checked by its size before reading;
   * 256 MiB from a device or pipe, whose size is known only when it ends). More is refused with
   * a `DataError` instead of filling memory (`/dev/zero` never ends).
   */
  maxBytes?: number;
}

const DAY_MS = 86_400_000;

function toMs(value: Date | string, what: string, endOfDay: boolean): number {
  if (value instanceof Date) return value.getTime();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value.endsWith('Z') ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new DataError('DATA', `${what} '${value}' is not a date; use YYYY-MM-DD or a Date`);
  return dateOnly && endOfDay ? ms + DAY_MS - 1 : ms;
}

/** Lower bound in a sorted column. */
function firstAtOrAfter(col: Float64Array, t: number): number {
  let lo = 0;
  let hi = col.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (col[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** @internal Applies fromDate/toDate by slicing views (no copy). */
export function clip(columns: OhlcvColumns, options: FeedOptions): OhlcvColumns {
  if (options.fromDate === undefined && options.toDate === undefined) return columns;
  const dt = columns.datetime;
  const start = options.fromDate === undefined ? 0 : firstAtOrAfter(dt, toMs(options.fromDate, 'fromDate', false));
  const end =
    options.toDate === undefined ? dt.length : firstAtOrAfter(dt, toMs(options.toDate, 'toDate', true) + 1);
  const cut = (c: Float64Array) => c.subarray(start, Math.max(start, end));
  return {
    datetime: cut(columns.datetime),
    open: cut(columns.open),
    high: cut(columns.high),
    low: cut(columns.low),
    close: cut(columns.close),
    volume: cut(columns.volume),
    openinterest: cut(columns.openinterest),
  };
}

/** @internal Checks option types before they reach the addon (whose own messages say less). */
export function checkOptionTypes(what: string, options: object, types: Record<string, string>): void {
  if (options === null || typeof options !== 'object') throw new ParamError(`${what}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  for (const [key, type] of Object.entries(types)) {
    const v = (options as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const ok =
      type === 'column' ? (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= 0) || v === null)
        : type === 'int' ? typeof v === 'number' && Number.isInteger(v) && v >= 0
          : typeof v === type;
    if (!ok) {
      const want = type === 'column' ? 'a 0-based column index (a whole number >= 0) or a header name' : type === 'int' ? 'a whole number >= 0' : `a ${type}`;
      throw new ParamError(`${what}: option '${key}' must be ${want}, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
    }
  }
}

const CSV_OPTION_TYPES = { name: 'string', separator: 'string', skipMalformed: 'boolean', maxBytes: 'number', checkBars: 'boolean' };

/** @internal Reads a CSV file through the addon and wraps it as a feed. */
export function loadCsv(
  path: string,
  options: CsvFeedOptions,
  nativeOptions: Record<string, unknown> & { format: string },
  optionTypes: Record<string, string> = {},
): DataFeed {
  const what = nativeOptions.format === 'backtrader' ? 'backtraderCsv' : `${nativeOptions.format}Csv`;
  if (typeof path !== 'string') throw new ParamError(`${what} takes the path of a file (a string), got ${path === null ? 'null' : typeof path}`);
  checkOptionTypes(what, options, { ...CSV_OPTION_TYPES, ...optionTypes });
  const read = callNative(() =>
    native.readCsvFileColumns(path, {
      separator: options.separator,
      skipMalformed: options.skipMalformed,
      maxBytes: options.maxBytes,
      checkBars: options.checkBars,
      ...nativeOptions,
    } as Parameters<typeof native.readCsvFileColumns>[1]),
  );
  const name = options.name ?? path.split(/[\\/]/).pop() ?? path;
  const { columns, meta } = applyZones(read, options);
  return new DataFeed(name, clip(columns, options), read.skipped, read.skippedExamples, meta);
}
