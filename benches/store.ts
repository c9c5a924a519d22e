/**
 * Store bench: bars per second into and out of each SQL backend, and the order journal's
 * events per second with per-append latency, beside the usual ways a user writes the same rows.
 *
 * - SQLite (embedded, `synchronous=NORMAL`): `writeBars` of `--bars` bars (default 1M) into a
 *   fresh file, then `readBars` of them back into columns.
 * - Order journal (`synchronous=FULL`, WAL): `appendAsync` group commit, and plain `append`
 *   (one fsync each); p50/p99 latency from call to durable.
 * - PostgreSQL (`COPY`) and MariaDB (multi-row upsert): `writeBars` of up to 200k bars into a
 *   fresh schema/database on loopback.
 * - Peers in the same run on the same rows: one `INSERT` per row through the plain driver
 *   (`pg`, `mysql2` in one transaction; Python's `sqlite3` for SQLite), and pandas
 *   `DataFrame.to_sql` (PyPI, SQLAlchemy with psycopg2 / PyMySQL / sqlite3).
 *
 * Ratios are ferrotrade's rows/s over the peer's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

import { openJournal, openStore, type BarInput, type Store } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, ensureBacktrader, median, runPython } from './lib/harness.js';
import { generateBars } from './lib/synthetic.js';

const PG_URL = process.env.FERROTRADE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.FERROTRADE_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const PANDAS_PACKAGES = ['pandas', 'sqlalchemy', 'psycopg2-binary', 'pymysql'];

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const unique = () => `ftbench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

function barsInput(n: number, seed: number): BarInput {
  const b = generateBars({ n, seed });
  return { time: b.datetime, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
}

function slice(b: BarInput, n: number): BarInput {
  const s = (c: ArrayLike<number>) => (c as Float64Array).subarray(0, n);
  return { time: s(b.time), open: s(b.open), high: s(b.high), low: s(b.low), close: s(b.close), volume: s(b.volume) };
}

/** Times `work` on a fresh store from `fresh()` each run (opening and migrating untimed). */
async function timedWrites(runs: number, fresh: () => Promise<{ store: Store; drop: () => Promise<void> }>, work: (s: Store) => Promise<unknown>) {
  const runsMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { store, drop } = await fresh();
    const t0 = performance.now();
    await work(store);
    runsMs.push(performance.now() - t0);
    await store.close();
    await drop();
  }
  return { medianMs: median(runsMs), runsMs };
}

async function journalBench(events: number, syncEvents: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-bench-journal-'));
  try {
    const j = openJournal(join(dir, 'journal.db'));
    const payload = { side: 'buy', size: 100, price: 101.25, type: 'Limit', tif: 'GTC' };
    const latencies = new Float64Array(events);
    // Producers append 1000 events per event-loop turn without waiting; the journal commits
    // whatever accumulated while the previous commit ran.
    const t0 = performance.now();
    const wave = 1000;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < events; i += wave) {
      for (let k = i; k < Math.min(events, i + wave); k++) {
        const start = performance.now();
        pending.push(j.appendAsync({ time: 1_700_000_000_000 + k, kind: 'intent', clientOrderId: `c-${k}`, payload }).then(() => (latencies[k] = performance.now() - start)));
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(pending);
    const groupMs = performance.now() - t0;
    const syncLat = new Float64Array(syncEvents);
    const s0 = performance.now();
    for (let k = 0; k < syncEvents; k++) {
      const start = performance.now();
      j.append({ time: 1_800_000_000_000 + k, kind: 'sent', clientOrderId: `s-${k}`, payload });
      syncLat[k] = performance.now() - start;
    }
    const syncMs = performance.now() - s0;
    j.close();
    const pct = (a: Float64Array, p: number) => Float64Array.from(a).sort()[Math.min(a.length - 1, Math.floor(a.length * p))]!;
    return {
      group_commit: { events, ms: groupMs, events_per_s: rate(events, groupMs), p50_ms: pct(latencies, 0.5), p99_ms: pct(latencies, 0.99) },
      append_each_fsync: { events: syncEvents, ms: syncMs, events_per_s: rate(syncEvents, syncMs), p50_ms: pct(syncLat, 0.5), p99_ms: pct(syncLat, 0.99) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One INSERT per row through the plain `pg` driver, in one transaction. */
async function pgRowInserts(url: string, b: BarInput, n: number): Promise<number> {
  const client = new pg.Client({ connectionString: url.replace(/\?schema=(\w+)/, ''), options: `-c search_path=${/schema=(\w+)/.exec(url)![1]}` });
  await client.connect();
  const t0 = performance.now();
  await client.query('BEGIN');
  for (let i = 0; i < n; i++) {
    await client.query('INSERT INTO bars (symbol, timeframe, time, open, high, low, close, volume) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      ['PEER', '1d', b.time[i], b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]]);
  }
  await client.query('COMMIT');
  const ms = performance.now() - t0;
  await client.end();
  return ms;
}

/** One INSERT per row through the plain `mysql2` driver, in one transaction. */
async function mysqlRowInserts(url: string, b: BarInput, n: number): Promise<number> {
  const conn = await mysql.createConnection({ uri: url });
  const t0 = performance.now();
  await conn.beginTransaction();
  for (let i = 0; i < n; i++) {
    await conn.query('INSERT INTO bars (symbol, timeframe, time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ['PEER', '1d', b.time[i], b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]]);
  }
  await conn.commit();
  const ms = performance.now() - t0;
  await conn.end();
  return ms;
}

function ensurePandas(): string {
  const python = ensureBacktrader();
  const has = () => spawnSync(python, ['-c', 'import pandas, sqlalchemy, psycopg2, pymysql']).status === 0;
  if (!has()) {
    progress(`installing ${PANDAS_PACKAGES.join(' ')} into the bench venv`);
    const res = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PANDAS_PACKAGES], { stdio: ['ignore', 2, 'inherit'] });
    if (res.status !== 0 || !has()) throw new Error('pandas, sqlalchemy, psycopg2-binary and pymysql could not be installed into the bench venv');
  }
  return python;
}

interface PandasOut {
  rows: number;
  pandas_version: string;
  sqlalchemy_version: string;
  targets: Record<string, { to_sql_median_ms: number; row_insert_median_ms?: number }>;
}

export async function storeBench(o: BenchOptions): Promise<object> {
  const n = o.bars;
  const serverN = Math.min(n, 200_000);
  const peerN = Math.min(n, 20_000);
  const pandasN = Math.min(n, 200_000);
  const runs = Math.min(o.runs, 3);
  const bars = barsInput(n, o.seed);
  const tmp = mkdtempSync(join(tmpdir(), 'ferrotrade-bench-store-'));
  try {
    // SQLite.
    progress(`store: SQLite upsert of ${n} bars`);
    const sqliteWrite = await timedWrites(runs, async () => {
      const path = join(tmp, `${unique()}.db`);
      return { store: await openStore(`sqlite:${path}`), drop: async () => rmSync(path, { force: true }) };
    }, (s) => s.writeBars('BENCH', '1d', bars));
    const readPath = join(tmp, 'read.db');
    const reader = await openStore(`sqlite:${readPath}`);
    await reader.writeBars('BENCH', '1d', bars);
    const readRuns: number[] = [];
    for (let r = 0; r < Math.max(3, runs); r++) {
      const t0 = performance.now();
      const back = await reader.readBars('BENCH', '1d');
      readRuns.push(performance.now() - t0);
      if (back.time.length !== n) throw new Error(`read back ${back.time.length} bars, wrote ${n}`);
    }
    await reader.close();

    progress('store: order journal');
    const journal = await journalBench(100_000, 2000);

    // PostgreSQL and MariaDB.
    progress(`store: PostgreSQL COPY and MariaDB upsert of ${serverN} bars`);
    const serverBars = slice(bars, serverN);
    const pgFresh = async () => {
      const schema = unique();
      const url = `${PG_URL}?schema=${schema}`;
      return {
        store: await openStore(url), url, schema,
        drop: async () => {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await c.end();
        },
      };
    };
    const mysqlFresh = async () => {
      const db = unique();
      const admin = await mysql.createConnection({ uri: MYSQL_URL });
      await admin.query(`CREATE DATABASE \`${db}\``);
      await admin.end();
      const url = MYSQL_URL.replace(/\/[^/]*$/, `/${db}`);
      return {
        store: await openStore(url), url, db,
        drop: async () => {
          const c = await mysql.createConnection({ uri: MYSQL_URL });
          await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
          await c.end();
        },
      };
    };
    const pgWrite = await timedWrites(runs, pgFresh, (s) => s.writeBars('BENCH', '1d', serverBars));
    const myWrite = await timedWrites(runs, mysqlFresh, (s) => s.writeBars('BENCH', '1d', serverBars));

    progress(`store: peers, one INSERT per row (${peerN} rows)`);
    const pgPeer = await pgFresh();
    await pgPeer.store.close();
    const pgRowMs = await pgRowInserts(pgPeer.url, bars, peerN);
    const myPeer = await mysqlFresh();
    await myPeer.store.close();
    const myRowMs = await mysqlRowInserts(myPeer.url, bars, peerN);

    progress(`store: pandas to_sql (${pandasN} rows)`);
    const csv = join(tmp, 'peer.csv');
    let text = 'time,open,high,low,close,volume\n';
    for (let i = 0; i < pandasN; i++) text += `${bars.time[i]},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}\n`;
    writeFileSync(csv, text);
    const sqlitePeerPath = join(tmp, 'pandas.db');
    await (await openStore(`sqlite:${sqlitePeerPath}`)).close();
    let pandas: PandasOut | { error: string };
    try {
      const python = ensurePandas();
      pandas = await runPython<PandasOut>(join(BENCHES_DIR, 'peers', 'pandas_to_sql.py'), [JSON.stringify({
        csv, rows: pandasN, runs: 1,
        targets: [
          { name: 'sqlite', url: `sqlite:///${sqlitePeerPath}`, path: sqlitePeerPath },
          { name: 'postgres', url: `postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3D${pgPeer.schema}` },
          { name: 'mysql', url: MYSQL_URL.replace(/^mysql:/, 'mysql+pymysql:').replace(/\/[^/]*$/, `/${myPeer.db}`) },
        ],
      })], { python });
    } catch (err) {
      pandas = { error: (err as Error).message.split('\n')[0]! };
    }
    await pgPeer.drop();
    await myPeer.drop();

    const sqliteRate = rate(n, sqliteWrite.medianMs);
    const pgRate = rate(serverN, pgWrite.medianMs);
    const myRate = rate(serverN, myWrite.medianMs);
    const p = 'targets' in pandas ? pandas.targets : undefined;
    const pandasRate = (name: string) => (p?.[name] ? rate(pandasN, p[name]!.to_sql_median_ms) : null);
    const ratio = (a: number, b: number | null) => (b ? Math.round((a / b) * 10) / 10 : null);
    const sqliteRowRate = p?.sqlite?.row_insert_median_ms ? rate(pandasN, p.sqlite.row_insert_median_ms) : null;
    return {
      machine: machineInfo(),
      sqlite: {
        bars: n,
        upsert_bars_per_s: sqliteRate,
        upsert_runs_ms: sqliteWrite.runsMs,
        read_bars_per_s: rate(n, median(readRuns)),
        read_runs_ms: readRuns,
        peers: {
          python_sqlite3_insert_per_row_per_s: sqliteRowRate,
          pandas_to_sql_per_s: pandasRate('sqlite'),
        },
        ratio_vs_insert_per_row: ratio(sqliteRate, sqliteRowRate),
        ratio_vs_pandas_to_sql: ratio(sqliteRate, pandasRate('sqlite')),
      },
      journal,
      postgres: {
        bars: serverN,
        copy_bars_per_s: pgRate,
        runs_ms: pgWrite.runsMs,
        peers: { pg_insert_per_row_per_s: rate(peerN, pgRowMs), pandas_to_sql_per_s: pandasRate('postgres') },
        ratio_vs_insert_per_row: ratio(pgRate, rate(peerN, pgRowMs)),
        ratio_vs_pandas_to_sql: ratio(pgRate, pandasRate('postgres')),
      },
      mysql: {
        bars: serverN,
        upsert_bars_per_s: myRate,
        runs_ms: myWrite.runsMs,
        peers: { mysql2_insert_per_row_per_s: rate(peerN, myRowMs), pandas_to_sql_per_s: pandasRate('mysql') },
        ratio_vs_insert_per_row: ratio(myRate, rate(peerN, myRowMs)),
        ratio_vs_pandas_to_sql: ratio(myRate, pandasRate('mysql')),
      },
      pandas: 'error' in pandas ? pandas : { rows: pandas.rows, version: pandas.pandas_version, sqlalchemy: pandas.sqlalchemy_version },
      peer_rows: { insert_per_row: peerN, pandas: pandasN },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
