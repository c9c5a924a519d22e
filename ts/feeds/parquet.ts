import type * as ParquetWasm from 'parquet-wasm';

import { requirePeer } from '../optional-peer.js';
import type { DataFeed } from './datafeed.js';
import { arrowLib, pickColumns, readSource, tableFeed, unreadable, type ColumnarFeedOptions } from './table-columns.js';

// parquet-wasm's Node build is CommonJS and instantiates its WebAssembly synchronously, so the
// feed stays synchronous like the CSV ones and loads from both builds of this package. Loaded
// on first use: the 5 MB module is not paid for by runs that read no Parquet.
let parquetModule: typeof ParquetWasm | undefined;
function parquetLib(): typeof ParquetWasm {
  return (parquetModule ??= requirePeer<typeof ParquetWasm>('parquet-wasm', 'Parquet feeds'));
}

// A batch size past any row count gives one record batch for the whole file, across row groups
// (the reader allocates by the rows it reads, not by the size asked for), so each column is one
// chunk and a Float64 column is used without concatenating batches.
const ONE_BATCH = 2 ** 30;

/**
 * A feed from a Parquet file (path or bytes), read with `parquet-wasm` (Rust's `parquet` crate
 * compiled to WebAssembly; snappy, gzip, brotli, lz4 and zstd pages) into Arrow. Only the
 * mapped columns are decoded.
 *
 * Columns and types are as for {@link arrow}: found by name (`datetime`/`date`/`timestamp`/
 * `time`, `open`, `high`, `low`, `close`, optional `volume` and `openinterest`, any case) or
 * mapped by the options; timestamps adjusted to UTC (a zone in the Arrow schema) are instants,
 * shown on the wall clock of `tz`; others are wall-clock times. The file is decoded in
 * WebAssembly memory, which caps a file at what fits in 4 GB once decoded.
 *
 * @throws DataError naming the file and column: an unreadable or corrupt file, a missing column,
 *   a column of a type that cannot be read, or a null (unless `skipMalformed`).
 * @throws TimeBackwardsError when a timestamp is earlier than the one before it.
 */
export function parquet(pathOrBytes: string | Uint8Array | ArrayBuffer, options: ColumnarFeedOptions = {}): DataFeed {
  const source = readSource(pathOrBytes, 'Parquet', options, 'parquet');
  const arrow = arrowLib();
  const pq = parquetLib();
  let schema;
  try {
    schema = arrow.tableFromIPC(pq.readSchema(source.bytes).intoIPCStream()).schema;
  } catch (err) {
    throw unreadable(source, 'Parquet', err);
  }
  const picked = pickColumns(schema, source, options);
  let table;
  try {
    const columns = [...new Set(picked.map((c) => c.name))];
    table = arrow.tableFromIPC(pq.readParquet(source.bytes, { columns, batchSize: ONE_BATCH }).intoIPCStream());
  } catch (err) {
    throw unreadable(source, 'Parquet', err);
  }
  return tableFeed(table, picked, source, options);
}
