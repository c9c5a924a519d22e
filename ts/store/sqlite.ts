/**
 * The embedded SQLite backend (the default): the SQLite compiled into the addon, WAL with
 * `synchronous=NORMAL` (a commit may be lost on power failure, never corrupted; bars and runs
 * can be written again). A batch crosses N-API once: statement batches as JSON, bars as
 * Float64Array columns.
 * @internal
 */
import { callNative } from '../errors.js';
import { native } from '../native.js';
import type { NativeSqlite } from '../../bindings/index.cjs';
import { SqlStore, type SqlDriver, type SqlStatement } from './sql-store.js';
import type { BarColumns } from './types.js';

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly maxParams = 32_766;

  constructor(private readonly db: NativeSqlite) {}

  async exec(sql: string): Promise<void> {
    callNative(() => this.db.exec(sql));
  }

  async query(sql: string, params: unknown[]): Promise<unknown[][]> {
    const out = JSON.parse(callNative(() => this.db.query(sql, JSON.stringify(params)))) as { rows: unknown[][] };
    return out.rows;
  }

  async transaction(statements: SqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    callNative(() => this.db.runBatch(JSON.stringify(statements)));
  }

  async upsertBars(symbol: string, timeframe: string, b: BarColumns): Promise<number> {
    return callNative(() => this.db.upsertBars(symbol, timeframe, b.time, b.open, b.high, b.low, b.close, b.volume, b.openInterest));
  }

  async readBars(symbol: string, timeframe: string, from: number, to: number): Promise<BarColumns> {
    return callNative(() => this.db.readBars(symbol, timeframe, from, to));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Opens the SQLite store at `path` (`:memory:` for one in memory) and migrates it. */
export async function openSqliteStore(path: string, url: string): Promise<SqlStore> {
  const db = callNative(() => new native.NativeSqlite(path, false));
  return new SqlStore('sqlite', url, new SqliteDriver(db)).open();
}
