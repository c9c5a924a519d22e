export { backtraderCsv, yahooCsv, genericCsv } from './csv.js';
export type { YahooCsvOptions, GenericCsvOptions, ColumnRef } from './csv.js';
export { fromColumns } from './memory.js';
export type { ColumnsInput } from './memory.js';
export type { FeedOptions, CsvFeedOptions } from './load.js';
export { DataFeed, DateTimeLine } from './datafeed.js';
export type { OhlcvColumns, SkippedRow } from './datafeed.js';
export { level2Csv, level2Columns, Level2Feed, TICK_TRADE, TICK_QUOTE, TICK_BOOK } from './level2.js';
export type { Level2ColumnsInput, Level2Options, Level2CsvOptions, TradeStream } from './level2.js';
