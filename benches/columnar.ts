/**
 * Columnar feed bench: `--bars` synthetic daily bars (default 1,000,000) read from an Arrow IPC
 * file (`feeds.arrow`) and from Parquet files with snappy and zstd pages (`feeds.parquet`), in
 * rows per second, beside the CSV reader on the same bars. The files hold what pandas/pyarrow
 * write for such data: a microsecond Timestamp (1M days reach past
 * the year 2262, beyond nanoseconds in 64 bits), Float64 prices and Int64 volume. Every reader
 * must give the same columns as the CSV.
 *
 * pyarrow (`peers/pyarrow_read.py`) reads the same three files in the same run, each into
 * contiguous float64 NumPy columns (the timestamp as epoch milliseconds, as the feed gives), with
 * its default thread pool and on one thread; the per-column sums it reports must equal the feed's,
 * summed in the same order. Each format reports pyarrow's median and ferrotrade's rows/s over it.
 *
 * The feeds decode in Rust (arrow-rs). The JavaScript decode they used before (apache-arrow and
 * parquet-wasm, `lib/js-columnar.ts`) runs on the same files in the same run, file read
 * included, as `<format>_js`; `ratio_vs_js` is the feed's rows/s over it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Table, TimestampMicrosecond, makeVector, tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

import { feeds, type DataFeed } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, CACHE_DIR, ensureCsv, ensurePyarrow, measure, runPython } from './lib/harness.js';
import { generateBars } from './lib/synthetic.js';
import { readArrowJs, readParquetJs } from './lib/js-columnar.js';

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

const FIELDS = ['datetime', 'open', 'high', 'low', 'close', 'volume'] as const;

/** What `peers/pyarrow_read.py` prints. */
interface PeerOutput {
  files: Record<string, {
    runs_ms: number[];
    median_ms: number;
    runs_ms_1thread: number[];
    median_ms_1thread: number;
    rows: number;
    contiguous_float64: boolean;
    /** Per column, the float64 sum of its values added in row order. */
    sums: Record<(typeof FIELDS)[number], number>;
  }>;
  threads: number;
  pyarrow_version: string;
  numpy_version: string;
  python_version: string;
}

/** Per column, the float64 sum of the feed's values in row order, as the peer sums (np.cumsum). */
function columnSums(feed: DataFeed): Record<(typeof FIELDS)[number], number> {
  const sums = {} as Record<(typeof FIELDS)[number], number>;
  for (const f of FIELDS) {
    const x = feed.columns[f];
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]!;
    sums[f] = s;
  }
  return sums;
}

function sameColumns(a: DataFeed, b: DataFeed): boolean {
  for (const f of FIELDS) {
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
  const jsReaders: Record<string, () => Record<string, Float64Array>> = {
    arrow: () => readArrowJs(readFileSync(files.arrow)),
    parquet_snappy: () => readParquetJs(readFileSync(files.parquet_snappy)),
    parquet_zstd: () => readParquetJs(readFileSync(files.parquet_zstd)),
  };
  const reference = readers.csv!();
  const results: Record<string, Record<string, unknown>> = {};
  const sums: Record<string, Record<string, number>> = {};
  for (const [name, read] of Object.entries(readers)) {
    progress(`columnar: ${name} x${options.runs} on ${n} rows`);
    const m = await measure(read, { runs: options.runs, warmup: 1 });
    const feed = read();
    if (name !== 'csv') sums[name] = columnSums(feed);
    results[name] = {
      median_ms: Number(m.medianMs.toFixed(1)),
      rows_per_s: Math.round(n / (m.medianMs / 1000)),
      runs_ms: m.runsMs.map((t) => Number(t.toFixed(1))),
      same_columns_as_csv: sameColumns(feed, reference),
    };
  }

  for (const [name, read] of Object.entries(jsReaders)) {
    progress(`columnar: ${name} through the JavaScript decode x${options.runs}`);
    const m = await measure(read, { runs: options.runs, warmup: 1 });
    const cols = read();
    const same = FIELDS.every((f) => cols[f]!.length === n && cols[f]!.every((v, i) => v === reference.columns[f][i]));
    const rowsPerS = n / (m.medianMs / 1000);
    results[`${name}_js`] = {
      median_ms: Number(m.medianMs.toFixed(1)),
      rows_per_s: Math.round(rowsPerS),
      runs_ms: m.runsMs.map((t) => Number(t.toFixed(1))),
      same_columns_as_csv: same,
    };
    results[name]!.ratio_vs_js = Number(((results[name]!.rows_per_s as number) / rowsPerS).toFixed(3));
  }

  // The peer reads each file as many times as ferrotrade does (it is as quick, unlike the
  // backtrader peers that --peer-runs exists for).
  let pyarrow: object;
  let peer: PeerOutput | undefined;
  try {
    const python = ensurePyarrow();
    progress(`columnar: pyarrow x${options.runs} per file, default threads and one thread`);
    peer = await runPython<PeerOutput>(
      join(BENCHES_DIR, 'peers', 'pyarrow_read.py'),
      [String(options.runs), ...Object.entries(files).map(([name, path]) => `${name}=${path}`)],
      { python },
    );
    pyarrow = { version: peer.pyarrow_version, numpy: peer.numpy_version, python: peer.python_version, threads: peer.threads };
  } catch (err) {
    pyarrow = { error: (err as Error).message };
  }
  for (const name of Object.keys(files)) {
    const ours = results[name]!;
    const theirs = peer?.files[name];
    if (theirs === undefined) {
      Object.assign(ours, { pyarrow_ms: null, pyarrow_rows_per_s: null, ratio_vs_pyarrow: null, same_data_as_pyarrow: null });
      continue;
    }
    const ourSums = sums[name]!;
    const differing = FIELDS.filter((f) => !Object.is(ourSums[f], theirs.sums[f]));
    const rowsPerS = n / (theirs.median_ms / 1000);
    const rowsPerS1 = n / (theirs.median_ms_1thread / 1000);
    Object.assign(ours, {
      pyarrow_ms: Number(theirs.median_ms.toFixed(1)),
      pyarrow_rows_per_s: Math.round(rowsPerS),
      ratio_vs_pyarrow: Number(((ours.rows_per_s as number) / rowsPerS).toFixed(3)),
      pyarrow_runs_ms: theirs.runs_ms.map((t) => Number(t.toFixed(1))),
      pyarrow_1thread_ms: Number(theirs.median_ms_1thread.toFixed(1)),
      ratio_vs_pyarrow_1thread: Number(((ours.rows_per_s as number) / rowsPerS1).toFixed(3)),
      // Same row count and, per column, the same float64 sum to the last bit.
      same_data_as_pyarrow: theirs.rows === n && theirs.contiguous_float64 && differing.length === 0,
      ...(differing.length > 0 ? { sums_differ: Object.fromEntries(differing.map((f) => [f, { ferrotrade: ourSums[f], pyarrow: theirs.sums[f] }])) } : {}),
    });
  }
  return { bench: 'columnar', rows: n, ...results, pyarrow, machine: machineInfo() };
}
