/**
 * Loads one kind of feed (or makes one order book) many times in this process and prints the
 * resident memory before and after as JSON: what `benches/leak.ts` and the leak test read.
 * Run with `--expose-gc`. Arguments: kind, loads (default 500), a scratch directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';

import { feeds, generateLevel2, OrderBook, writeLevel2Csv } from '../../ts/index.js';

const [kind = 'backtraderCsv', loadsArg = '500', dir = '/tmp/ferrotrade-leak'] = process.argv.slice(2);
const loads = Number(loadsArg);
const ROWS = 10_000;
mkdirSync(dir, { recursive: true });

const day = (i: number) => Date.UTC(1990, 0, 1) + i * 86_400_000;
const iso = (i: number) => new Date(day(i)).toISOString().slice(0, 10);
const close = Float64Array.from({ length: ROWS }, (_, i) => 100 + Math.sin(i / 10) * 5);
const rows = Array.from({ length: ROWS }, (_, i) => `${iso(i)},${close[i]},${close[i]! + 1},${close[i]! - 1},${close[i]},1000,0`);
const csv = join(dir, 'bars.csv');
writeFileSync(csv, `Date,Open,High,Low,Close,Volume,OpenInterest\n${rows.join('\n')}\n`);
const yahoo = join(dir, 'yahoo.csv');
writeFileSync(yahoo, `Date,Open,High,Low,Close,Adj Close,Volume\n${rows.map((r) => { const f = r.split(','); return [...f.slice(0, 5), f[4], f[5]].join(','); }).join('\n')}\n`);
const l2 = join(dir, 'level2.csv');
writeLevel2Csv(generateLevel2({ ticks: ROWS, depth: 5, seed: 1 }), l2);
const table = tableFromArrays({
  datetime: Float64Array.from({ length: ROWS }, (_, i) => day(i)),
  open: close, high: close.map((c) => c + 1), low: close.map((c) => c - 1), close, volume: new Float64Array(ROWS).fill(1000),
});
const ipc = tableToIPC(table, 'file');
const arrowPath = join(dir, 'bars.arrow');
writeFileSync(arrowPath, ipc);
const parquetPath = join(dir, 'bars.parquet');
writeFileSync(parquetPath, writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream'))));
const daily = feeds.backtraderCsv(csv);

const load: Record<string, () => void> = {
  backtraderCsv: () => feeds.backtraderCsv(csv),
  genericCsv: () => feeds.genericCsv(csv),
  yahooCsv: () => feeds.yahooCsv(yahoo),
  level2Csv: () => feeds.level2Csv(l2),
  fromColumns: () => feeds.fromColumns(daily.columns),
  resample: () => feeds.resample(daily, { timeframe: 'Weeks' }),
  arrow: () => feeds.arrow(arrowPath),
  parquet: () => feeds.parquet(parquetPath),
  orderBook: () => {
    using book = new OrderBook();
    book.loadSnapshot(1, Array.from({ length: 5_000 }, (_, i) => ({ price: 10_000 - i, size: 1 })), []);
  },
};
const run = load[kind];
if (!run) throw new Error(`unknown kind '${kind}'; one of ${Object.keys(load).join(', ')}`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const settle = async () => {
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
};
run();
await settle();
const before = process.memoryUsage().rss;
let mid = before;
for (let k = 0; k < loads; k++) {
  run();
  if (k % 50 === 49) await settle();
  if (k === Math.floor(loads / 2) - 1) mid = process.memoryUsage().rss;
}
await settle();
const after = process.memoryUsage().rss;
const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
// The allocator keeps freed pages for reuse, so the first loads raise RSS to a plateau; memory
// that is never freed keeps growing through the second half as well.
process.stdout.write(`${JSON.stringify({ kind, loads, rows: ROWS, rss_before_mb: mb(before), rss_mid_mb: mb(mid), rss_after_mb: mb(after), growth_mb: mb(after - before), second_half_growth_mb: mb(after - mid) })}\n`);
