/**
 * Faults of the server stores: connections killed by the server in the middle of a write
 * stream, a server away for a moment (writes wait, bounded), a server that stays away (a typed
 * error, nothing half-written), and connection errors that name the URL but never a password.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, openStore, redactUrl, StoreError, type Store } from '../ts/index.js';
import { MYSQL_URL, PG_URL, mysqlBackend, postgresBackend, type TestDatabase } from './support/store-backends.js';
import { startProxy } from './support/tcp-proxy.js';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 2);

/** Batch `k` of `size` minute bars, consecutive across batches. */
function batch(k: number, size: number) {
  const time = Array.from({ length: size }, (_, i) => T0 + (k * size + i) * MIN);
  const price = time.map((_, i) => 100 + k + i / 1000);
  return { time, open: price, high: price.map((p) => p + 1), low: price.map((p) => p - 1), close: price, volume: price.map(() => 10 + k) };
}

/** Every bar of the stream is there exactly once, with the values of its batch. */
async function expectWholeStream(store: Store, batches: number, size: number) {
  const back = await store.readBars('KILL', '1m');
  expect(back.time.length).toBe(batches * size);
  for (let k = 0; k < batches; k++) {
    const want = batch(k, size);
    for (let i = 0; i < size; i += 97) {
      expect(back.time[k * size + i]).toBe(want.time[i]);
      expect(back.close[k * size + i]).toBe(want.close[i]);
      expect(back.volume[k * size + i]).toBe(10 + k);
    }
  }
  const times = new Set(back.time);
  expect(times.size).toBe(back.time.length);
}

describe('connections killed by the server during a write stream', () => {
  it('PostgreSQL: pg_terminate_backend during the stream loses and duplicates nothing', async () => {
    const db = await postgresBackend.create();
    const app = `ft_fault_${process.pid}`;
    const store = await openStore(`${db.url}&application_name=${app}`, { retries: 20, backoffMs: 5, maxBackoffMs: 100 });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    let kills = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        const r = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [app]);
        kills += r.rows.filter((x: { ok: boolean }) => x.ok).length;
        await new Promise((res) => setTimeout(res, 40 + Math.random() * 40));
      }
    })();
    const batches = 60;
    const size = 500;
    // Sequential and queued-up writes both: half awaited one by one, half in flight together.
    for (let k = 0; k < batches / 2; k++) await store.writeBars('KILL', '1m', batch(k, size));
    await Promise.all(Array.from({ length: batches / 2 }, (_, j) => store.writeBars('KILL', '1m', batch(batches / 2 + j, size))));
    stop = true;
    await killer;
    await admin.end();
    expect(kills).toBeGreaterThan(0);
    await expectWholeStream(store, batches, size);
    await store.close();
    await db.drop();
  });

  it('MariaDB: KILL of the store\'s connections during the stream loses and duplicates nothing', async () => {
    const db = await mysqlBackend.create();
    const name = db.url.slice(db.url.lastIndexOf('/') + 1);
    const store = await openStore(db.url, { retries: 20, backoffMs: 5, maxBackoffMs: 100 });
    const admin = await mysql.createConnection({ uri: MYSQL_URL });
    let kills = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        const [rows] = await admin.query('SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()', [name]);
        for (const { id } of rows as { id: number }[]) {
          await admin.query('KILL ?', [id]).then(() => kills++, () => undefined);
        }
        await new Promise((res) => setTimeout(res, 40 + Math.random() * 40));
      }
    })();
    const batches = 40;
    const size = 500;
    for (let k = 0; k < batches; k++) await store.writeBars('KILL', '1m', batch(k, size));
    stop = true;
    await killer;
    await admin.end();
    expect(kills).toBeGreaterThan(0);
    await expectWholeStream(store, batches, size);
    await store.close();
    await db.drop();
  });
});

describe('two processes writing the same bars at once', () => {
  it('PostgreSQL: the straight COPY that loses the race falls back to the upsert; every bar once, counted once', async () => {
    const db = await postgresBackend.create();
    const a = await openStore(db.url);
    const b = await openStore(db.url);
    const bars = batch(0, 5000);
    const [ra, rb] = await Promise.all([a.writeBars('RACE', '1m', bars), b.writeBars('RACE', '1m', bars)]);
    expect(ra.inserted + rb.inserted).toBe(5000);
    const back = await a.readBars('RACE', '1m');
    expect(Array.from(back.time)).toEqual(bars.time);
    expect(Array.from(back.close)).toEqual(bars.close);
    await a.close();
    await b.close();
    await db.drop();
  });
});

describe('a server that is away', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await postgresBackend.create();
    // Create the schema and tables directly, then go through the proxy.
    await (await openStore(db.url)).close();
  });
  afterAll(async () => db.drop());

  it('writes made while it is briefly down wait (bounded) and all land when it is back', async () => {
    const proxy = await startProxy(5432);
    const url = db.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);
    const events = new EventBus();
    const states: string[] = [];
    events.on('connection', (e) => {
      expect(e.component).toBe('store:postgres');
      states.push(e.state);
    });
    const store = await openStore(url, { retries: 50, backoffMs: 20, maxBackoffMs: 100, bufferRows: 1500, events });
    await store.writeBars('KILL', '1m', batch(0, 500));
    await proxy.down();
    const waiting = [store.writeBars('KILL', '1m', batch(1, 500)), store.writeBars('KILL', '1m', batch(2, 500))];
    // Past the bound: refused at once with a typed error, never dropped silently.
    await expect(store.writeBars('KILL', '1m', batch(3, 1000))).rejects.toThrow(expect.objectContaining({ code: 'STORE_BUFFER_FULL' }));
    await new Promise((r) => setTimeout(r, 300));
    await proxy.up();
    expect((await Promise.all(waiting)).map((r) => r.inserted)).toEqual([500, 500]);
    await store.writeBars('KILL', '1m', batch(3, 500));
    await expectWholeStream(store, 4, 500);
    expect(states).toEqual(['reconnecting', 'restored']);
    await store.close();
    await proxy.close();
  });

  it('a server that stays away fails the write with a typed error, and nothing of the batch is written', async () => {
    const proxy = await startProxy(5432);
    const url = db.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);
    const store = await openStore(url, { retries: 3, backoffMs: 10 });
    await proxy.down();
    const err = await store.writeBars('AWAY', '1m', batch(0, 100)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect((err as Error).message).toContain(`127.0.0.1:${proxy.port}`);
    await proxy.up();
    expect((await store.readBars('AWAY', '1m')).time.length).toBe(0);
    await store.close();
    await proxy.close();
  });
});

describe('opening a store', () => {
  const failure = async (url: string) => {
    const err = await openStore(url, { connectTimeoutMs: 2000 }).then(
      (s) => s.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  };

  it.each([
    ['postgres', 'postgres://trader:s3cr%40t-pw@127.0.0.1:1/test'],
    ['mysql', 'mysql://trader:s3cr%40t-pw@127.0.0.1:1/test'],
    ['influx', 'influx://trader:s3cr%40t-pw@127.0.0.1:1/test'],
  ])('an unreachable %s server is STORE_OPEN naming the URL, password redacted', async (_, url) => {
    const err = await failure(url);
    expect(err.code).toBe('STORE_OPEN');
    expect(err.message).toContain('trader:***@127.0.0.1:1');
    expect(err.message).not.toContain('s3cr');
  });

  it('a wrong password is STORE_OPEN and the password is not in the message', async () => {
    const err = await failure('mysql://root:hunter2-secret@127.0.0.1:3306/test');
    expect(err.code).toBe('STORE_OPEN');
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toContain('root:***@');
    const pgErr = await failure('postgres://nobody_here:hunter2-secret@127.0.0.1:5432/no_such_database_ft');
    expect(pgErr.code).toBe('STORE_OPEN');
    expect(pgErr.message).not.toContain('hunter2');
    expect(pgErr.message).toContain('nobody_here:***@');
  });

  it('an unknown scheme, a missing file directory and a missing database name are STORE_OPEN', async () => {
    expect((await failure('redis://127.0.0.1:6379')).message).toMatch(/unknown scheme/);
    expect((await failure('sqlite:/no/such/dir/x.db')).message).toContain('/no/such/dir/x.db');
    expect((await failure('mysql://root@127.0.0.1:3306')).message).toMatch(/name the database/);
    expect((await failure('influx://127.0.0.1:8086')).message).toMatch(/name the database/);
  });

  it('redacts passwords in URLs and query strings', () => {
    expect(redactUrl('postgres://u:p%40ss@h:5432/db')).toBe('postgres://u:***@h:5432/db');
    expect(redactUrl('mysql://h/db?user=u&password=secret&x=1')).toBe('mysql://h/db?user=u&password=***&x=1');
    expect(redactUrl('sqlite:./a.db')).toBe('sqlite:./a.db');
  });
});
