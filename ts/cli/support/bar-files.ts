/**
 * Bar files for `ferrotrade data`: reading a CSV or Parquet file into store columns, and writing
 * stored bars back as backtrader CSV (the format `data import` reads, so export → import is lossless).
 */
import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';

import { DataError } from '../../errors.js';
import { backtraderCsv, yahooCsv } from '../../feeds/csv.js';
import type { DataFeed } from '../../feeds/datafeed.js';
import { parquet } from '../../feeds/parquet.js';
import type { BarFrame } from '../../feeds/timeframe.js';
import type { BarColumns, BarInput } from '../../store/types.js';
import { CliUsageError } from '../exit-codes.js';

/** Formats `data import` reads. */
export const IMPORT_FORMATS = ['backtrader', 'yahoo', 'parquet'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A file read for import: its bars as store input, and what the reader skipped. */
export interface ReadBars {
  bars: BarInput;
  count: number;
  /** The store timeframe name the bars' spacing suggests (`'1d'`, `'5m'`, ...), if any. */
  inferredTimeframe: string | undefined;
  /** Rows the reader left out (only with skipping enabled; otherwise a bad row throws). */
  skipped: number;
}

/** The format of `file`: given, or from its extension (`.parquet` / `.pq`, else backtrader CSV). */
export function formatOf(file: string, given: string | undefined): ImportFormat {
  if (given !== undefined) {
    if (!(IMPORT_FORMATS as readonly string[]).includes(given)) throw new CliUsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got '${given}'`);
    return given as ImportFormat;
  }
  const ext = extname(file).toLowerCase();
  return ext === '.parquet' || ext === '.pq' ? 'parquet' : 'backtrader';
}

/** The symbol a file's bars are stored under when `--symbol` is not given: its name without extension. */
export function symbolOfFile(file: string): string {
  return basename(file, extname(file));
}

/** Store timeframe name of a feed's frame, e.g. Days/1 → `'1d'`, Minutes/60 → `'1h'`. */
export function timeframeName(frame: BarFrame): string | undefined {
  const { timeframe, compression: n } = frame;
  if (timeframe === 'Days' && n === 1) return '1d';
  if (timeframe === 'Weeks' && n === 1) return '1w';
  if (timeframe === 'Minutes') return n % 60 === 0 ? `${n / 60}h` : `${n}m`;
  if (timeframe === 'Seconds') return `${n}s`;
  return undefined;
}

/** Reads the bars of a CSV or Parquet file (a malformed row is a `DataParseError` naming file, line, column). */
export function readBarFile(file: string, format: ImportFormat): ReadBars {
  const feed: DataFeed = format === 'parquet' ? parquet(file) : format === 'yahoo' ? yahooCsv(file) : backtraderCsv(file);
  const c = feed.columns;
  if (c.close.length === 0) throw new DataError('DATA', `${file} has no bars; nothing to import`);
  let inferred: string | undefined;
  try {
    inferred = c.close.length > 1 ? timeframeName(feed.frame) : undefined;
  } catch {
    inferred = undefined;
  }
  return {
    bars: { time: c.datetime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, openInterest: c.openinterest },
    count: c.close.length,
    inferredTimeframe: inferred,
    skipped: feed.skipped,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A UTC time as backtrader CSV writes it: the date, and the time of day unless every bar is at midnight. */
function dateCells(ms: number, withTime: boolean): string[] {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return withTime ? [date, `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`] : [date];
}

/** Stored bars as backtrader CSV text (`Date[,Time],Open,High,Low,Close,Volume,OpenInterest`). */
export function barsToCsv(bars: BarColumns): string {
  const n = bars.time.length;
  let intraday = false;
  for (let i = 0; i < n && !intraday; i++) intraday = bars.time[i]! % 86_400_000 !== 0;
  const lines = [(intraday ? ['Date', 'Time'] : ['Date']).concat(['Open', 'High', 'Low', 'Close', 'Volume', 'OpenInterest']).join(',')];
  for (let i = 0; i < n; i++) {
    const oi = bars.openInterest[i]!;
    lines.push([...dateCells(bars.time[i]!, intraday), bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i], Number.isNaN(oi) ? 0 : oi].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `text` to `out` (`-` is stdout). */
export function writeOut(out: string, text: string): void {
  if (out === '-') process.stdout.write(text);
  else writeFileSync(out, text);
}
