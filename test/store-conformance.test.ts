/**
 * One conformance suite for every store backend: the same tests run against SQLite, PostgreSQL,
 * MariaDB and InfluxDB (the time-series part), each in a fresh database dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError, TimeBackwardsError, TradingCalendar, calendars, openStore, StoreError, type RunRecord, type Store,
} from '../ts/index.js';
import { BACKENDS, type TestDatabase } from './support/store-backends.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2); // a Tuesday

/** `n` daily bars from T0 with distinct, checkable prices. */
function bars(n: number, start = 0) {
  const time: number[] = [];
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  const volume: number[] = [];
  for (let i = start; i < start + n; i++) {
    time.push(T0 + i * DAY);
    open.push(100 + i + 0.25);
    high.push(101 + i + 0.5);
    low.push(99 + i + 0.125);
    close.push(100 + i + 1 / 3);
    volume.push(1000 + i);
  }
  return { time, open, high, low, close, volume };
}

const run = (id: string, startedAt: number): RunRecord => ({
  id,
  kind: 'backtest',
  strategy: 'SmaCross',
  params: { fast: 10, slow: 30, name: "it's" },
  codeHash: 'abc123',
  startedAt,
  endedAt: startedAt + 1500,
  startValue: 10_000,
  finalValue: 10_123.45,
  meta: { data: ['orcl-1995-2014.txt'] },
  orders: [
    { ref: 1, clientOrderId: 'c-1', symbol: 'ORCL', side: 'buy', type: 'Market', size: 10, price: null, createdAt: T0, status: 'Completed' },
    { ref: 2, clientOrderId: null, symbol: 'ORCL', side: 'sell', type: 'Limit', size: 10, price: 105.5, createdAt: T0 + DAY, status: 'Canceled' },
  ],
  orderEvents: [
    { ref: 1, seq: 0, time: T0, status: 'Submitted', fillSize: null, fillPrice: null, commission: null },
    { ref: 1, seq: 1, time: T0 + DAY, status: 'Completed', fillSize: 10, fillPrice: 100.25, commission: 1.0025 },
    { ref: 2, seq: 0, time: T0 + DAY, status: 'Canceled', fillSize: null, fillPrice: null, commission: null },
  ],
  trades: [
    { id: 1, symbol: 'ORCL', openedAt: T0 + DAY, closedAt: T0 + 5 * DAY, size: 10, entryPrice: 100.25, pnl: 12.5, pnlComm: 10.4, commission: 2.1, bars: 4 },
  ],
  positions: [
    { symbol: 'ORCL', time: T0 + DAY, size: 10, price: 100.25 },
    { symbol: 'ORCL', time: T0 + 5 * DAY, size: 0, price: 0 },
  ],
  equity: [
    { time: T0, value: 10_000, cash: 10_000 },
    { time: T0 + DAY, value: 10_001.5, cash: 8_996.4975 },
  ],
});

describe.each(BACKENDS)('store conformance: $name', (backend) => {
  let db: TestDatabase;
  let store: Store;
  const can = (what: Parameters<Store['capabilities']['has']>[0]) => store.capabilities.has(what);

  beforeAll(async () => {
    db = await backend.create();
    store = await openStore(db.url, { retries: 2, backoffMs: 10 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('names its backend and shows its URL', () => {
    expect(store.backend).toBe(backend.name);
    expect(store.url).toBe(db.url);
  });

  it('writes bars and reads back exactly the same columns', async () => {
    const b = bars(50);
    expect(await store.writeBars('ORCL', '1d', b)).toEqual({ written: 50, inserted: 50 });
    const back = await store.readBars('ORCL', '1d');
    expect(Array.from(back.time)).toEqual(b.time);
    expect(Array.from(back.open)).toEqual(b.open);
    expect(Array.from(back.high)).toEqual(b.high);
    expect(Array.from(back.low)).toEqual(b.low);
    expect(Array.from(back.close)).toEqual(b.close);
    expect(Array.from(back.volume)).toEqual(b.volume);
    expect(back.openInterest.every(Number.isNaN)).toBe(true);
    expect(back.time).toBeInstanceOf(Float64Array);
  });

  it('upserts idempotently: the count says how many bars were new', async () => {
    expect(await store.writeBars('ORCL', '1d', bars(50))).toEqual({ written: 50, inserted: 0 });
    const overlap = bars(20, 40);
    overlap.close = overlap.close.map((c) => c + 1);
    expect(await store.writeBars('ORCL', '1d', overlap)).toEqual({ written: 20, inserted: 10 });
    const back = await store.readBars('ORCL', '1d');
    expect(back.time.length).toBe(60);
    expect(back.close[45]).toBe(100 + 45 + 1 / 3 + 1);
  });

  it('reads a time range (from inclusive, to exclusive) and keeps timeframes and symbols apart', async () => {
    const part = await store.readBars('ORCL', '1d', { from: T0 + 10 * DAY, to: T0 + 20 * DAY });
    expect(Array.from(part.time)).toEqual(bars(10, 10).time);
    expect((await store.readBars('ORCL', '1h')).time.length).toBe(0);
    expect((await store.readBars('MSFT', '1d')).time.length).toBe(0);
  });

  it('keeps open interest', async () => {
    const b = { ...bars(3), openInterest: [5, NaN, 7.5] };
    await store.writeBars('OI', '1d', b);
    expect(Array.from((await store.readBars('OI', '1d')).openInterest)).toEqual([5, NaN, 7.5]);
  });

  it('stores a symbol that looks like SQL as a symbol', async () => {
    const evil = "'); DROP TABLE bars; --";
    expect((await store.writeBars(evil, '1d', bars(2))).inserted).toBe(2);
    expect((await store.readBars(evil, '1d')).time.length).toBe(2);
    expect((await store.readBars('ORCL', '1d')).time.length).toBe(60);
  });

  it('refuses bad bars with the CSV feeds\' typed errors and writes nothing of the batch', async () => {
    const highBelowLow = bars(5, 100);
    highBelowLow.high[3] = highBelowLow.low[3]! - 1;
    await expect(store.writeBars('BAD', '1d', highBelowLow)).rejects.toThrow(DataError);
    await expect(store.writeBars('BAD', '1d', highBelowLow)).rejects.toThrow(/row 3.*high .* is below low/);
    const nan = bars(5, 100);
    nan.close[4] = NaN;
    await expect(store.writeBars('BAD', '1d', nan)).rejects.toThrow(/row 4.*close is NaN/);
    const backwards = bars(5, 100);
    backwards.time[2] = backwards.time[0]!;
    await expect(store.writeBars('BAD', '1d', backwards)).rejects.toThrow(TimeBackwardsError);
    const fractional = bars(2, 100);
    fractional.time[1] = fractional.time[1]! + 0.5;
    await expect(store.writeBars('BAD', '1d', fractional)).rejects.toThrow(/not UTC milliseconds as an integer/);
    const { volume: _, ...noVolume } = bars(2);
    await expect(store.writeBars('BAD', '1d', noVolume as never)).rejects.toThrow(/column 'volume' is missing/);
    expect((await store.readBars('BAD', '1d')).time.length).toBe(0);
  });

  it('lists the missing bars against a trading calendar', async () => {
    // Weekdays only: the stored daily bars cover every calendar day, so remove a few and
    // let the calendar say which trading days are missing.
    const cal = new TradingCalendar({ name: 'weekdays', sessions: [['00:00', '23:59']], holidays: ['2024-01-15'] });
    const all = bars(21); // 2024-01-02 .. 2024-01-22
    const keep = all.time.map((t, i) => i).filter((i) => ![3, 4, 12].includes(i)); // drop Jan 5 (Fri), Jan 6 (Sat), Jan 14 (Sun)
    const pick = <T,>(col: T[]) => keep.map((i) => col[i]!);
    await store.writeBars('GAPPY', '1d', { time: pick(all.time), open: pick(all.open), high: pick(all.high), low: pick(all.low), close: pick(all.close), volume: pick(all.volume) });
    const gaps = await store.gaps('GAPPY', '1d', cal, { from: T0, to: T0 + 25 * DAY });
    expect(gaps).toEqual([
      { from: Date.UTC(2024, 0, 5), to: Date.UTC(2024, 0, 5), bars: 1 },
      { from: Date.UTC(2024, 0, 23), to: Date.UTC(2024, 0, 26), bars: 4 },
    ]);
  });

  it('lists missing intraday bars across sessions in the calendar\'s zone', async () => {
    const nyse = calendars.NYSE();
    // 2024-01-02 09:30 New York is 14:30 UTC; 30-minute bars stamped at their close.
    const open = Date.UTC(2024, 0, 2, 14, 30);
    const stamps = Array.from({ length: 13 }, (_, k) => open + (k + 1) * 1_800_000).filter((_, k) => k !== 4 && k !== 5);
    const n = stamps.length;
    const flat = (v: number) => Array.from({ length: n }, () => v);
    await store.writeBars('SPY', '30m', { time: stamps, open: flat(1), high: flat(2), low: flat(0.5), close: flat(1.5), volume: flat(10) });
    const gaps = await store.gaps('SPY', '30m', nyse, { from: open, to: open + DAY });
    expect(gaps).toEqual([
      { from: open + 5 * 1_800_000, to: open + 6 * 1_800_000, bars: 2 },
      // The next day's session has no bars at all (up to `to`: 09:30 next day).
    ]);
  });

  it('writes ticks, keeping the order of ticks of one millisecond, idempotently', async () => {
    const ticks = [
      { time: T0, price: 10, size: 1, side: 'buy' },
      { time: T0, price: 10.5, size: 2, side: 'sell' },
      { time: T0 + 1, price: 11, size: 3 },
    ];
    expect(await store.writeTicks('BTC', ticks)).toBe(3);
    await store.writeTicks('BTC', ticks);
    expect(await store.readTicks('BTC')).toEqual([
      { time: T0, seq: 0, price: 10, size: 1, side: 'buy' },
      { time: T0, seq: 1, price: 10.5, size: 2, side: 'sell' },
      { time: T0 + 1, seq: 0, price: 11, size: 3, side: null },
    ]);
    await expect(store.writeTicks('BTC', [{ time: T0 + 5, price: 1, size: 1 }, { time: T0 + 4, price: 1, size: 1 }])).rejects.toThrow(TimeBackwardsError);
    expect((await store.readTicks('BTC')).length).toBe(3);
  });

  it('writes and reads equity', async () => {
    await store.writeEquity('run-eq', [{ time: T0, value: 100, cash: 50 }, { time: T0 + DAY, value: 101.5 }]);
    expect(await store.readEquity('run-eq')).toEqual([{ time: T0, value: 100, cash: 50 }, { time: T0 + DAY, value: 101.5, cash: null }]);
    expect(await store.readEquity('run-eq', { from: T0 + 1 })).toEqual([{ time: T0 + DAY, value: 101.5, cash: null }]);
  });

  it('saves a run with its orders, events, trades, positions and equity, and reads it back identical', async () => {
    if (!can('runs')) {
      await expect(store.saveRun(run('r1', T0))).rejects.toThrow(expect.objectContaining({ code: 'STORE_UNSUPPORTED' }));
      return;
    }
    const r1 = run('r1', T0);
    await store.saveRun(r1);
    await store.saveRun(run('r2', T0 + DAY));
    expect(await store.loadRun('r1')).toEqual(r1);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(await store.loadRun('nope')).toBeUndefined();
    // Saving the same id again replaces the run, children included.
    const fewer = { ...r1, orders: r1.orders.slice(0, 1), orderEvents: r1.orderEvents.slice(0, 2), finalValue: 9_999 };
    await store.saveRun(fewer);
    expect(await store.loadRun('r1')).toEqual(fewer);
  });

  it('a run with a bad row writes nothing of it', async () => {
    if (!can('runs')) return;
    const bad = run('r-bad', T0);
    // The database refuses the last row (NOT NULL) after the run and its orders went in.
    bad.equity[1]!.value = null as never;
    await expect(store.saveRun(bad)).rejects.toThrow(expect.objectContaining({ code: 'STORE_SQL' }));
    expect(await store.loadRun('r-bad')).toBeUndefined();
    const early = run('r-bad', T0);
    early.startedAt = 1.5;
    await expect(store.saveRun(early)).rejects.toThrow(DataError);
  });

  it('keeps instruments, notifications and book snapshots (SQL backends)', async () => {
    if (!can('instruments')) {
      await expect(store.instruments()).rejects.toThrow(StoreError);
      return;
    }
    await store.upsertInstruments([{ symbol: 'ES', name: 'E-mini S&P', exchange: 'CME', currency: 'USD', tickSize: 0.25, multiplier: 50, meta: { months: 'HMUZ' } }]);
    await store.upsertInstruments([{ symbol: 'ES', name: 'E-mini S&P 500', exchange: 'CME', currency: 'USD', tickSize: 0.25, multiplier: 50 }]);
    expect(await store.instruments()).toEqual([
      { symbol: 'ES', name: 'E-mini S&P 500', exchange: 'CME', currency: 'USD', tickSize: 0.25, multiplier: 50, meta: undefined },
    ]);
    await store.writeNotifications([{ id: 'n1', time: T0, level: 'warn', kind: 'risk', message: 'drawdown 5%', data: { dd: 0.05 } }]);
    expect(await store.readNotifications()).toEqual([{ id: 'n1', time: T0, level: 'warn', kind: 'risk', message: 'drawdown 5%', data: { dd: 0.05 } }]);
    const snap = { time: T0, bids: [[99.5, 3], [99, 1]] as [number, number][], asks: [[100, 2]] as [number, number][] };
    await store.writeBookSnapshots('ES', [snap]);
    expect(await store.readBookSnapshots('ES')).toEqual([snap]);
  });

  it('lists its bar series', async () => {
    const series = await store.barSeries();
    expect(series.find((s) => s.symbol === 'ORCL' && s.timeframe === '1d')).toEqual({
      symbol: 'ORCL', timeframe: '1d', first: T0, last: T0 + 59 * DAY, count: 60,
    });
  });
});

describe.each(BACKENDS)('store lifecycle: $name', (backend) => {
  it('a closed store says so', async () => {
    const db = await backend.create();
    const store = await openStore(db.url);
    await store.close();
    await expect(store.readBars('X', '1d')).rejects.toThrow(expect.objectContaining({ code: 'STORE_CLOSED' }));
    await db.drop();
  });

  it('reopening keeps the data and does not migrate twice', async () => {
    const db = await backend.create();
    const a = await openStore(db.url);
    await a.writeBars('X', '1d', bars(3));
    await a.close();
    const b = await openStore(db.url);
    expect((await b.readBars('X', '1d')).time.length).toBe(3);
    await b.close();
    await db.drop();
  });
});
