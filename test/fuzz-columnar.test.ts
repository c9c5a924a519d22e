/**
 * Seeded mutation fuzzing of the Arrow IPC (file and stream) and Parquet readers: every
 * mutation of a valid file — bits flipped, bytes inserted or deleted, the file cut short, a
 * length or offset field set huge — gives either a typed error or a feed whose bars pass the
 * load checks. Each read runs in this process: the point is that no input can end it (an abort,
 * a panic across the addon boundary, an allocation sized by a corrupt length). Fixed seeds and
 * counts: the same cases on every run.
 */
import { fileURLToPath } from 'node:url';
import { Table, TimestampMillisecond, makeVector, tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';

import { FerroError, feeds, type DataFeed } from '../ts/index.js';
import { mulberry32 as prng } from '../ts/util/prng.js';

const MUTATIONS = 1_000;
const ROWS = 120;

const sample = feeds.backtraderCsv(fileURLToPath(new URL('../examples/data/sample-daily.csv', import.meta.url)), { toDate: '2099-01-01' });
const c = sample.columns;
const head = (a: Float64Array) => makeVector(a.slice(0, ROWS));
const table = new Table({
  datetime: makeVector({ type: new TimestampMillisecond(), data: BigInt64Array.from(c.datetime.subarray(0, ROWS), (x) => BigInt(x)) }),
  open: head(c.open),
  high: head(c.high),
  low: head(c.low),
  close: head(c.close),
  volume: head(c.volume),
});

const BASES = {
  arrowFile: tableToIPC(table, 'file'),
  arrowStream: tableToIPC(table, 'stream'),
  parquet: writeParquet(
    WasmTable.fromIPCStream(tableToIPC(table, 'stream')),
    new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(50).build(),
  ),
};

/** Values a corrupted length, count or offset field might take. */
const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0xfffffff0];

/** One to four random edits of `bytes`. */
function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  let b = Array.from(bytes);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * b.length);
    const kind = Math.floor(rand() * 6);
    if (kind === 0) b[at] = b[at]! ^ (1 << Math.floor(rand() * 8)); // bit flip
    else if (kind === 1) b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256))); // insertion
    else if (kind === 2) b.splice(at, 1 + Math.floor(rand() * 16)); // deletion
    else if (kind === 3) b = b.slice(0, at); // truncation
    else if (kind === 4) b[at] = Math.floor(rand() * 256); // byte overwritten
    else {
      // A 32-bit little-endian field (a length, count or offset where it lands) set huge;
      // sometimes its 64-bit neighbour too, as flatbuffers and Thrift store some as 64 bits.
      const v = HUGE[Math.floor(rand() * HUGE.length)]!;
      const p = at & ~3;
      for (let k = 0; k < 4 && p + k < b.length; k++) b[p + k] = (v >>> (8 * k)) & 0xff;
      if (rand() < 0.3) for (let k = 4; k < 8 && p + k < b.length; k++) b[p + k] = 0x7f;
    }
  }
  return Uint8Array.from(b);
}

/** A feed that loaded must hold bars that pass the checks a run relies on. */
function checkBars(d: DataFeed): void {
  const x = d.columns;
  let sound = true;
  for (let i = 0; i < d.size && sound; i++) {
    sound =
      Number.isFinite(x.datetime[i]!) && Math.abs(x.datetime[i]!) <= 8.64e15 && (i === 0 || x.datetime[i]! >= x.datetime[i - 1]!) &&
      [x.open[i]!, x.high[i]!, x.low[i]!, x.close[i]!].every((v) => v > 0 && Number.isFinite(v)) &&
      x.high[i]! >= x.low[i]! && x.open[i]! <= x.high[i]! && x.open[i]! >= x.low[i]! && x.close[i]! <= x.high[i]! && x.close[i]! >= x.low[i]! &&
      // Volume may be NaN (no volume given), never negative or infinite: the bar-check rule.
      !(x.volume[i]! < 0) && Math.abs(x.volume[i]!) !== Infinity;
    if (!sound) throw new Error(`bar ${i} of a loaded feed fails the bar checks: ${JSON.stringify([x.datetime[i], x.open[i], x.high[i], x.low[i], x.close[i], x.volume[i]])}`);
  }
}

function fuzz(seed: number, base: Uint8Array, read: (bytes: Uint8Array) => DataFeed): { ok: number; refused: number; codes: Set<string> } {
  const rand = prng(seed);
  let ok = 0;
  let refused = 0;
  const codes = new Set<string>();
  for (let k = 0; k < MUTATIONS; k++) {
    const bytes = mutate(base, rand);
    let feed: DataFeed;
    try {
      feed = read(bytes);
    } catch (err) {
      if (!(err instanceof FerroError)) throw new Error(`mutation ${k} of seed ${seed}: not a typed error: ${String(err)}`);
      codes.add(err.code);
      refused++;
      continue;
    }
    checkBars(feed);
    ok++;
  }
  return { ok, refused, codes };
}

describe('seeded mutation fuzzing of the columnar readers', () => {
  it('the unmutated files read as the sample bars', () => {
    for (const d of [feeds.arrow(BASES.arrowFile), feeds.arrow(BASES.arrowStream), feeds.parquet(BASES.parquet)]) {
      expect(d.size).toBe(ROWS);
      expect(Array.from(d.columns.close)).toEqual(Array.from(c.close.subarray(0, ROWS)));
    }
  });

  for (const [name, seed, base, read] of [
    ['Arrow IPC file', 11, BASES.arrowFile, (b: Uint8Array) => feeds.arrow(b)],
    ['Arrow IPC stream', 12, BASES.arrowStream, (b: Uint8Array) => feeds.arrow(b)],
    ['Parquet', 13, BASES.parquet, (b: Uint8Array) => feeds.parquet(b)],
    ['Arrow IPC file, skipMalformed', 14, BASES.arrowFile, (b: Uint8Array) => feeds.arrow(b, { skipMalformed: true })],
    ['Parquet, skipMalformed', 15, BASES.parquet, (b: Uint8Array) => feeds.parquet(b, { skipMalformed: true })],
  ] as const) {
    it(`${name}: ${MUTATIONS} mutations give a typed error or valid bars`, () => {
      const r = fuzz(seed, base, read);
      expect(r.ok + r.refused).toBe(MUTATIONS);
      // Both outcomes occur: the mutations reach past the header into the data.
      expect(r.ok).toBeGreaterThan(0);
      expect(r.refused).toBeGreaterThan(0);
      for (const code of r.codes) expect(code).toMatch(/^DATA/);
    });
  }
});
