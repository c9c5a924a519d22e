import type { DataFeed } from './datafeed.js';
import { columnarFeed, type ColumnarFeedOptions } from './columnar.js';

/**
 * A feed from a Parquet file (path or bytes), decoded in Rust with arrow-rs's `parquet` crate
 * (snappy, gzip, lz4 and zstd pages; brotli is not supported). Only the mapped columns are
 * decoded, and a corrupt file is a `DataError`, never a crash.
 *
 * Columns and types are as for {@link arrow}: found by name (`datetime`/`date`/`timestamp`/
 * `time`, `open`, `high`, `low`, `close`, optional `volume` and `openinterest`, any case) or
 * mapped by the options; timestamps adjusted to UTC (a zone in the Arrow schema) are instants,
 * shown on the wall clock of `tz`; others are wall-clock times.
 *
 * @throws DataError naming the file and column: an unreadable or corrupt file, a missing column,
 *   a column of a type that cannot be read, a null or an invalid bar (unless `skipMalformed`).
 * @throws TimeBackwardsError when a timestamp is earlier than the one before it.
 */
export function parquet(pathOrBytes: string | Uint8Array | ArrayBuffer, options: ColumnarFeedOptions = {}): DataFeed {
  return columnarFeed('Parquet', pathOrBytes, options, 'parquet');
}
