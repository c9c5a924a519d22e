/**
 * The MySQL / MariaDB backend through `mysql2` (pure JS, an optional peer dependency). Writes are
 * multi-row `INSERT ... ON DUPLICATE KEY UPDATE` with placeholders (the driver escapes every
 * value), in one transaction per batch; new bars are counted inside that transaction.
 * @internal
 */
import type { Pool, PoolConnection } from 'mysql2/promise';
import { StoreError } from '../errors.js';
import type { StoreOptions } from './open.js';
import { loadDriver } from './optional.js';
import { WriteQueue, isTransient } from './retry.js';
import { SqlStore, barColumns, type SqlDriver, type SqlStatement } from './sql-store.js';
import { TABLES, upsertSql } from './schema.js';
import type { BarColumns } from './types.js';
import { redactUrl, storeFailure } from './url.js';

type MysqlModule = { createPool: (config: Record<string, unknown>) => Pool };

/** Bars per multi-row statement (9 values each, far below max_allowed_packet). */
const BAR_CHUNK = 2000;

class MysqlDriver implements SqlDriver {
  readonly dialect = 'mysql' as const;
  readonly maxParams = 30_000;

  constructor(
    private readonly pool: Pool,
    private readonly queue: WriteQueue,
    private readonly url: string,
  ) {}

  private fail(what: string, err: unknown): unknown {
    if (err instanceof StoreError || isTransient(err)) return err;
    return storeFailure('STORE_SQL', this.url, what, err);
  }

  async exec(sql: string): Promise<void> {
    await this.queue.attempt(() => this.pool.query(sql)).catch((e: unknown) => {
      throw this.fail('statement failed', e);
    });
  }

  async query(sql: string, params: unknown[]): Promise<unknown[][]> {
    const [rows] = await this.queue.attempt(() => this.pool.query({ sql, values: params, rowsAsArray: true })).catch((e: unknown) => {
      throw this.fail('query failed', e);
    });
    return rows as unknown[][];
  }

  private async inTransaction<T>(work: (conn: PoolConnection) => Promise<T>): Promise<T> {
    const conn = await this.pool.getConnection();
    let broken = false;
    try {
      await conn.beginTransaction();
      const out = await work(conn);
      await conn.commit();
      return out;
    } catch (err) {
      if (isTransient(err)) broken = true;
      else await conn.rollback().catch(() => (broken = true));
      throw err;
    } finally {
      // A connection that broke mid-transaction is closed, not returned to the pool.
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  async transaction(statements: SqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    const rows = statements.reduce((n, s) => n + s.rows.length, 0);
    await this.queue
      .run(rows, () =>
        this.inTransaction(async (conn) => {
          for (const st of statements) for (const row of st.rows) await conn.query(st.sql, row);
        }),
      )
      .catch((e: unknown) => {
        throw this.fail('write failed', e);
      });
  }

  async upsertBars(symbol: string, timeframe: string, b: BarColumns): Promise<number> {
    const n = b.time.length;
    const countSql = 'SELECT COUNT(*) FROM `bars` WHERE `symbol` = ? AND `timeframe` = ? AND `time` BETWEEN ? AND ?';
    const range = [symbol, timeframe, b.time[0], b.time[n - 1]];
    return this.queue
      .run(n, () =>
        this.inTransaction(async (conn) => {
          const count = async () => Number(((await conn.query({ sql: countSql, values: range, rowsAsArray: true }))[0] as unknown[][])[0]![0]);
          const before = await count();
          for (let i = 0; i < n; i += BAR_CHUNK) {
            const end = Math.min(n, i + BAR_CHUNK);
            const values: unknown[] = [];
            for (let k = i; k < end; k++) {
              const oi = b.openInterest[k]!;
              values.push(symbol, timeframe, b.time[k], b.open[k], b.high[k], b.low[k], b.close[k], b.volume[k], Number.isNaN(oi) ? null : oi);
            }
            await conn.query(upsertSql('mysql', TABLES.bars, end - i), values);
          }
          return (await count()) - before;
        }),
      )
      .catch((e: unknown) => {
        throw this.fail('bar write failed', e);
      });
  }

  async readBars(symbol: string, timeframe: string, from: number, to: number): Promise<BarColumns> {
    const rows = await this.query(
      'SELECT `time`, `open`, `high`, `low`, `close`, `volume`, `open_interest` FROM `bars` WHERE `symbol` = ? AND `timeframe` = ? AND `time` >= ? AND `time` < ? ORDER BY `time`',
      [symbol, timeframe, from, to],
    );
    return barColumns(rows);
  }

  async close(): Promise<void> {
    await this.queue.drain();
    await this.pool.end();
  }
}

/** Connects (checking the server answers), then migrates. */
export async function openMysqlStore(url: string, options: StoreOptions): Promise<SqlStore> {
  const shown = redactUrl(url);
  const mysql = await loadDriver<MysqlModule>('mysql2/promise', 'a mysql:// store');
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  if (parsed.pathname.length <= 1) throw new StoreError('STORE_OPEN', `${shown}: name the database, e.g. mysql://root@127.0.0.1:3306/trading`);
  const pool = mysql.createPool({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    connectionLimit: options.poolSize ?? 4,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    supportBigNumbers: true,
    charset: 'utf8mb4',
  });
  // An idle connection killed by the server is reported here; the pool replaces it on next use.
  pool.on('connection', (conn) => conn.on('error', () => undefined));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw storeFailure('STORE_OPEN', url, 'cannot connect', err);
  }
  return new SqlStore('mysql', shown, new MysqlDriver(pool, new WriteQueue(shown, 'store:mysql', options), url)).open();
}
