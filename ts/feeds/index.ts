export { backtraderCsv, yahooCsv, genericCsv } from './csv.js';
export type { YahooCsvOptions, GenericCsvOptions, ColumnRef } from './csv.js';
export { fromColumns } from './memory.js';
export type { ColumnsInput } from './memory.js';
export type { FeedOptions, CsvFeedOptions } from './load.js';
export { DataFeed, DateTimeLine } from './datafeed.js';
export type { OhlcvColumns, SkippedRow } from './datafeed.js';
