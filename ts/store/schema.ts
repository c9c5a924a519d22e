/**
 * The store's tables, defined once and written out as DDL for each SQL dialect, and the
 * versioned migrations that create them. Times are UTC milliseconds (64-bit integers), prices
 * and sizes doubles, free-form values JSON text.
 * @internal
 */

/** The SQL dialects the store speaks. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** `key`: text that is part of a primary key (MySQL needs a bounded length there). */
type ColumnType = 'key' | 'text' | 'int' | 'real' | 'json';

interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

/** A table: its columns in order and its primary key. */
export interface TableDef {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Extra indexes: name → columns. */
  indexes?: Record<string, string[]>;
}

const c = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });

/** Every table of the store, by name. */
export const TABLES = {
  instruments: {
    name: 'instruments',
    columns: [c('symbol', 'key'), c('name', 'text', true), c('exchange', 'text', true), c('currency', 'text', true),
      c('tick_size', 'real', true), c('multiplier', 'real', true), c('meta', 'json', true)],
    primaryKey: ['symbol'],
  },
  bars: {
    name: 'bars',
    columns: [c('symbol', 'key'), c('timeframe', 'key'), c('time', 'int'), c('open', 'real'), c('high', 'real'), c('low', 'real'),
      c('close', 'real'), c('volume', 'real'), c('open_interest', 'real', true)],
    primaryKey: ['symbol', 'timeframe', 'time'],
  },
  ticks: {
    name: 'ticks',
    columns: [c('symbol', 'key'), c('time', 'int'), c('seq', 'int'), c('price', 'real'), c('size', 'real'), c('side', 'text', true)],
    primaryKey: ['symbol', 'time', 'seq'],
  },
  book_snapshots: {
    name: 'book_snapshots',
    columns: [c('symbol', 'key'), c('time', 'int'), c('bids', 'json'), c('asks', 'json')],
    primaryKey: ['symbol', 'time'],
  },
  runs: {
    name: 'runs',
    columns: [c('id', 'key'), c('kind', 'text'), c('strategy', 'text'), c('params', 'json'), c('code_hash', 'text', true),
      c('started_at', 'int'), c('ended_at', 'int', true), c('start_value', 'real', true), c('final_value', 'real', true), c('meta', 'json', true)],
    primaryKey: ['id'],
    indexes: { runs_started_at: ['started_at'] },
  },
  orders: {
    name: 'orders',
    columns: [c('run_id', 'key'), c('ref', 'int'), c('client_order_id', 'text', true), c('symbol', 'text'), c('side', 'text'),
      c('type', 'text'), c('size', 'real'), c('price', 'real', true), c('created_at', 'int'), c('status', 'text')],
    primaryKey: ['run_id', 'ref'],
  },
  order_events: {
    name: 'order_events',
    columns: [c('run_id', 'key'), c('ref', 'int'), c('seq', 'int'), c('time', 'int'), c('status', 'text'),
      c('fill_size', 'real', true), c('fill_price', 'real', true), c('commission', 'real', true)],
    primaryKey: ['run_id', 'ref', 'seq'],
  },
  trades: {
    name: 'trades',
    columns: [c('run_id', 'key'), c('id', 'int'), c('symbol', 'text'), c('opened_at', 'int'), c('closed_at', 'int', true),
      c('size', 'real'), c('entry_price', 'real'), c('pnl', 'real'), c('pnl_comm', 'real'), c('commission', 'real'), c('bars', 'int')],
    primaryKey: ['run_id', 'id'],
  },
  positions: {
    name: 'positions',
    columns: [c('run_id', 'key'), c('symbol', 'key'), c('time', 'int'), c('size', 'real'), c('price', 'real')],
    primaryKey: ['run_id', 'symbol', 'time'],
  },
  equity: {
    name: 'equity',
    columns: [c('run_id', 'key'), c('time', 'int'), c('value', 'real'), c('cash', 'real', true)],
    primaryKey: ['run_id', 'time'],
  },
  notifications: {
    name: 'notifications',
    columns: [c('id', 'key'), c('time', 'int'), c('level', 'text'), c('kind', 'text'), c('message', 'text'), c('data', 'json', true)],
    primaryKey: ['id'],
    indexes: { notifications_time: ['time'] },
  },
} satisfies Record<string, TableDef>;

export type TableName = keyof typeof TABLES;

/** Tables written per run, children first (the order to delete them in). */
export const RUN_TABLES: TableName[] = ['order_events', 'orders', 'trades', 'positions', 'equity'];

const TYPES: Record<Dialect, Record<ColumnType, string>> = {
  sqlite: { key: 'TEXT', text: 'TEXT', int: 'INTEGER', real: 'REAL', json: 'TEXT' },
  postgres: { key: 'TEXT', text: 'TEXT', int: 'BIGINT', real: 'DOUBLE PRECISION', json: 'TEXT' },
  // utf8mb4 keys of 191 characters fit InnoDB's index limit on every supported MySQL/MariaDB.
  mysql: { key: 'VARCHAR(191)', text: 'TEXT', int: 'BIGINT', real: 'DOUBLE', json: 'LONGTEXT' },
};

/** `name` quoted as an identifier in `dialect`. */
export function ident(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

/** CREATE TABLE (and its indexes) for `table` in `dialect`. */
export function createTable(dialect: Dialect, table: TableDef): string[] {
  const q = (n: string) => ident(dialect, n);
  const cols = table.columns.map((col) => `${q(col.name)} ${TYPES[dialect][col.type]}${col.nullable ? '' : ' NOT NULL'}`);
  const tail = dialect === 'sqlite' ? ' WITHOUT ROWID' : dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '';
  const indexes = Object.entries(table.indexes ?? {});
  // MySQL has no CREATE INDEX IF NOT EXISTS: its indexes go inside CREATE TABLE (which is
  // IF NOT EXISTS, so a migration interrupted by a crash can run again: MySQL DDL is not
  // transactional).
  const inline = dialect === 'mysql' ? indexes.map(([name, columns]) => `, INDEX ${q(name)} (${columns.map(q).join(', ')})`).join('') : '';
  const out = [`CREATE TABLE IF NOT EXISTS ${q(table.name)} (${cols.join(', ')}, PRIMARY KEY (${table.primaryKey.map(q).join(', ')})${inline})${tail}`];
  if (dialect !== 'mysql') {
    for (const [name, columns] of indexes) out.push(`CREATE INDEX IF NOT EXISTS ${q(name)} ON ${q(table.name)} (${columns.map(q).join(', ')})`);
  }
  return out;
}

/**
 * The store's migrations: version `i + 1` is `MIGRATIONS[i]`, a list of statements built per
 * dialect. Append only: a released migration is never edited.
 */
export const MIGRATIONS: ((dialect: Dialect) => string[])[] = [
  (d) => Object.values(TABLES).flatMap((t) => createTable(d, t)),
];

/** The `schema_migrations` table (shared with the order journal, one row per component and version). */
export function createMigrationsTable(dialect: Dialect): string {
  const t = TYPES[dialect];
  const q = (n: string) => ident(dialect, n);
  return `CREATE TABLE IF NOT EXISTS ${q('schema_migrations')} (${q('component')} ${t.key} NOT NULL, ${q('version')} ${t.int} NOT NULL, ` +
    `${q('applied_at')} ${t.int} NOT NULL, PRIMARY KEY (${q('component')}, ${q('version')}))`;
}

/** Placeholder `i` (0-based) of a statement in `dialect`. */
export function placeholder(dialect: Dialect, i: number): string {
  return dialect === 'postgres' ? `$${i + 1}` : dialect === 'sqlite' ? `?${i + 1}` : '?';
}

/**
 * An idempotent multi-row insert of `rows` rows into `table`: a row whose primary key exists
 * replaces the stored one.
 */
export function upsertSql(dialect: Dialect, table: TableDef, rows: number): string {
  const q = (n: string) => ident(dialect, n);
  const names = table.columns.map((col) => col.name);
  const width = names.length;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    tuples.push(`(${names.map((_, k) => placeholder(dialect, r * width + k)).join(', ')})`);
  }
  const head = `INSERT INTO ${q(table.name)} (${names.map(q).join(', ')}) VALUES ${tuples.join(', ')}`;
  return `${head} ${conflictClause(dialect, table)}`;
}

/** What an insert does on a primary key that exists: replace the other columns. */
export function conflictClause(dialect: Dialect, table: TableDef): string {
  const q = (n: string) => ident(dialect, n);
  const rest = table.columns.map((col) => col.name).filter((n) => !table.primaryKey.includes(n));
  if (dialect === 'mysql') return `ON DUPLICATE KEY UPDATE ${rest.map((n) => `${q(n)} = VALUES(${q(n)})`).join(', ')}`;
  const action = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((n) => `${q(n)} = excluded.${q(n)}`).join(', ')}`;
  return `ON CONFLICT (${table.primaryKey.map(q).join(', ')}) ${action}`;
}
