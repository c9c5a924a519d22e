import type { DataFeed } from './datafeed.js';
import { columnarFeed, type ColumnarFeedOptions } from './columnar.js';

/**
 * A feed from Apache Arrow IPC data: a `.arrow`/`.feather` (v2) file or an Arrow stream, given
 * as a path or as bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`). Decoded in Rust with arrow-rs
 * (lz4 and zstd compressed bodies included); no JavaScript package is needed, and a corrupt
 * file is a `DataError`, never a crash.
 *
 * Columns are found by name (`datetime`, `date`, `timestamp` or `time`; `open`, `high`, `low`,
 * `close`, and optional `volume` and `openinterest`, in any case) or mapped by the options.
 * The datetime column may be a Timestamp of any unit (with a zone in the schema its values are
 * instants, shown on the wall clock of `tz`, or kept as UTC without `tz`; without a zone they are
 * wall-clock times, as in the CSV feeds), Date32/Date64, integer or float epoch milliseconds, or
 * ISO text. Prices and volumes may be any integer, float or decimal type. The feed owns its
 * columns: nothing done to the bytes afterwards reaches it.
 *
 * @throws DataError naming the source and column: unreadable bytes, a missing column, a column
 *   of a type that cannot be read, a null or an invalid bar (unless `skipMalformed`).
 * @throws TimeBackwardsError when a timestamp is earlier than the one before it.
 */
export function arrow(pathOrBytes: string | Uint8Array | ArrayBuffer, options: ColumnarFeedOptions = {}): DataFeed {
  return columnarFeed('Arrow IPC', pathOrBytes, options, 'arrow');
}
