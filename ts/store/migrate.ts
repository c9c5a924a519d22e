/**
 * Applies the store's migrations on open: each missing version in one transaction with its
 * `schema_migrations` record. A database that records a newer version than this build knows
 * is refused (`STORE_SCHEMA_NEWER`), never altered.
 * @internal
 */
import { StoreError } from '../errors.js';
import { MIGRATIONS, createMigrationsTable, ident, placeholder } from './schema.js';
import type { SqlDriver, SqlStatement } from './sql-store.js';

const COMPONENT = 'store';

async function versionOf(driver: SqlDriver): Promise<number> {
  const q = (n: string) => ident(driver.dialect, n);
  const rows = await driver.query(
    `SELECT MAX(${q('version')}) FROM ${q('schema_migrations')} WHERE ${q('component')} = ${placeholder(driver.dialect, 0)}`,
    [COMPONENT],
  );
  return Number(rows[0]?.[0] ?? 0);
}

/** Brings the database to the newest schema this build knows. */
export async function migrate(driver: SqlDriver, url: string): Promise<void> {
  await driver.exec(createMigrationsTable(driver.dialect));
  const found = await versionOf(driver);
  const known = MIGRATIONS.length;
  if (found > known) {
    throw new StoreError(
      'STORE_SCHEMA_NEWER',
      `${url}: store schema version ${found} is newer than this build knows (${known}); upgrade ferrotrade to open it`,
    );
  }
  const q = (n: string) => ident(driver.dialect, n);
  const p = (i: number) => placeholder(driver.dialect, i);
  for (let v = found + 1; v <= known; v++) {
    const statements: SqlStatement[] = MIGRATIONS[v - 1]!(driver.dialect).map((sql) => ({ sql, rows: [[]] }));
    statements.push({
      sql: `INSERT INTO ${q('schema_migrations')} (${q('component')}, ${q('version')}, ${q('applied_at')}) VALUES (${p(0)}, ${p(1)}, ${p(2)})`,
      rows: [[COMPONENT, v, Date.now()]],
    });
    try {
      await driver.transaction(statements);
    } catch (err) {
      // Another process may have migrated at the same moment; its work counts.
      if ((await versionOf(driver)) >= v) continue;
      throw err;
    }
  }
}
