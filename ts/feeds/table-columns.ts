/**
 * Turns an Arrow table (from an Arrow IPC file or a Parquet file) into a feed: picks the
 * columns, converts them to Float64Array, checks nulls and values, then applies the options
 * every feed shares.
 * @internal
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Arrow from 'apache-arrow';

import { native } from '../native.js';
import { requirePeer } from '../optional-peer.js';
import { callNative, DataError, ParamError, TimeBackwardsError } from '../errors.js';
import { DataFeed, type OhlcvColumns, type SkippedRow } from './datafeed.js';
import { applyZones, clip, type FeedOptions } from './load.js';
import type { ColumnRef } from './csv.js';

/** Options of `feeds.arrow` and `feeds.parquet`: the common feed options and a column mapping. */
export interface ColumnarFeedOptions extends FeedOptions {
  /**
   * Column of the timestamps, by name or 0-based position. By default the first column named
   * `datetime`, `date`, `timestamp` or `time` (in that order of preference, any case).
   */
  datetime?: ColumnRef;
  /** Default: the column named `open` (any case). */
  open?: ColumnRef;
  /** Default: the column named `high` (any case). */
  high?: ColumnRef;
  /** Default: the column named `low` (any case). */
  low?: ColumnRef;
  /** Default: the column named `close` (any case). */
  close?: ColumnRef;
  /** Default: the column named `volume` (any case), or 0 on every bar when there is none. `null`: ignore it. */
  volume?: ColumnRef | null;
  /** Default: the column named `openinterest` (any case), or 0 when there is none. `null`: ignore it. */
  openinterest?: ColumnRef | null;
  /**
   * Skip rows with a null in a mapped column, a NaN timestamp or unreadable date text, and count them in
   * `data.skipped` / `data.skippedExamples` (whose `line` is the 0-based row), instead of
   * failing on the first.
   */
  skipMalformed?: boolean;
  /** Largest file read from a path, in bytes (as for the CSV feeds: 4 GiB, 256 MiB from a device or pipe). */
  maxBytes?: number;
}

type Field = 'datetime' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'openinterest';
const FIELDS: readonly Field[] = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'];
const DEFAULT_NAMES: Record<Field, readonly string[]> = {
  datetime: ['datetime', 'date', 'timestamp', 'time'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  volume: ['volume'],
  openinterest: ['openinterest'],
};
const OPTIONAL: ReadonlySet<Field> = new Set(['volume', 'openinterest']);

// Loaded on first use, an optional peer dependency: apache-arrow costs ~65 ms to import, which
// every `import 'ferrotrade'` would pay even when no columnar file is read, and a backtest on CSV
// does not install it. `require` works from the ESM and CJS builds alike.
let arrowModule: typeof Arrow | undefined;

/** @internal apache-arrow, loaded on first use. */
export function arrowLib(): typeof Arrow {
  return (arrowModule ??= requirePeer<typeof Arrow>('apache-arrow', 'Arrow and Parquet feeds'));
}

/** @internal Where the bytes of a columnar feed come from, and how messages name them. */
export interface Source {
  bytes: Uint8Array;
  /** How messages name the source: the path, or `<format> bytes '<name>'` for bytes in memory. */
  label: string;
  /** Feed name: the option, else the file name, else `bytesName`. */
  name: string;
}

/** @internal Reads a file (or takes bytes) for a columnar feed; a missing file is a `DataError`. */
export function readSource(pathOrBytes: string | Uint8Array | ArrayBuffer, format: string, options: FeedOptions, bytesName: string): Source {
  if (typeof pathOrBytes === 'string') {
    const bytes: Uint8Array = callNative(() => native.readFileBounded(pathOrBytes, (options as ColumnarFeedOptions).maxBytes));
    return { bytes, label: pathOrBytes, name: options.name ?? pathOrBytes.split(/[\\/]/).pop() ?? pathOrBytes };
  }
  const bytes = pathOrBytes instanceof ArrayBuffer ? new Uint8Array(pathOrBytes) : pathOrBytes;
  if (!(bytes instanceof Uint8Array)) {
    throw new ParamError(`the ${format} source must be a file path, a Uint8Array/Buffer or an ArrayBuffer`);
  }
  const name = options.name ?? bytesName;
  return { bytes, label: `${format} bytes '${name}'`, name };
}

/** @internal The error for bytes the library could not decode. */
export function unreadable(source: Source, format: string, err: unknown): DataError {
  const why = err instanceof Error ? err.message : String(err);
  return new DataError('DATA', `${source.label}: not a readable ${format} file (${why}); check that it is ${format} and complete`);
}

/** A mapped column: the feed field, the table column it reads, and that column's index. */
interface Picked {
  field: Field;
  name: string;
  index: number;
}

/**
 * @internal Resolves the column mapping against a schema. Exact names win over names in
 * another case so that `Close` and `close` in one file stay distinct when asked for by name.
 */
export function pickColumns(schema: Arrow.Schema, source: Source, options: ColumnarFeedOptions): Picked[] {
  const names = schema.fields.map((f) => f.name);
  const listing = names.length > 0 ? names.join(', ') : '(none)';
  const picked: Picked[] = [];
  for (const field of FIELDS) {
    const ref = options[field];
    if (ref === null && OPTIONAL.has(field)) continue;
    if (ref === null || (ref !== undefined && typeof ref !== 'string' && typeof ref !== 'number')) {
      throw new ParamError(`${field} must be a column name or a 0-based column index${OPTIONAL.has(field) ? ', or null to leave it out' : ''}`);
    }
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= names.length) {
        throw new DataError('DATA', `${source.label}: ${field} is mapped to column index ${ref} but the file has ${names.length} columns (${listing}); use an index from 0 to ${names.length - 1} or a name`);
      }
      picked.push({ field, name: names[ref]!, index: ref });
      continue;
    }
    const wanted = ref === undefined ? DEFAULT_NAMES[field] : [ref];
    let index = ref === undefined ? -1 : names.indexOf(ref);
    for (const w of wanted) {
      if (index >= 0) break;
      index = names.findIndex((n) => n.toLowerCase() === w.toLowerCase());
    }
    if (index >= 0) {
      picked.push({ field, name: names[index]!, index });
      continue;
    }
    if (ref === undefined && OPTIONAL.has(field)) continue;
    const looked = wanted.map((w) => `'${w}'`).join(', ');
    throw new DataError(
      'DATA',
      ref === undefined
        ? `${source.label}: no ${field} column (looked for ${looked}, in any case); columns are: ${listing}. Name it with the option ${field}: '<column>'`
        : `${source.label}: column '${ref}' (option ${field}) is not in the file; columns are: ${listing}`,
    );
  }
  return picked;
}

/** What a column reader found: the values, and a description for rows that cannot be used. */
interface Converted {
  values: Float64Array;
  /** Why row `i` is unusable, or undefined; called only for flagged rows. */
  reasonAt(i: number): string | undefined;
}

/** Rows flagged unusable by any column (lazily allocated: most files have none). */
class RowFlags {
  mask: Uint8Array | undefined;
  count = 0;
  constructor(readonly n: number) {}
  flag(i: number): void {
    const mask = (this.mask ??= new Uint8Array(this.n));
    if (mask[i] === 0) {
      mask[i] = 1;
      this.count++;
    }
  }
}

const DAY_MS = 86_400_000;
const TWO32 = 4_294_967_296;

/**
 * Int64 values to numbers without a BigInt per value (BigInt conversion is ~10× slower over a
 * million rows). `scale > 0` multiplies (seconds → ms); `scale < 0` floor-divides by `-scale`
 * (µs, ns → ms) exactly, by splitting the high word so no intermediate exceeds 2^53.
 */
function int64Into(chunk: Arrow.Data, signed: boolean, scale: number, out: Float64Array, at: number): void {
  const values = chunk.values as BigInt64Array | BigUint64Array;
  const n = Math.min(chunk.length, values.length);
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  if (scale >= 0) {
    const m = scale === 0 ? 1 : scale;
    for (let i = 0; i < n; i++) {
      const hi = signed ? words[2 * i + 1]! : words[2 * i + 1]! >>> 0;
      out[at + i] = (hi * TWO32 + (words[2 * i]! >>> 0)) * m;
    }
    return;
  }
  const d = -scale;
  const q = Math.floor(TWO32 / d);
  const r = TWO32 - q * d;
  for (let i = 0; i < n; i++) {
    const hi = signed ? words[2 * i + 1]! : words[2 * i + 1]! >>> 0;
    out[at + i] = hi * q + Math.floor((hi * r + (words[2 * i]! >>> 0)) / d);
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (as the CSV reader computes it). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The CSV reader's ISO form (`YYYY-MM-DD[ T]HH:MM[:SS[.fff]]`, naive), or NaN. */
function parseIsoMs(text: string): number {
  const m = ISO.exec(text.trim());
  if (!m) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > MONTH_DAYS[mo - 1]! + (mo === 2 && leap ? 1 : 0)) return NaN;
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  if (h > 23 || mi > 59 || s > 60) return NaN;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Fills `out` from each chunk with `into`, flagging null rows; the common shape of every reader. */
function byChunk(
  vector: Arrow.Vector,
  flags: RowFlags,
  into: (chunk: Arrow.Data, out: Float64Array, at: number) => void,
): Float64Array {
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const chunk of vector.data) {
    into(chunk, out, at);
    if (chunk.nullCount > 0) {
      for (let i = 0; i < chunk.length; i++) if (!chunk.getValid(i)) flags.flag(at + i);
    }
    at += chunk.length;
  }
  return out;
}

function nullReason(vector: Arrow.Vector, name: string): (i: number) => string | undefined {
  return (i) => (vector.isValid(i) ? undefined : `column '${name}' is null`);
}

/**
 * A numeric column as Float64Array. A Float64 column in one chunk without nulls is returned as
 * a view of the bytes read (no copy); the others are converted.
 */
function numericColumn(vector: Arrow.Vector, col: Picked, source: Source, flags: RowFlags): Converted {
  const arrow = arrowLib();
  const { Type, Precision } = arrow;
  const type = vector.type as Arrow.DataType;
  const reasonAt = nullReason(vector, col.name);
  const chunk0 = vector.data[0];
  if (type.typeId === Type.Float && (type as Arrow.Float).precision === Precision.DOUBLE && vector.data.length === 1 && chunk0!.nullCount === 0) {
    const v = chunk0!.values as Float64Array;
    return { values: v.length === chunk0!.length ? v : v.subarray(0, chunk0!.length), reasonAt };
  }
  if (type.typeId === Type.Int && (type as Arrow.Int).bitWidth === 64) {
    const signed = (type as Arrow.Int).isSigned;
    return { values: byChunk(vector, flags, (c, out, at) => int64Into(c, signed, 0, out, at)), reasonAt };
  }
  if (type.typeId === Type.Int || (type.typeId === Type.Float && (type as Arrow.Float).precision !== Precision.HALF)) {
    const into = (c: Arrow.Data, out: Float64Array, at: number) => out.set((c.values as Float64Array).subarray(0, c.length), at);
    return { values: byChunk(vector, flags, into), reasonAt };
  }
  if (type.typeId === Type.Float || type.typeId === Type.Decimal) {
    // Half floats and decimals are rare in price data: read value by value through the library.
    const scale = type.typeId === Type.Decimal ? (type as Arrow.Decimal).scale : 0;
    const out = new Float64Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const v: unknown = vector.get(i);
      if (v === null || v === undefined) flags.flag(i);
      else if (typeof v === 'object') out[i] = arrow.util.bigNumToNumber(v as never, scale);
      else out[i] = Number(v) / 10 ** scale;
    }
    return { values: out, reasonAt };
  }
  throw new DataError(
    'DATA',
    `${source.label}: column '${col.name}' (${col.field}) is ${String(type)}, not a number; store ${col.field} as an integer, float or decimal column, or map another column with ${col.field}: '<column>'`,
  );
}

/**
 * The datetime column as milliseconds: Timestamp (any unit), Date32/Date64, integer or float
 * epoch milliseconds, or ISO text. `zoned` is true when the schema gives a Timestamp zone,
 * i.e. the values are UTC instants rather than wall-clock times.
 */
function datetimeColumn(vector: Arrow.Vector, col: Picked, source: Source, flags: RowFlags): Converted & { zoned: boolean } {
  const arrow = arrowLib();
  const { Type, TimeUnit, DateUnit } = arrow;
  let type = vector.type as Arrow.DataType;
  const isNull = nullReason(vector, col.name);
  if (type.typeId === Type.Timestamp) {
    const ts = type as Arrow.Timestamp;
    const scale = ts.unit === TimeUnit.SECOND ? 1000 : ts.unit === TimeUnit.MILLISECOND ? 0 : ts.unit === TimeUnit.MICROSECOND ? -1000 : -1_000_000;
    const values = byChunk(vector, flags, (c, out, at) => int64Into(c, true, scale, out, at));
    return { values, reasonAt: isNull, zoned: typeof ts.timezone === 'string' && ts.timezone !== '' };
  }
  if (type.typeId === Type.Date) {
    const day = (type as Arrow.Date_).unit === DateUnit.DAY;
    const values = byChunk(vector, flags, (c, out, at) => {
      if (day) {
        const v = c.values as Int32Array;
        for (let i = 0; i < c.length; i++) out[at + i] = v[i]! * DAY_MS;
      } else int64Into(c, true, 0, out, at);
    });
    return { values, reasonAt: isNull, zoned: false };
  }
  if (type.typeId === Type.Int && (type as Arrow.Int).bitWidth < 64) {
    // Epoch milliseconds need 64 bits (32 bits end in January 1970): a narrower integer is
    // seconds or days, and guessing which would shift every bar silently.
    throw new DataError(
      'DATA',
      `${source.label}: datetime column '${col.name}' holds ${(type as Arrow.Int).bitWidth}-bit integers, too small for epoch milliseconds; ` +
        'store it as a Timestamp or Date column, or as 64-bit epoch milliseconds',
    );
  }
  if (type.typeId === Type.Int || type.typeId === Type.Float || type.typeId === Type.Decimal) {
    return { ...numericColumn(vector, col, source, flags), zoned: false };
  }
  if (type.typeId === Type.Dictionary) type = (type as Arrow.Dictionary).dictionary;
  if (type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8 || type.typeId === Type.Utf8View) {
    const out = new Float64Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const text: unknown = vector.get(i);
      out[i] = typeof text === 'string' ? parseIsoMs(text) : NaN;
      if (Number.isNaN(out[i]!)) flags.flag(i);
    }
    const reasonAt = (i: number) => {
      const text: unknown = vector.get(i);
      if (typeof text !== 'string') return `column '${col.name}' is null`;
      return `'${text}' in column '${col.name}' is not a date of the form YYYY-MM-DD[ HH:MM[:SS[.fff]]] (store a Timestamp column for instants with a zone)`;
    };
    return { values: out, reasonAt: (i) => (Number.isNaN(out[i]!) ? reasonAt(i) : undefined), zoned: false };
  }
  throw new DataError(
    'DATA',
    `${source.label}: column '${col.name}' (datetime) is ${String(vector.type)}; store the datetime as a Timestamp, Date32/Date64, epoch milliseconds or ISO text (YYYY-MM-DD[ HH:MM[:SS]]), or map another column with datetime: '<column>'`,
  );
}

/** Keeps the rows not flagged, in every column. */
function compact(columns: OhlcvColumns, mask: Uint8Array, kept: number): OhlcvColumns {
  const out = {} as OhlcvColumns;
  for (const field of FIELDS) {
    const src = columns[field];
    const dst = new Float64Array(kept);
    let j = 0;
    for (let i = 0; i < src.length; i++) if (mask[i] === 0) dst[j++] = src[i]!;
    out[field] = dst;
  }
  return out;
}

/** Original row of the `k`-th kept row, so messages after skipping still point into the file. */
function originalRow(mask: Uint8Array, k: number): number {
  let seen = -1;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0 && ++seen === k) return i;
  return k;
}

/** @internal Builds the feed from a table whose columns were picked by `pickColumns`. */
export function tableFeed(table: Arrow.Table, picked: readonly Picked[], source: Source, options: ColumnarFeedOptions): DataFeed {
  const n = table.numRows;
  const flags = new RowFlags(n);
  const readers: { field: Field; reasonAt: (i: number) => string | undefined }[] = [];
  const columns: Partial<OhlcvColumns> = {};
  let zoned = false;
  for (const col of picked) {
    const vector = table.getChild(col.name) ?? table.getChildAt(col.index);
    if (!vector) throw new DataError('DATA', `${source.label}: column '${col.name}' could not be read`);
    let converted: Converted;
    if (col.field === 'datetime') {
      const dt = datetimeColumn(vector, col, source, flags);
      zoned = dt.zoned;
      // Flagged here rather than left to the native check, so skipMalformed can skip them.
      const values = dt.values;
      for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) flags.flag(i);
      converted = {
        values,
        reasonAt: (i) => dt.reasonAt(i) ?? (Number.isNaN(values[i]!) ? `column '${col.name}' is NaN, and every bar needs a timestamp` : undefined),
      };
    } else converted = numericColumn(vector, col, source, flags);
    readers.push({ field: col.field, reasonAt: converted.reasonAt });
    columns[col.field] = converted.values;
  }
  columns.volume ??= new Float64Array(n);
  columns.openinterest ??= new Float64Array(n);
  let full = columns as OhlcvColumns;

  const skippedExamples: SkippedRow[] = [];
  if (flags.count > 0) {
    const mask = flags.mask!;
    const why = (row: number) => {
      for (const r of readers) {
        const reason = r.reasonAt(row);
        if (reason !== undefined) return { field: r.field, reason };
      }
      return { field: 'datetime' as Field, reason: 'unusable value' };
    };
    if (!options.skipMalformed) {
      const row = mask.indexOf(1);
      const first = why(row);
      const leaveOut = OPTIONAL.has(first.field) ? `, leave the column out with ${first.field}: null` : '';
      throw new DataError(
        'DATA',
        `${source.label}: row ${row}: ${first.reason} (${flags.count} row${flags.count === 1 ? '' : 's'} in all); fill or drop such rows${leaveOut}, or pass skipMalformed: true to skip and count them`,
      );
    }
    for (let i = 0; i < n && skippedExamples.length < 100; i++) {
      if (mask[i] === 1) skippedExamples.push({ line: i, reason: why(i).reason });
    }
    full = compact(full, mask, n - flags.count);
  }

  try {
    callNative(() =>
      native.validateColumns(source.label, full.datetime, full.open, full.high, full.low, full.close, full.volume, full.openinterest, options.checkBars !== false),
    );
  } catch (err) {
    if (!flags.mask || !(err instanceof TimeBackwardsError)) throw err;
    const at = /^row (\d+)$/.exec(err.location);
    if (!at) throw err;
    const row = originalRow(flags.mask!, Number(at[1]));
    throw new TimeBackwardsError(err.message.replace(err.location, `row ${row}`), err.file, `row ${row}`);
  }

  let zoneOptions: FeedOptions = options;
  if (zoned) {
    if (options.tzInput !== undefined) {
      throw new ParamError(
        `${source.label}: column '${picked.find((c) => c.field === 'datetime')!.name}' is a Timestamp with a timezone, so its values are UTC instants; leave tzInput out (tz alone sets the wall clock they are shown in)`,
      );
    }
    if (options.tz !== undefined) zoneOptions = { ...options, tzInput: 'UTC' };
  }
  const zonedCols = applyZones(full, zoneOptions);
  return new DataFeed(source.name, clip(zonedCols.columns, options), flags.count, skippedExamples, zonedCols.meta);
}
