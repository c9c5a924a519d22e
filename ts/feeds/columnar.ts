/**
 * The shared path of `feeds.arrow` and `feeds.parquet`: options checked here, the file decoded
 * and its bars checked in Rust (arrow-rs), then the options every feed shares applied.
 * @internal
 */
import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import { DataFeed } from './datafeed.js';
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
   * Skip rows that cannot become a valid bar — a null in a mapped column, a NaN timestamp,
   * unreadable date text, a timestamp out of range, or (with `checkBars`) a bar that fails the
   * bar checks — and count them in `data.skipped` / `data.skippedExamples` (whose `line` is the
   * 0-based row), instead of failing on the first.
   */
  skipMalformed?: boolean;
  /** Largest file read from a path, in bytes (as for the CSV feeds: 4 GiB, 256 MiB from a device or pipe). */
  maxBytes?: number;
}

type Format = 'Arrow IPC' | 'Parquet';
const MAPPED = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;
const OPTIONAL = new Set(['volume', 'openinterest']);

/** The options as the native reader takes them; wrong types are a `ParamError` here. */
function nativeOptions(options: ColumnarFeedOptions) {
  if (options === null || typeof options !== 'object') throw new ParamError('feed options must be an object, e.g. { close: "px_last" }');
  const out: Record<string, unknown> = { ignore: [] as string[] };
  for (const field of MAPPED) {
    const ref = options[field];
    if (ref === undefined) continue;
    if (ref === null && OPTIONAL.has(field)) {
      (out.ignore as string[]).push(field);
      continue;
    }
    if (typeof ref !== 'string' && typeof ref !== 'number') {
      throw new ParamError(`${field} must be a column name or a 0-based column index${OPTIONAL.has(field) ? ', or null to leave it out' : ''}`);
    }
    out[field] = ref;
  }
  if (options.skipMalformed !== undefined && typeof options.skipMalformed !== 'boolean') throw new ParamError('skipMalformed must be true or false');
  if (options.checkBars !== undefined && typeof options.checkBars !== 'boolean') throw new ParamError('checkBars must be true or false');
  out.skipMalformed = options.skipMalformed === true;
  out.checkBars = options.checkBars !== false;
  if (options.maxBytes !== undefined) out.maxBytes = options.maxBytes;
  return out as never;
}

/** @internal Reads an Arrow IPC or Parquet source (a path or bytes) into a feed. */
export function columnarFeed(format: Format, pathOrBytes: string | Uint8Array | ArrayBuffer, options: ColumnarFeedOptions, bytesName: string): DataFeed {
  const opts = nativeOptions(options);
  const arrow = format === 'Arrow IPC';
  let label: string;
  let name: string;
  let read;
  if (typeof pathOrBytes === 'string') {
    label = pathOrBytes;
    name = options.name ?? pathOrBytes.split(/[\\/]/).pop() ?? pathOrBytes;
    read = callNative(() => (arrow ? native.readArrowFileColumns(pathOrBytes, opts) : native.readParquetFileColumns(pathOrBytes, opts)));
  } else {
    const bytes = pathOrBytes instanceof ArrayBuffer ? new Uint8Array(pathOrBytes) : pathOrBytes;
    if (!(bytes instanceof Uint8Array)) {
      throw new ParamError(`the ${format} source must be a file path, a Uint8Array/Buffer or an ArrayBuffer`);
    }
    name = options.name ?? bytesName;
    label = `${format} bytes '${name}'`;
    read = callNative(() => (arrow ? native.readArrowBytesColumns(label, bytes, opts) : native.readParquetBytesColumns(label, bytes, opts)));
  }
  const { skipped, skippedExamples, zoned, datetimeColumn, ...columns } = read;
  let zoneOptions: FeedOptions = options;
  if (zoned) {
    if (options.tzInput !== undefined) {
      throw new ParamError(
        `${label}: column '${datetimeColumn}' is a Timestamp with a timezone, so its values are UTC instants; leave tzInput out (tz alone sets the wall clock they are shown in)`,
      );
    }
    if (options.tz !== undefined) zoneOptions = { ...options, tzInput: 'UTC' };
  }
  const zonedCols = applyZones(columns, zoneOptions);
  return new DataFeed(name, clip(zonedCols.columns, options), skipped, skippedExamples, zonedCols.meta);
}
