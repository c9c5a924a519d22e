/**
 * The {@link Store} over any SQL backend: rows become parameterised upserts in one transaction,
 * reads become row objects again. A backend supplies a {@link SqlDriver} (how to run statements,
 * and its fastest way in and out for bars); everything else is shared here, so the backends
 * cannot drift apart.
 * @internal
 */
import { DataError, ParamError, StoreError, TimeBackwardsError } from '../errors.js';
import { checkBars } from './bar-check.js';
import { gapsOf, type Gap, type GapOptions } from './gaps.js';
import { migrate } from './migrate.js';
import { RUN_TABLES, TABLES, ident, placeholder, upsertSql, type Dialect, type TableDef } from './schema.js';
import type { TradingCalendar } from '../time/calendar.js';
import type {
  BarColumns, BarInput, BarWriteResult, BookSnapshotRow, EquityPoint, InstrumentRow, NotificationRow, RunRecord, RunRow,
  Store, StoreCapability, StoredTick, TickRow, TimeRange,
} from './types.js';

/** One statement run once per row of parameters. */
export interface SqlStatement {
  sql: string;
  rows: unknown[][];
}

/** What a SQL backend provides. */
export interface SqlDriver {
  readonly dialect: Dialect;
  /** Most parameters one statement may carry (multi-row inserts are chunked under it). */
  readonly maxParams: number;
  /** Runs SQL without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Rows as arrays, columns in the order selected. */
  query(sql: string, params: unknown[]): Promise<unknown[][]>;
  /** Runs the statements in one transaction: all or nothing. */
  transaction(statements: SqlStatement[]): Promise<void>;
  /** Upserts checked bars; returns how many were new. */
  upsertBars(symbol: string, timeframe: string, bars: BarColumns): Promise<number>;
  readBars(symbol: string, timeframe: string, from: number, to: number): Promise<BarColumns>;
  close(): Promise<void>;
}

type Where = [column: string, operator: '=' | '>=' | '<'][];

const ALL: ReadonlySet<StoreCapability> = new Set(['bars', 'ticks', 'equity', 'books', 'instruments', 'runs', 'notifications']);
const MIN_TIME = -8.64e15;
const MAX_TIME = 8.64e15;

/** A number column value read back (drivers may give strings for BIGINT or DECIMAL). */
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const finiteOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || Number.isNaN(v) ? null : v);
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parseJson = (v: unknown): unknown => (v === null || v === undefined ? undefined : JSON.parse(String(v)));

/** A SQL-backed store. */
export class SqlStore implements Store {
  readonly capabilities = ALL;
  private closed = false;

  constructor(
    readonly backend: 'sqlite' | 'postgres' | 'mysql',
    readonly url: string,
    private readonly driver: SqlDriver,
  ) {}

  /** Applies the migrations this database lacks. */
  async open(): Promise<this> {
    await migrate(this.driver, this.url);
    return this;
  }

  private get d(): Dialect {
    return this.driver.dialect;
  }

  private q(name: string): string {
    return ident(this.d, name);
  }

  private check(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', `the store ${this.url} is closed; open it again with openStore(url)`);
  }

  /** Upsert statements for `rows` of `table`, chunked under the driver's parameter limit. */
  private upserts(table: TableDef, rows: unknown[][]): SqlStatement[] {
    if (rows.length === 0) return [];
    if (this.d === 'sqlite') return [{ sql: upsertSql('sqlite', table, 1), rows }];
    const per = Math.max(1, Math.min(1000, Math.floor(this.driver.maxParams / table.columns.length)));
    const out: SqlStatement[] = [];
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      out.push({ sql: upsertSql(this.d, table, chunk.length), rows: [chunk.flat()] });
    }
    return out;
  }

  /** `where` holds `[column, operator]` pairs, compared with `params` in order. */
  private async select(table: string, columns: string[], where: Where, params: unknown[], order: string[]): Promise<unknown[][]> {
    const sql = `SELECT ${columns.map((c) => this.q(c)).join(', ')} FROM ${this.q(table)}` +
      (where.length ? ` WHERE ${where.map(([col, op], i) => `${this.q(col)} ${op} ${placeholder(this.d, i)}`).join(' AND ')}` : '') +
      (order.length ? ` ORDER BY ${order.map((c) => this.q(c)).join(', ')}` : '');
    return this.driver.query(sql, params);
  }

  /** `where` clauses and parameters for a symbol-like key plus a time range. */
  private ranged(key: [string, unknown][], range: TimeRange = {}): [Where, unknown[]] {
    const where: Where = key.map(([col]) => [col, '=']);
    const params = key.map(([, v]) => v);
    where.push(['time', '>='], ['time', '<']);
    params.push(...timeBounds(range));
    return [where, params];
  }

  async writeBars(symbol: string, timeframe: string, bars: BarInput): Promise<BarWriteResult> {
    this.check();
    checkKey('symbol', symbol);
    checkKey('timeframe', timeframe);
    const cols = checkBars(`bars ${symbol} ${timeframe}`, bars);
    const inserted = cols.time.length === 0 ? 0 : await this.driver.upsertBars(symbol, timeframe, cols);
    return { written: cols.time.length, inserted };
  }

  async readBars(symbol: string, timeframe: string, range: TimeRange = {}): Promise<BarColumns> {
    this.check();
    const [from, to] = timeBounds(range);
    return this.driver.readBars(symbol, timeframe, from, to);
  }

  async barSeries(): Promise<{ symbol: string; timeframe: string; first: number; last: number; count: number }[]> {
    this.check();
    const q = (n: string) => this.q(n);
    const rows = await this.driver.query(
      `SELECT ${q('symbol')}, ${q('timeframe')}, MIN(${q('time')}), MAX(${q('time')}), COUNT(*) FROM ${q('bars')} GROUP BY ${q('symbol')}, ${q('timeframe')} ORDER BY ${q('symbol')}, ${q('timeframe')}`,
      [],
    );
    return rows.map(([s, tf, a, b, n]) => ({ symbol: String(s), timeframe: String(tf), first: num(a), last: num(b), count: num(n) }));
  }

  async gaps(symbol: string, timeframe: string, calendar: TradingCalendar, options: GapOptions = {}): Promise<Gap[]> {
    const bars = await this.readBars(symbol, timeframe, options);
    return gapsOf(bars.time, timeframe, calendar, options);
  }

  async writeTicks(symbol: string, ticks: TickRow[]): Promise<number> {
    this.check();
    checkKey('symbol', symbol);
    const rows: unknown[][] = [];
    let prev = -Infinity;
    let seq = 0;
    ticks.forEach((t, i) => {
      checkTime(t.time, `ticks ${symbol}, row ${i}`);
      if (t.time < prev) throw timeBackwards(`ticks ${symbol}`, i, t.time, prev);
      seq = t.time === prev ? seq + 1 : 0;
      prev = t.time;
      for (const [name, v] of [['price', t.price], ['size', t.size]] as const) {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError('DATA', `ticks ${symbol}, row ${i}: ${name} ${String(v)} is not a finite number`);
      }
      rows.push([symbol, t.time, seq, t.price, t.size, t.side ?? null]);
    });
    await this.driver.transaction(this.upserts(TABLES.ticks, rows));
    return rows.length;
  }

  async readTicks(symbol: string, range?: TimeRange): Promise<StoredTick[]> {
    this.check();
    const [where, params] = this.ranged([['symbol', symbol]], range);
    const rows = await this.select('ticks', ['time', 'seq', 'price', 'size', 'side'], where, params, ['time', 'seq']);
    return rows.map(([time, seq, price, size, side]) => ({ time: num(time), seq: num(seq), price: num(price), size: num(size), side: side === null ? null : String(side) }));
  }

  async writeBookSnapshots(symbol: string, snapshots: BookSnapshotRow[]): Promise<number> {
    this.check();
    checkKey('symbol', symbol);
    const rows = snapshots.map((s, i) => {
      checkTime(s.time, `book ${symbol}, snapshot ${i}`);
      return [symbol, s.time, JSON.stringify(s.bids), JSON.stringify(s.asks)];
    });
    await this.driver.transaction(this.upserts(TABLES.book_snapshots, rows));
    return rows.length;
  }

  async readBookSnapshots(symbol: string, range?: TimeRange): Promise<BookSnapshotRow[]> {
    this.check();
    const [where, params] = this.ranged([['symbol', symbol]], range);
    const rows = await this.select('book_snapshots', ['time', 'bids', 'asks'], where, params, ['time']);
    return rows.map(([time, bids, asks]) => ({ time: num(time), bids: parseJson(bids) as [number, number][], asks: parseJson(asks) as [number, number][] }));
  }

  async upsertInstruments(rows: InstrumentRow[]): Promise<number> {
    this.check();
    const values = rows.map((r) => {
      checkKey('symbol', r.symbol);
      return [r.symbol, r.name ?? null, r.exchange ?? null, r.currency ?? null, finiteOrNull(r.tickSize), finiteOrNull(r.multiplier), json(r.meta)];
    });
    await this.driver.transaction(this.upserts(TABLES.instruments, values));
    return values.length;
  }

  async instruments(): Promise<InstrumentRow[]> {
    this.check();
    const rows = await this.select('instruments', TABLES.instruments.columns.map((c) => c.name), [], [], ['symbol']);
    return rows.map(([symbol, name, exchange, currency, tick, mult, meta]) => ({
      symbol: String(symbol), name: name as string | null, exchange: exchange as string | null, currency: currency as string | null,
      tickSize: numOrNull(tick), multiplier: numOrNull(mult), meta: parseJson(meta),
    }));
  }

  async saveRun(run: RunRecord): Promise<void> {
    this.check();
    checkKey('run id', run.id);
    checkTime(run.startedAt, `run ${run.id}: startedAt`);
    const id = run.id;
    const statements: SqlStatement[] = RUN_TABLES.map((t) => ({ sql: `DELETE FROM ${this.q(t)} WHERE ${this.q('run_id')} = ${placeholder(this.d, 0)}`, rows: [[id]] }));
    statements.push(
      ...this.upserts(TABLES.runs, [[id, run.kind, run.strategy, JSON.stringify(run.params ?? {}), run.codeHash ?? null, run.startedAt,
        run.endedAt ?? null, finiteOrNull(run.startValue), finiteOrNull(run.finalValue), json(run.meta)]]),
      ...this.upserts(TABLES.orders, run.orders.map((o) => [id, o.ref, o.clientOrderId ?? null, o.symbol, o.side, o.type, o.size,
        finiteOrNull(o.price), o.createdAt, o.status])),
      ...this.upserts(TABLES.order_events, run.orderEvents.map((e) => [id, e.ref, e.seq, e.time, e.status, finiteOrNull(e.fillSize),
        finiteOrNull(e.fillPrice), finiteOrNull(e.commission)])),
      ...this.upserts(TABLES.trades, run.trades.map((t) => [id, t.id, t.symbol, t.openedAt, t.closedAt ?? null, t.size, t.entryPrice, t.pnl,
        t.pnlComm, t.commission, t.bars])),
      ...this.upserts(TABLES.positions, run.positions.map((p) => [id, p.symbol, p.time, p.size, p.price])),
      ...this.upserts(TABLES.equity, run.equity.map((e) => [id, e.time, e.value, finiteOrNull(e.cash)])),
    );
    await this.driver.transaction(statements);
  }

  async listRuns(options: { limit?: number } = {}): Promise<RunRow[]> {
    this.check();
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1) throw new ParamError(`listRuns: limit must be a positive integer, got ${limit}`);
    const cols = TABLES.runs.columns.map((c) => this.q(c.name)).join(', ');
    const rows = await this.driver.query(`SELECT ${cols} FROM ${this.q('runs')} ORDER BY ${this.q('started_at')} DESC, ${this.q('id')} LIMIT ${limit}`, []);
    return rows.map(runRow);
  }

  async loadRun(id: string): Promise<RunRecord | undefined> {
    this.check();
    const head = await this.select('runs', TABLES.runs.columns.map((c) => c.name), [['id', '=']], [id], []);
    if (head.length === 0) return undefined;
    const of = (t: TableDef, order: string[]) => this.select(t.name, t.columns.slice(1).map((c) => c.name), [['run_id', '=']], [id], order);
    const [orders, events, trades, positions, equity] = await Promise.all([
      of(TABLES.orders, ['ref']), of(TABLES.order_events, ['ref', 'seq']), of(TABLES.trades, ['id']),
      of(TABLES.positions, ['time', 'symbol']), of(TABLES.equity, ['time']),
    ]);
    return {
      ...runRow(head[0]!),
      orders: orders.map(([ref, coid, symbol, side, type, size, price, created, status]) => ({
        ref: num(ref), clientOrderId: coid as string | null, symbol: String(symbol), side: side as 'buy' | 'sell', type: String(type),
        size: num(size), price: numOrNull(price), createdAt: num(created), status: String(status),
      })),
      orderEvents: events.map(([ref, seq, time, status, fs, fp, comm]) => ({
        ref: num(ref), seq: num(seq), time: num(time), status: String(status), fillSize: numOrNull(fs), fillPrice: numOrNull(fp), commission: numOrNull(comm),
      })),
      trades: trades.map(([tid, symbol, opened, closed, size, entry, pnl, pnlComm, comm, bars]) => ({
        id: num(tid), symbol: String(symbol), openedAt: num(opened), closedAt: numOrNull(closed), size: num(size), entryPrice: num(entry),
        pnl: num(pnl), pnlComm: num(pnlComm), commission: num(comm), bars: num(bars),
      })),
      positions: positions.map(([symbol, time, size, price]) => ({ symbol: String(symbol), time: num(time), size: num(size), price: num(price) })),
      equity: equity.map(([time, value, cash]) => ({ time: num(time), value: num(value), cash: numOrNull(cash) })),
    };
  }

  async writeEquity(runId: string, points: EquityPoint[]): Promise<number> {
    this.check();
    checkKey('run id', runId);
    const rows = points.map((p, i) => {
      checkTime(p.time, `equity ${runId}, point ${i}`);
      if (!Number.isFinite(p.value)) throw new DataError('DATA', `equity ${runId}, point ${i}: value ${p.value} is not a finite number`);
      return [runId, p.time, p.value, finiteOrNull(p.cash)];
    });
    await this.driver.transaction(this.upserts(TABLES.equity, rows));
    return rows.length;
  }

  async readEquity(runId: string, range?: TimeRange): Promise<EquityPoint[]> {
    this.check();
    const [where, params] = this.ranged([['run_id', runId]], range);
    const rows = await this.select('equity', ['time', 'value', 'cash'], where, params, ['time']);
    return rows.map(([time, value, cash]) => ({ time: num(time), value: num(value), cash: numOrNull(cash) }));
  }

  async writeNotifications(rows: NotificationRow[]): Promise<number> {
    this.check();
    const values = rows.map((n, i) => {
      checkKey('notification id', n.id);
      checkTime(n.time, `notification ${i}`);
      return [n.id, n.time, n.level, n.kind, n.message, json(n.data)];
    });
    await this.driver.transaction(this.upserts(TABLES.notifications, values));
    return values.length;
  }

  async readNotifications(range?: TimeRange): Promise<NotificationRow[]> {
    this.check();
    const [where, params] = this.ranged([], range);
    const rows = await this.select('notifications', TABLES.notifications.columns.map((c) => c.name), where, params, ['time', 'id']);
    return rows.map(([id, time, level, kind, message, data]) => ({
      id: String(id), time: num(time), level: String(level), kind: String(kind), message: String(message), data: parseJson(data),
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }
}

/** Rows `[time, open, high, low, close, volume, oi]` as columns (BIGINT arrives as text). */
export function barColumns(rows: unknown[][]): BarColumns {
  const n = rows.length;
  const out: BarColumns = {
    time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n),
    close: new Float64Array(n), volume: new Float64Array(n), openInterest: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    out.time[i] = Number(r[0]);
    out.open[i] = Number(r[1]);
    out.high[i] = Number(r[2]);
    out.low[i] = Number(r[3]);
    out.close[i] = Number(r[4]);
    out.volume[i] = Number(r[5]);
    out.openInterest[i] = r[6] === null ? NaN : Number(r[6]);
  }
  return out;
}

function runRow(r: unknown[]): RunRow {
  const [id, kind, strategy, params, codeHash, started, ended, startValue, finalValue, meta] = r;
  return {
    id: String(id), kind: kind as 'backtest' | 'live', strategy: String(strategy), params: parseJson(params) as Record<string, unknown>,
    codeHash: codeHash as string | null, startedAt: num(started), endedAt: numOrNull(ended), startValue: numOrNull(startValue),
    finalValue: numOrNull(finalValue), meta: parseJson(meta),
  };
}

/** `from`/`to` of a range as integer bounds the databases compare against. */
export function timeBounds(range: TimeRange = {}): [number, number] {
  const from = range.from ?? MIN_TIME;
  const to = range.to ?? MAX_TIME;
  if (typeof from !== 'number' || typeof to !== 'number' || Number.isNaN(from) || Number.isNaN(to)) {
    throw new ParamError(`time range: from and to must be UTC milliseconds, got ${String(range.from)} and ${String(range.to)}`);
  }
  return [Math.max(MIN_TIME, Math.ceil(from)), Math.min(MAX_TIME, Math.ceil(to))];
}

function checkKey(what: string, v: unknown): void {
  if (typeof v !== 'string' || v === '' || v.length > 191) {
    throw new ParamError(`${what} must be a non-empty string of at most 191 characters, got ${JSON.stringify(v)}`);
  }
}

function checkTime(t: unknown, where: string): void {
  if (typeof t !== 'number' || !Number.isSafeInteger(t)) throw new DataError('DATA', `${where}: time ${String(t)} is not UTC milliseconds as an integer`);
}

function timeBackwards(source: string, row: number, found: number, previous: number): Error {
  return new TimeBackwardsError(`${source}, row ${row}: timestamp ${found} goes backwards (previous row has ${previous}); sort the data by time or fix the row`, source, `row ${row}`);
}
