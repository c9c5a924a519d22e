/**
 * Columnar feed bench: `--bars` synthetic daily bars (default 1,000,000) read from an Arrow IPC
 * file (`feeds.arrow`) and from Parquet files with snappy and zstd pages (`feeds.parquet`), in
 * rows per second, beside the CSV reader on the same bars. The files hold what pandas/pyarrow
 * write for such data: a microsecond Timestamp (1M days reach past
 * the year 2262, beyond nanoseconds in 64 bits), Float64 prices and Int64 volume. Every reader
 * must give the same columns as the CSV.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Table, TimestampMicrosecond, makeVector, tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

import { feeds, type DataFeed } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { CACHE_DIR, ensureCsv, measure } from './lib/harness.js';
import { generateBars } from './lib/synthetic.js';

function barsTable(n: number, seed: number): Table {
  const b = generateBars({ n, seed });
  return new Table({
    datetime: makeVector({ type: new TimestampMicrosecond(), data: BigInt64Array.from(b.datetime, (ms) => BigInt(ms) * 1000n) }),
    open: makeVector(b.open),
    high: makeVector(b.high),
    low: makeVector(b.low),
    close: makeVector(b.close),
    volume: makeVector(BigInt64Array.from(b.volume, (v) => BigInt(v))),
  });
}

/** Writes the file once per size and seed (beside, then renamed, so a killed run leaves none). */
function ensureFile(name: string, write: () => Uint8Array): string {
  const path = join(CACHE_DIR, name);
  if (!existsSync(path)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, write());
    renameSync(partial, path);
  }
  return path;
}

function sameColumns(a: DataFeed, b: DataFeed): boolean {
  for (const f of ['datetime', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const x = a.columns[f];
    const y = b.columns[f];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** Runs the bench; see the module comment. */
export async function columnarBench(options: BenchOptions): Promise<object> {
  const n = options.bars;
  const stem = `columnar-v1-n${n}-s${options.seed}`;
  let table: Table | undefined;
  const data = () => (table ??= barsTable(n, options.seed));
  const parquetFile = (compression: Compression) =>
    writeParquet(WasmTable.fromIPCStream(tableToIPC(data(), 'stream')), new WriterPropertiesBuilder().setCompression(compression).build());
  progress(`columnar: writing files of ${n} rows (once per size)`);
  const files = {
    arrow: ensureFile(`${stem}.arrow`, () => tableToIPC(data(), 'file')),
    parquet_snappy: ensureFile(`${stem}-snappy.parquet`, () => parquetFile(Compression.SNAPPY)),
    parquet_zstd: ensureFile(`${stem}-zstd.parquet`, () => parquetFile(Compression.ZSTD)),
  };
  const csvPath = ensureCsv(n, options.seed);
  const readers: Record<string, () => DataFeed> = {
    arrow: () => feeds.arrow(files.arrow),
    parquet_snappy: () => feeds.parquet(files.parquet_snappy),
    parquet_zstd: () => feeds.parquet(files.parquet_zstd),
    csv: () => feeds.backtraderCsv(csvPath),
  };
  const reference = readers.csv!();
  const results: Record<string, object> = {};
  for (const [name, read] of Object.entries(readers)) {
    progress(`columnar: ${name} x${options.runs} on ${n} rows`);
    const m = await measure(read, { runs: options.runs, warmup: 1 });
    results[name] = {
      median_ms: Number(m.medianMs.toFixed(1)),
      rows_per_s: Math.round(n / (m.medianMs / 1000)),
      runs_ms: m.runsMs.map((t) => Number(t.toFixed(1))),
      same_columns_as_csv: sameColumns(read(), reference),
    };
  }
  return { bench: 'columnar', rows: n, ...results, machine: machineInfo() };
}
