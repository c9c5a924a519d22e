/**
 * `openStore(url)`: the backend a URL names, connected and migrated.
 *
 * ```ts
 * const store = await openStore('sqlite:./ferrotrade.db');         // embedded, the default
 * const pg = await openStore('postgres://user:pw@127.0.0.1:5432/trading');
 * const my = await openStore('mysql://root@127.0.0.1:3306/trading'); // MySQL or MariaDB
 * const ts = await openStore('influx://127.0.0.1:8086/trading');    // bars, ticks, equity
 * ```
 */
import { StoreError } from '../errors.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';
import { backendOf, redactUrl } from './url.js';
import type { RetryOptions } from './retry.js';

/** Connection settings of the server backends. */
export interface StoreOptions extends RetryOptions {
  /** Connections in the pool (PostgreSQL, MySQL). Default 4. */
  poolSize?: number;
  /** Milliseconds to wait for a connection. Default 5000. */
  connectTimeoutMs?: number;
}

/** The default store: an SQLite file in the working directory. */
export const DEFAULT_STORE_URL = 'sqlite:./ferrotrade.db';

/**
 * Opens the store a URL names: `sqlite:<path>` (`sqlite::memory:` for one in memory),
 * `postgres://...`, `mysql://...` (MySQL or MariaDB) or `influx://host:port/database`. A wrong
 * or unreachable URL is a {@link StoreError} naming the URL (password redacted) and what failed.
 */
export async function openStore(url: string = DEFAULT_STORE_URL, options: StoreOptions = {}): Promise<Store> {
  const backend = backendOf(url);
  const shown = redactUrl(url);
  switch (backend) {
    case 'sqlite': {
      let path = url.slice(url.indexOf(':') + 1);
      if (path.startsWith('//')) path = path.slice(2);
      if (path === '') throw new StoreError('STORE_OPEN', `${shown}: no file; use sqlite:./ferrotrade.db or sqlite::memory:`);
      return openSqliteStore(path, shown);
    }
    case 'postgres': {
      const { openPostgresStore } = await import('./postgres.js');
      return openPostgresStore(url, options);
    }
    case 'mysql': {
      const { openMysqlStore } = await import('./mysql.js');
      return openMysqlStore(url, options);
    }
    case 'influx': {
      const { openInfluxStore } = await import('./influx.js');
      return openInfluxStore(url, options);
    }
  }
}
