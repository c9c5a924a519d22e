import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Bool, DateDay, DateMillisecond, Decimal, Dictionary, Float32, Float64, Int32, Int64, Table, TimestampMicrosecond,
  TimestampMillisecond, TimestampNanosecond, TimestampSecond, Uint64, Utf8, makeVector, tableToIPC, vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';

import { DataError, ParamError, TimeBackwardsError, calendars, feeds, time, type DataFeed } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-columnar-'));
const SAMPLE = fileURLToPath(new URL('../examples/data/sample-daily.csv', import.meta.url));
const csv = feeds.backtraderCsv(SAMPLE);
const FIELDS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;

/** Copies, because apache-arrow writes a broken IPC message when two columns share one buffer. */
const f64 = (a: Float64Array) => makeVector(a.slice());
const bigints = (a: Float64Array, scale = 1n) => BigInt64Array.from(a, (x) => BigInt(x) * scale);

/** The sample data as an Arrow table with the given datetime vector (default: Timestamp ms). */
function sampleTable(datetime?: Vector, names: Partial<Record<(typeof FIELDS)[number], string>> = {}): Table {
  const c = csv.columns;
  const dt = datetime ?? makeVector({ type: new TimestampMillisecond(), data: bigints(c.datetime) });
  return new Table({
    [names.datetime ?? 'datetime']: dt,
    [names.open ?? 'open']: f64(c.open),
    [names.high ?? 'high']: f64(c.high),
    [names.low ?? 'low']: f64(c.low),
    [names.close ?? 'close']: f64(c.close),
    [names.volume ?? 'volume']: f64(c.volume),
    [names.openinterest ?? 'openinterest']: f64(c.openinterest),
  });
}

function writeArrow(name: string, table: Table, format: 'file' | 'stream' = 'file'): string {
  const p = join(dir, name);
  writeFileSync(p, tableToIPC(table, format));
  return p;
}

function parquetBytes(table: Table, compression = Compression.SNAPPY, rowGroup?: number): Uint8Array {
  let props = new WriterPropertiesBuilder().setCompression(compression);
  if (rowGroup !== undefined) props = props.setMaxRowGroupSize(rowGroup);
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props.build());
}

function writeParquetFile(name: string, table: Table, compression = Compression.SNAPPY, rowGroup?: number): string {
  const p = join(dir, name);
  writeFileSync(p, parquetBytes(table, compression, rowGroup));
  return p;
}

function expectSameColumns(data: DataFeed, reference: DataFeed = csv): void {
  expect(data.size).toBe(reference.size);
  for (const f of FIELDS) expect(Array.from(data.columns[f]), f).toEqual(Array.from(reference.columns[f]));
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('Arrow IPC feed', () => {
  it('reads file and stream formats into the same columns as the CSV feed', () => {
    const file = writeArrow('sample.arrow', sampleTable());
    const stream = writeArrow('sample.arrows', sampleTable(), 'stream');
    const a = feeds.arrow(file);
    expect(a.name).toBe('sample.arrow');
    expectSameColumns(a);
    expectSameColumns(feeds.arrow(stream));
    expect(a.frame).toEqual(csv.frame);
  });

  it('owns its columns: changing or freeing the bytes afterwards changes nothing', () => {
    const bytes = tableToIPC(sampleTable(), 'file');
    const data = feeds.arrow(bytes);
    expect(data.name).toBe('arrow');
    expect(data.columns.close.buffer).not.toBe(bytes.buffer);
    bytes.fill(0);
    expectSameColumns(data);
    const copy = tableToIPC(sampleTable(), 'file');
    expectSameColumns(feeds.arrow(copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength) as ArrayBuffer));
  });

  it('reads several record batches', () => {
    const whole = sampleTable();
    const batches = new Table([...whole.slice(0, 300).batches, ...whole.slice(300, 650).batches, ...whole.slice(650).batches]);
    expect(batches.batches.length).toBe(3);
    expectSameColumns(feeds.arrow(tableToIPC(batches, 'stream')));
  });

  it('finds columns by default names in any case, or as mapped by name or index', () => {
    const names = { datetime: 'Timestamp', open: 'OPEN', high: 'High', low: 'low', close: 'Close', volume: 'Volume', openinterest: 'OpenInterest' };
    expectSameColumns(feeds.arrow(tableToIPC(sampleTable(undefined, names))));
    const date = { ...names, datetime: 'date' };
    expectSameColumns(feeds.arrow(tableToIPC(sampleTable(undefined, date))));
    const custom = { datetime: 'ts', open: 'o', high: 'h', low: 'l', close: 'px_last', volume: 'qty', openinterest: 'oi' };
    const mapped = feeds.arrow(tableToIPC(sampleTable(undefined, custom)), {
      datetime: 'ts', open: 'o', high: 2, low: 'l', close: 'px_last', volume: 'qty', openinterest: 6,
    });
    expectSameColumns(mapped);
  });

  it('reads volume and open interest as 0 when absent or left out', () => {
    const c = csv.columns;
    const t = new Table({
      time: makeVector({ type: new TimestampMillisecond(), data: bigints(c.datetime) }),
      open: f64(c.open), high: f64(c.high), low: f64(c.low), close: f64(c.close),
    });
    const data = feeds.arrow(tableToIPC(t));
    expect(Array.from(data.columns.close)).toEqual(Array.from(c.close));
    expect(data.columns.volume.every((v) => v === 0)).toBe(true);
    expect(data.columns.openinterest.length).toBe(csv.size);
    const ignored = feeds.arrow(tableToIPC(sampleTable()), { volume: null });
    expect(ignored.columns.volume.every((v) => v === 0)).toBe(true);
  });

  it('reads Timestamps of every unit, dates, epoch numbers and ISO text as the same times', () => {
    const ms = csv.columns.datetime;
    const days = Int32Array.from(ms, (x) => x / 86_400_000);
    const iso = Array.from(ms, (x) => new Date(x).toISOString().slice(0, 10));
    const vectors: Record<string, Vector> = {
      seconds: makeVector({ type: new TimestampSecond(), data: BigInt64Array.from(ms, (x) => BigInt(x / 1000)) }),
      micros: makeVector({ type: new TimestampMicrosecond(), data: bigints(ms, 1000n) }),
      nanos: makeVector({ type: new TimestampNanosecond(), data: bigints(ms, 1_000_000n) }),
      date32: makeVector({ type: new DateDay(), data: days }),
      date64: makeVector({ type: new DateMillisecond(), data: bigints(ms) }),
      int64: makeVector(bigints(ms)),
      float64: makeVector(ms.slice()),
      iso: vectorFromArray(iso, new Utf8()),
      isoDictionary: vectorFromArray(iso),
    };
    expect(vectors.isoDictionary!.type).toBeInstanceOf(Dictionary);
    for (const [kind, vector] of Object.entries(vectors)) {
      const data = feeds.arrow(tableToIPC(sampleTable(vector)));
      expect(Array.from(data.columns.datetime), kind).toEqual(Array.from(ms));
    }
  });

  it('floors sub-millisecond timestamps to the millisecond, before and after 1970', () => {
    const ns = BigInt64Array.from([-1_500_001n, 1_700_000_000_123_999_999n, 1_700_000_000_124_000_000n]);
    const us = BigInt64Array.from([-1_001n, 1_700_000_000_123_999n, 1_700_000_000_124_000n]);
    const expected = [-2, 1_700_000_000_123, 1_700_000_000_124];
    const expectedUs = [-2, 1_700_000_000_123, 1_700_000_000_124];
    const one = (v: Vector) => new Table({ datetime: v, open: makeVector(Float64Array.of(1, 1, 1)), high: makeVector(Float64Array.of(1, 1, 1)), low: makeVector(Float64Array.of(1, 1, 1)), close: makeVector(Float64Array.of(1, 1, 1)) });
    expect(Array.from(feeds.arrow(tableToIPC(one(makeVector({ type: new TimestampNanosecond(), data: ns })))).columns.datetime)).toEqual(expected);
    expect(Array.from(feeds.arrow(tableToIPC(one(makeVector({ type: new TimestampMicrosecond(), data: us })))).columns.datetime)).toEqual(expectedUs);
  });

  it('converts integer, float and decimal prices to Float64', () => {
    const n = 3;
    const dt = makeVector({ type: new TimestampMillisecond(), data: BigInt64Array.from([0n, 60_000n, 120_000n]) });
    // 123.45, -1.00, 0.07 as decimal(10, 2): 128-bit little-endian words.
    const dec = new Uint32Array(4 * n);
    dec.set([12345, 0, 0, 0], 0);
    dec.set([0xffffff9c, 0xffffffff, 0xffffffff, 0xffffffff], 4);
    dec.set([7, 0, 0, 0], 8);
    const t = new Table({
      datetime: dt,
      open: makeVector(Int32Array.of(1, -2, 3)),
      high: makeVector(Float32Array.of(1.5, 2.5, 3.5)),
      low: makeVector({ type: new Decimal(2, 10, 128), data: dec }),
      close: makeVector(Float64Array.of(1, 2, 3)),
      volume: makeVector(BigInt64Array.of(5n, 2n ** 40n, -7n)),
      openinterest: makeVector({ type: new Uint64(), data: BigUint64Array.of(1n, 2n ** 52n, 3n) }),
    });
    expect(t.getChild('open')!.type).toBeInstanceOf(Int32);
    expect(t.getChild('high')!.type).toBeInstanceOf(Float32);
    expect(t.getChild('volume')!.type).toBeInstanceOf(Int64);
    // Types, not bar sense, are under test here: the bars themselves are nonsense.
    const data = feeds.arrow(tableToIPC(t), { checkBars: false });
    expect(Array.from(data.columns.open)).toEqual([1, -2, 3]);
    expect(Array.from(data.columns.high)).toEqual([1.5, 2.5, 3.5]);
    expect(Array.from(data.columns.low)).toEqual([123.45, -1, 0.07]);
    expect(Array.from(data.columns.volume)).toEqual([5, 2 ** 40, -7]);
    expect(Array.from(data.columns.openinterest)).toEqual([1, 2 ** 52, 3]);
  });

  it('applies name, fromDate/toDate, timeframe, tz, tzInput and calendar like the CSV feed', () => {
    const p = writeArrow('options.arrow', sampleTable());
    const options = {
      name: 'SPX', fromDate: '2020-02-01', toDate: '2020-02-28', timeframe: 'Days', compression: 1,
      tz: 'America/New_York', tzInput: 'UTC', calendar: calendars.NYSE(),
    } as const;
    const a = feeds.arrow(p, options);
    const c = feeds.backtraderCsv(SAMPLE, options);
    expect(a.name).toBe('SPX');
    expect([a.tz, a.calendar, a.frame]).toEqual([c.tz, c.calendar, c.frame]);
    expect(a.size).toBe(c.size);
    expect(a.size).toBeGreaterThan(0);
    expectSameColumns(a, c);
  });

  it('reads zoned Timestamps as instants: on the wall clock of tz, or as UTC without tz', () => {
    const ms = csv.columns.datetime;
    const zoned = makeVector({ type: new TimestampMillisecond('UTC'), data: bigints(ms) });
    const bytes = tableToIPC(sampleTable(zoned));
    const utc = feeds.arrow(bytes);
    expect(utc.tz).toBeUndefined();
    expect(Array.from(utc.columns.datetime)).toEqual(Array.from(ms));
    const ny = feeds.arrow(bytes, { tz: 'America/New_York' });
    expect(ny.tz).toBe('America/New_York');
    expect(Array.from(ny.columns.datetime)).toEqual(Array.from(time.convertColumn(ms, 'UTC', 'America/New_York')));
    // The schema's zone is only how the instants were shown: the values are UTC whatever it is.
    const tokyo = makeVector({ type: new TimestampMillisecond('Asia/Tokyo'), data: bigints(ms) });
    expect(Array.from(feeds.arrow(tableToIPC(sampleTable(tokyo)), { tz: 'America/New_York' }).columns.datetime)).toEqual(Array.from(ny.columns.datetime));
    // A naive column keeps its wall-clock times under tz.
    expect(Array.from(feeds.arrow(tableToIPC(sampleTable()), { tz: 'America/New_York' }).columns.datetime)).toEqual(Array.from(ms));
    const err = thrown(() => feeds.arrow(bytes, { tz: 'America/New_York', tzInput: 'Europe/London' }));
    expect(err).toBeInstanceOf(ParamError);
    expect(err.message).toMatch(/'datetime' is a Timestamp with a timezone.*leave tzInput out/);
  });
});

describe('Parquet feed', () => {
  it('reads compressed files into the same columns as the CSV feed', () => {
    for (const [name, compression] of [['snappy', Compression.SNAPPY], ['zstd', Compression.ZSTD], ['gzip', Compression.GZIP], ['none', Compression.UNCOMPRESSED]] as const) {
      const p = writeParquetFile(`sample-${name}.parquet`, sampleTable(), compression);
      const data = feeds.parquet(p);
      expect(data.name).toBe(`sample-${name}.parquet`);
      expectSameColumns(data);
    }
  });

  it('reads many row groups and mapped columns, and only the mapped ones', () => {
    const names = { datetime: 'Date', open: 'Open', high: 'High', low: 'Low', close: 'Close', volume: 'Volume', openinterest: 'OI' };
    const p = writeParquetFile('groups.parquet', sampleTable(undefined, names), Compression.ZSTD, 128);
    const data = feeds.parquet(p, { openinterest: 'OI' });
    expectSameColumns(data);
    // A column that cannot be read as a price does no harm when nothing maps it.
    const extra = sampleTable().assign(new Table({ note: vectorFromArray(Array.from({ length: csv.size }, (_, i) => `n${i}`), new Utf8()) }));
    expectSameColumns(feeds.parquet(parquetBytes(extra)));
  });

  it('round-trips zoned and naive timestamps, dates and ISO text', () => {
    const ms = csv.columns.datetime;
    const zoned = feeds.parquet(parquetBytes(sampleTable(makeVector({ type: new TimestampMicrosecond('UTC'), data: bigints(ms, 1000n) }))), { tz: 'Asia/Shanghai' });
    expect(Array.from(zoned.columns.datetime)).toEqual(Array.from(time.convertColumn(ms, 'UTC', 'Asia/Shanghai')));
    const naive = feeds.parquet(parquetBytes(sampleTable(makeVector({ type: new TimestampNanosecond(), data: bigints(ms, 1_000_000n) }))), { tz: 'Asia/Shanghai' });
    expect(Array.from(naive.columns.datetime)).toEqual(Array.from(ms));
    const date32 = makeVector({ type: new DateDay(), data: Int32Array.from(ms, (x) => x / 86_400_000) });
    expectSameColumns(feeds.parquet(parquetBytes(sampleTable(date32))));
    const iso = vectorFromArray(Array.from(ms, (x) => new Date(x).toISOString().slice(0, 19).replace('T', ' ')), new Utf8());
    expectSameColumns(feeds.parquet(parquetBytes(sampleTable(iso))));
  });

  it('round-trips a million rows', () => {
    const n = 1_000_000;
    const dt = new BigInt64Array(n);
    const close = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      dt[i] = 1_577_836_800_000n + BigInt(i) * 1000n;
      close[i] = 100 + Math.sin(i / 100);
    }
    const t = new Table({
      datetime: makeVector({ type: new TimestampMillisecond(), data: dt }),
      open: f64(close), high: makeVector(close.map((x) => x + 1)), low: makeVector(close.map((x) => x - 1)), close: f64(close),
      volume: makeVector(BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 1000))),
    });
    for (const data of [feeds.parquet(parquetBytes(t)), feeds.arrow(tableToIPC(t))]) {
      expect(data.size).toBe(n);
      // A loop: deep equality of million-element arrays costs seconds in the assertion library.
      let same = data.columns.close.length === n;
      for (let i = 0; i < n && same; i++) same = data.columns.close[i] === close[i];
      expect(same).toBe(true);
      expect(data.columns.datetime[n - 1]).toBe(1_577_836_800_000 + (n - 1) * 1000);
      expect(data.columns.volume[n - 1]).toBe((n - 1) % 1000);
      expect(data.frame).toEqual({ timeframe: 'Seconds', compression: 1 });
    }
  });
});

describe('columnar feed errors', () => {
  const arrowFile = writeArrow('errors.arrow', sampleTable());

  it('names the file of a missing, corrupt or foreign file', () => {
    const missing = join(dir, 'nope.parquet');
    for (const err of [thrown(() => feeds.parquet(missing)), thrown(() => feeds.arrow(missing))]) {
      expect(err).toBeInstanceOf(DataError);
      expect(err.message).toContain(missing);
    }
    const good = parquetBytes(sampleTable());
    const truncated = join(dir, 'truncated.parquet');
    writeFileSync(truncated, good.subarray(0, good.length - 100));
    const e1 = thrown(() => feeds.parquet(truncated));
    expect(e1).toBeInstanceOf(DataError);
    expect(e1.message).toMatch(/truncated\.parquet: not a readable Parquet file \(.+\); check that it is Parquet/);
    // Damaged pages inside an intact footer.
    const damaged = good.slice();
    damaged.fill(0x55, 100, Math.min(4000, good.length - 2000));
    const e2 = thrown(() => feeds.parquet(damaged, { name: 'damaged' }));
    expect(e2).toBeInstanceOf(DataError);
    expect(e2.message).toMatch(/^Parquet bytes 'damaged': not a readable Parquet file/);
    // The reader survives bad input.
    expect(feeds.parquet(good).size).toBe(csv.size);
    const e3 = thrown(() => feeds.arrow(SAMPLE));
    expect(e3).toBeInstanceOf(DataError);
    expect(e3.message).toContain(`${SAMPLE}: not a readable Arrow IPC file`);
    expect(thrown(() => feeds.arrow(new Uint8Array(0)))).toBeInstanceOf(DataError);
    expect(thrown(() => feeds.parquet(arrowFile))).toBeInstanceOf(DataError);
  });

  it('names a missing column and the columns there are', () => {
    const err = thrown(() => feeds.arrow(arrowFile, { close: 'last' }));
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(`${arrowFile}: column 'last' (option close) is not in the file; columns are: datetime, open, high, low, close, volume, openinterest`);
    const noClose = tableToIPC(sampleTable().select(['datetime', 'open', 'high', 'low']));
    expect(() => feeds.arrow(noClose)).toThrow(/no close column \(looked for 'close', in any case\); columns are: datetime, open, high, low\. Name it with the option close: '<column>'/);
    const noTime = parquetBytes(sampleTable().select(['open', 'high', 'low', 'close']));
    expect(() => feeds.parquet(noTime)).toThrow(/no datetime column \(looked for 'datetime', 'date', 'timestamp', 'time'/);
    expect(() => feeds.arrow(arrowFile, { close: 9 })).toThrow(/close is mapped to column index 9 but the file has 7 columns/);
  });

  it('names a column whose type cannot be read and says what to store', () => {
    const c = csv.columns;
    const textClose = sampleTable().assign(new Table({ close: vectorFromArray(Array.from(c.close, String), new Utf8()) }));
    const err = thrown(() => feeds.parquet(parquetBytes(textClose), { name: 'text' }));
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/Parquet bytes 'text': column 'close' \(close\) is Utf8, not a number; store close as an integer, float or decimal column/);
    const boolTime = sampleTable(vectorFromArray(Array.from(c.close, (_, i) => i % 2 === 0), new Bool()));
    expect(() => feeds.arrow(tableToIPC(boolTime))).toThrow(/column 'datetime' \(datetime\) is Boolean; store the datetime as a Timestamp, Date32\/Date64, epoch milliseconds or ISO text/);
  });

  it('refuses integer times narrower than 64 bits instead of reading seconds as milliseconds', () => {
    const seconds = makeVector(Int32Array.from(csv.columns.datetime, (ms) => ms / 1000));
    const err = thrown(() => feeds.arrow(tableToIPC(sampleTable(seconds)), { name: 'secs' }));
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/datetime column 'datetime' holds 32-bit integers, too small for epoch milliseconds; store it as a Timestamp or Date column, or as 64-bit epoch milliseconds/);
  });

  it('fails on the first null row, or skips and counts null rows when asked', () => {
    const c = csv.columns;
    const close = Array.from(c.close, (x, i) => (i === 5 || i === 700 ? null : x));
    const volume = Array.from(c.volume, (x, i) => (i === 3 ? null : x));
    const t = sampleTable().assign(new Table({ close: vectorFromArray(close, new Float64()), volume: vectorFromArray(volume, new Float64()) }));
    const p = writeParquetFile('nulls.parquet', t);
    const err = thrown(() => feeds.parquet(p));
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(`${p}: row 3: column 'volume' is null (3 rows in all); fill or drop such rows, leave the column out with volume: null, or pass skipMalformed: true to skip and count them`);
    for (const data of [feeds.parquet(p, { skipMalformed: true }), feeds.arrow(tableToIPC(t), { skipMalformed: true })]) {
      expect(data.size).toBe(csv.size - 3);
      expect(data.skipped).toBe(3);
      expect(data.skippedExamples).toEqual([
        { line: 3, reason: "column 'volume' is null" },
        { line: 5, reason: "column 'close' is null" },
        { line: 700, reason: "column 'close' is null" },
      ]);
      const keep = (col: Float64Array) => Array.from(col).filter((_, i) => i !== 3 && i !== 5 && i !== 700);
      expect(Array.from(data.columns.close)).toEqual(keep(c.close));
      expect(Array.from(data.columns.datetime)).toEqual(keep(c.datetime));
    }
    const closeErr = thrown(() => feeds.parquet(p, { volume: null }));
    expect(closeErr.message).toMatch(/row 5: column 'close' is null \(2 rows in all\); fill or drop such rows, or pass skipMalformed/);
  });

  it('treats a NaN timestamp as unusable, skipped when asked', () => {
    const ms = Array.from(csv.columns.datetime, (x, i) => (i === 4 ? NaN : x));
    const bytes = tableToIPC(sampleTable(makeVector(Float64Array.from(ms))));
    expect(() => feeds.arrow(bytes)).toThrow(/row 4: column 'datetime' is NaN, and every bar needs a timestamp \(1 row in all\)/);
    const data = feeds.arrow(bytes, { skipMalformed: true });
    expect([data.size, data.skipped, data.skippedExamples[0]!.line]).toEqual([csv.size - 1, 1, 4]);
  });

  it('refuses invalid bars naming the row, or skips and counts them when asked', () => {
    const c = csv.columns;
    const close = Array.from(c.close, (x, i) => (i === 7 ? NaN : x));
    const high = Array.from(c.high, (x, i) => (i === 9 ? c.low[i]! / 2 : x));
    const t = sampleTable().assign(new Table({ close: vectorFromArray(close, new Float64()), high: vectorFromArray(high, new Float64()) }));
    for (const [read, format] of [[(o: object) => feeds.arrow(tableToIPC(t), o), 'Arrow IPC'], [(o: object) => feeds.parquet(parquetBytes(t), o), 'Parquet']] as const) {
      const err = thrown(() => read({}));
      expect(err).toBeInstanceOf(DataError);
      expect(err.message).toMatch(new RegExp(`^${format} bytes '\\w+': row 7: close is NaN; prices must be finite numbers; fix the row \\(column 'close'\\) or pass checkBars: false, or pass skipMalformed: true`));
      const data = read({ skipMalformed: true });
      expect([data.size, data.skipped]).toEqual([csv.size - 2, 2]);
      expect(data.skippedExamples.map((s) => s.line)).toEqual([7, 9]);
      expect(data.skippedExamples[1]!.reason).toMatch(/^column 'high' \(high\): high .* is below low/);
      expect(Array.from(data.columns.datetime)).toEqual(Array.from(c.datetime).filter((_, i) => i !== 7 && i !== 9));
      // checkBars: false takes the bars as they are.
      expect(read({ checkBars: false }).size).toBe(csv.size);
    }
  });

  it('refuses timestamps beyond what a Date holds, or skips them when asked', () => {
    const ms = Array.from(csv.columns.datetime, (x, i) => (i === csv.size - 1 ? 9e21 : x));
    const bytes = tableToIPC(sampleTable(makeVector(Float64Array.from(ms))));
    expect(() => feeds.arrow(bytes)).toThrow(/row 999: timestamp 9000000000000000000000 ms is outside what a date can hold/);
    expect(feeds.arrow(bytes, { skipMalformed: true }).skipped).toBe(1);
  });

  it('names unreadable date text and skips it when asked', () => {
    const iso = Array.from(csv.columns.datetime, (x, i) => (i === 10 ? '2020-02-30' : new Date(x).toISOString().slice(0, 10)));
    const bytes = tableToIPC(sampleTable(vectorFromArray(iso, new Utf8())));
    expect(() => feeds.arrow(bytes)).toThrow(/row 10: '2020-02-30' in column 'datetime' is not a date of the form YYYY-MM-DD/);
    const data = feeds.arrow(bytes, { skipMalformed: true });
    expect([data.size, data.skipped, data.skippedExamples[0]!.line]).toEqual([csv.size - 1, 1, 10]);
  });

  it('rejects time going backwards, naming the row in the file', () => {
    const ms = csv.columns.datetime.slice();
    [ms[20], ms[21]] = [ms[21]!, ms[20]!];
    const bytes = tableToIPC(sampleTable(makeVector({ type: new TimestampMillisecond(), data: bigints(ms) })));
    const err = thrown(() => feeds.arrow(bytes));
    expect(err).toBeInstanceOf(TimeBackwardsError);
    expect((err as TimeBackwardsError).location).toBe('row 21');
    // After skipped rows the row is still the file's.
    const close = Array.from(csv.columns.close, (x, i) => (i === 2 ? null : x));
    const withNull = sampleTable(makeVector({ type: new TimestampMillisecond(), data: bigints(ms) })).assign(new Table({ close: vectorFromArray(close, new Float64()) }));
    const err2 = thrown(() => feeds.parquet(parquetBytes(withNull), { skipMalformed: true, name: 'swap' }));
    expect(err2).toBeInstanceOf(TimeBackwardsError);
    expect((err2 as TimeBackwardsError).location).toBe('row 21');
    expect(err2.message).toMatch(/^Parquet bytes 'swap', row 21: timestamp 2020-01-30T00:00:00 goes backwards \(previous row has 2020-01-31T00:00:00\)/);
  });

  it('checks its options', () => {
    expect(() => feeds.arrow(arrowFile, { tzInput: 'UTC' })).toThrow(/tzInput needs tz too/);
    expect(() => feeds.arrow(arrowFile, { close: null as never })).toThrow(ParamError);
    expect(() => feeds.parquet(42 as never)).toThrow(ParamError);
  });
});
