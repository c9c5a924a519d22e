import type { DataFeed } from './datafeed.js';
import { arrowLib, pickColumns, readSource, tableFeed, unreadable, type ColumnarFeedOptions } from './table-columns.js';

/**
 * A feed from Apache Arrow IPC data: a `.arrow`/`.feather` (v2) file or an Arrow stream, given
 * as a path or as bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`). Read with `apache-arrow`.
 *
 * Columns are found by name (`datetime`, `date`, `timestamp` or `time`; `open`, `high`, `low`,
 * `close`, and optional `volume` and `openinterest`, in any case) or mapped by the options.
 * The datetime column may be a Timestamp of any unit (with a zone in the schema its values are
 * instants, shown on the wall clock of `tz`, or kept as UTC without `tz`; without a zone they are
 * wall-clock times, as in the CSV feeds), Date32/Date64, integer or float epoch milliseconds, or
 * ISO text. Prices and volumes may be any integer, float or decimal type. A Float64 column
 * without nulls in one record batch is used in place, without a copy.
 *
 * @throws DataError naming the source and column: unreadable bytes, a missing column, a column
 *   of a type that cannot be read, or a null (unless `skipMalformed`).
 * @throws TimeBackwardsError when a timestamp is earlier than the one before it.
 */
export function arrow(pathOrBytes: string | Uint8Array | ArrayBuffer, options: ColumnarFeedOptions = {}): DataFeed {
  const source = readSource(pathOrBytes, 'Arrow IPC', options, 'arrow');
  const lib = arrowLib(); // outside the try: a missing package is not unreadable bytes
  let table;
  try {
    table = lib.tableFromIPC(source.bytes);
  } catch (err) {
    throw unreadable(source, 'Arrow IPC', err);
  }
  // tableFromIPC reads bytes that hold no message at all (an empty or foreign file) as an
  // empty table without a schema rather than failing.
  if (table.schema.fields.length === 0) throw unreadable(source, 'Arrow IPC', new Error('no schema found'));
  return tableFeed(table, pickColumns(table.schema, source, options), source, options);
}
