import { checkOptionTypes, loadCsv, type CsvFeedOptions } from './load.js';
import type { DataFeed } from './datafeed.js';

/**
 * backtrader's CSV format (`BacktraderCSVData`): a header, then
 * `Date,Open,High,Low,Close,Volume,OpenInterest` with ISO dates, or with a `Time` column after
 * the date. A malformed row throws a `DataParseError` naming file, line and column.
 */
export function backtraderCsv(path: string, options: CsvFeedOptions = {}): DataFeed {
  return loadCsv(path, options, { format: 'backtrader' });
}

/** Options of Yahoo Finance CSV files (backtrader's defaults). */
export interface YahooCsvOptions extends CsvFeedOptions {
  /** Adjust open/high/low/close by `Adj Close / Close` (default true). */
  adjclose?: boolean;
  /** Scale volume by the inverse factor (default true). */
  adjvolume?: boolean;
  /** Round adjusted prices to `decimals` places (default true, 2 places). */
  round?: boolean;
  decimals?: number;
}

/**
 * Yahoo Finance CSV (`Date,Open,High,Low,Close,Adj Close,Volume`). Rows of `null` (days
 * without trading) are skipped and counted in `data.skipped`.
 */
export function yahooCsv(path: string, options: YahooCsvOptions = {}): DataFeed {
  const { adjclose, adjvolume, round, decimals } = options;
  return loadCsv(path, options, { format: 'yahoo', adjclose, adjvolume, round, decimals }, { adjclose: 'boolean', adjvolume: 'boolean', round: 'boolean', decimals: 'int' });
}

/** A column given by 0-based position or header name. */
export type ColumnRef = number | string;

/** Column mapping and formats of a generic CSV (backtrader's `GenericCSVData`). */
export interface GenericCsvOptions extends CsvFeedOptions {
  /** Defaults: datetime 0, open 1, high 2, low 3, close 4, volume 5, openinterest 6. `null`
   * leaves a column out (read as `nullValue`). */
  datetime?: ColumnRef;
  /** A separate time-of-day column. */
  time?: ColumnRef;
  open?: ColumnRef | null;
  high?: ColumnRef | null;
  low?: ColumnRef | null;
  close?: ColumnRef | null;
  volume?: ColumnRef | null;
  openinterest?: ColumnRef | null;
  /** `iso` (default), `unix` (seconds), `unix_ms`, or a strftime pattern like `%d/%m/%Y %H:%M`. */
  dateFormat?: string;
  /** strftime pattern of the time column (default `HH:MM[:SS]`). */
  timeFormat?: string;
  /** Whether the first line is a header (default true). */
  header?: boolean;
  /** Value of empty or absent fields (default NaN). */
  nullValue?: number;
}

const GENERIC_OPTION_TYPES = {
  datetime: 'column', time: 'column', open: 'column', high: 'column', low: 'column', close: 'column', volume: 'column', openinterest: 'column',
  dateFormat: 'string', timeFormat: 'string', header: 'boolean', nullValue: 'number',
};

/** A CSV with any column order and date format. */
export function genericCsv(path: string, options: GenericCsvOptions = {}): DataFeed {
  checkOptionTypes('genericCsv', options, GENERIC_OPTION_TYPES);
  const cols = ['open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;
  const absent = cols.filter((c) => options[c] === null);
  const mapped: Record<string, ColumnRef | undefined> = {};
  for (const c of cols) if (options[c] !== null && options[c] !== undefined) mapped[c] = options[c] as ColumnRef;
  return loadCsv(path, options, {
    format: 'generic',
    datetime: options.datetime,
    time: options.time,
    ...mapped,
    absent,
    dateFormat: options.dateFormat,
    timeFormat: options.timeFormat,
    header: options.header,
    nullValue: options.nullValue,
  });
}
