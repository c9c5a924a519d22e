/**
 * The PostgreSQL backend through `pg` (pure JS, an optional peer dependency). Bars go in with
 * `COPY ... FROM STDIN` (`pg-copy-streams`) into a temporary table and one
 * `INSERT ... ON CONFLICT` from it, which also counts the new bars; everything else as
 * multi-row `INSERT ... ON CONFLICT`. A `?schema=name` in the URL keeps the tables in that
 * schema (created if missing).
 * @internal
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { StoreError } from '../errors.js';
import type { StoreOptions } from './open.js';
import { loadDriver } from './optional.js';
import { WriteQueue, isTransient } from './retry.js';
import { SqlStore, barColumns, type SqlDriver, type SqlStatement } from './sql-store.js';
import { conflictClause, TABLES } from './schema.js';
import type { BarColumns } from './types.js';
import { redactUrl, storeFailure } from './url.js';

type PgModule = { Pool: new (config: Record<string, unknown>) => Pool };
type CopyModule = { from: (sql: string) => NodeJS.WritableStream };

/** Rows per chunk written into the COPY stream. */
const COPY_CHUNK = 8192;

/** COPY text format: backslash, tab, newline and carriage return escaped. */
function copyText(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

class PgDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  readonly maxParams = 65_535;

  constructor(
    private readonly pool: Pool,
    private readonly copy: CopyModule,
    private readonly queue: WriteQueue,
    private readonly url: string,
  ) {}

  private fail(what: string, err: unknown): unknown {
    if (err instanceof StoreError) return err;
    if (isTransient(err)) return err;
    return storeFailure('STORE_SQL', this.url, what, err);
  }

  async exec(sql: string): Promise<void> {
    await this.queue.attempt(() => this.pool.query(sql)).catch((e: unknown) => {
      throw this.fail('statement failed', e);
    });
  }

  async query(sql: string, params: unknown[]): Promise<unknown[][]> {
    const res = await this.queue.attempt(() => this.pool.query({ text: sql, values: params, rowMode: 'array' })).catch((e: unknown) => {
      throw this.fail('query failed', e);
    });
    return res.rows as unknown[][];
  }

  /** BEGIN … COMMIT on one pooled connection; a connection that broke is dropped from the pool. */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A connection killed while checked out reports here (and fails the running query); without
    // a listener the 'error' event would take the process down.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      if (isTransient(err)) broken = err as Error;
      else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async transaction(statements: SqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    const rows = statements.reduce((n, s) => n + s.rows.length, 0);
    await this.queue
      .run(rows, () =>
        this.inTransaction(async (client) => {
          for (const st of statements) for (const row of st.rows) await client.query(st.sql, row);
        }),
      )
      .catch((e: unknown) => {
        throw this.fail('write failed', e);
      });
  }

  async upsertBars(symbol: string, timeframe: string, b: BarColumns): Promise<number> {
    const conflict = conflictClause('postgres', TABLES.bars);
    const sym = copyText(symbol);
    const tf = copyText(timeframe);
    const n = b.time.length;
    const self = this;
    function* lines(): Generator<string> {
      for (let i = 0; i < n; i += COPY_CHUNK) {
        let chunk = '';
        const end = Math.min(n, i + COPY_CHUNK);
        for (let k = i; k < end; k++) {
          const oi = b.openInterest[k]!;
          chunk += `${sym}\t${tf}\t${b.time[k]}\t${b.open[k]}\t${b.high[k]}\t${b.low[k]}\t${b.close[k]}\t${b.volume[k]}\t${Number.isNaN(oi) ? '\\N' : oi}\n`;
        }
        yield chunk;
      }
    }
    const copyInto = async (client: PoolClient, table: string) => {
      const stream = client.query(this.copy.from(`COPY ${table} FROM STDIN`) as never) as unknown as NodeJS.WritableStream;
      await pipeline(Readable.from(lines()), stream);
    };
    return this.queue
      .run(n, () =>
        self.inTransaction(async (client) => {
          // A range with no stored bar (a first load, an append) is copied straight into the
          // table: several times faster than the upsert. A bar written meanwhile by another
          // process makes COPY fail on the key; the whole batch is then retried as an upsert.
          const taken = await client.query(
            'SELECT EXISTS (SELECT 1 FROM bars WHERE symbol = $1 AND timeframe = $2 AND time BETWEEN $3 AND $4) AS taken',
            [symbol, timeframe, b.time[0], b.time[n - 1]],
          );
          if (!(taken.rows[0] as { taken: boolean }).taken) {
            await client.query('SAVEPOINT straight_copy');
            try {
              await copyInto(client, 'bars');
              await client.query('RELEASE SAVEPOINT straight_copy');
              return n;
            } catch (err) {
              if ((err as { code?: string }).code !== '23505') throw err;
              await client.query('ROLLBACK TO SAVEPOINT straight_copy');
            }
          }
          await client.query('CREATE TEMP TABLE IF NOT EXISTS bars_in (LIKE bars) ON COMMIT DELETE ROWS');
          await copyInto(client, 'bars_in');
          const res = await client.query(
            `WITH up AS (INSERT INTO bars SELECT * FROM bars_in ${conflict} RETURNING (xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted) FROM up`,
          );
          return Number((res.rows[0] as { count: string }).count);
        }),
      )
      .catch((e: unknown) => {
        throw this.fail('bar write failed', e);
      });
  }

  async readBars(symbol: string, timeframe: string, from: number, to: number): Promise<BarColumns> {
    const rows = await this.query(
      'SELECT time, open, high, low, close, volume, open_interest FROM bars WHERE symbol = $1 AND timeframe = $2 AND time >= $3 AND time < $4 ORDER BY time',
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
export async function openPostgresStore(url: string, options: StoreOptions): Promise<SqlStore> {
  const shown = redactUrl(url);
  const pg = await loadDriver<PgModule>('pg', 'a postgres:// store');
  const copy = await loadDriver<CopyModule>('pg-copy-streams', 'a postgres:// store (bulk COPY of bars)');
  const parsed = new URL(url.replace(/^postgresql:/, 'postgres:'));
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreError('STORE_OPEN', `${shown}: schema '${schema}' must be a plain identifier (letters, digits, _)`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection killed by the server is reported here; the pool replaces it on next use.
  pool.on('error', () => undefined);
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    else await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw storeFailure('STORE_OPEN', url, 'cannot connect', err);
  }
  const driver = new PgDriver(pool, copy, new WriteQueue(shown, 'store:postgres', options), url);
  return new SqlStore('postgres', shown, driver).open();
}
