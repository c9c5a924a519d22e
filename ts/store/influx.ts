/**
 * The InfluxDB 1.x backend over its HTTP API (line protocol in, InfluxQL out; no driver
 * package): bars, ticks and equity, the time series. A point with the same series and time
 * replaces the stored one, so writes are idempotent. Strings reach InfluxQL only as bound
 * parameters (`params`), never spliced into the query.
 *
 * `influx://[user:password@]host:port/database` (created if missing).
 * @internal
 */
import { DataError, ParamError, StoreError, TimeBackwardsError } from '../errors.js';
import { checkBars } from './bar-check.js';
import { gapsOf, type Gap, type GapOptions } from './gaps.js';
import type { StoreOptions } from './open.js';
import { WriteQueue } from './retry.js';
import { timeBounds } from './sql-store.js';
import type { TradingCalendar } from '../time/calendar.js';
import type {
  BarColumns, BarInput, BarWriteResult, EquityPoint, Store, StoreCapability, StoredTick, TickRow, TimeRange,
} from './types.js';
import { redactText, redactUrl, storeFailure } from './url.js';

/** Points per HTTP write (InfluxDB's recommended batch size). */
const POINTS_PER_WRITE = 5000;
const CAPS: ReadonlySet<StoreCapability> = new Set(['bars', 'ticks', 'equity']);

/** Tag keys and values: commas, spaces and equals signs escaped. */
const tag = (s: string) => s.replace(/[,= \\]/g, (c) => `\\${c}`);
/** String field values: quotes and backslashes escaped. */
const str = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
/** A float field (always with a decimal point, so the field type stays float). */
const float = (v: number) => (Number.isInteger(v) ? `${v}.0` : `${v}`);

interface InfluxSeries {
  columns: string[];
  values: unknown[][];
}

class InfluxStore implements Store {
  readonly backend = 'influx' as const;
  readonly capabilities = CAPS;
  private closed = false;

  constructor(
    readonly url: string,
    private readonly base: string,
    private readonly db: string,
    private readonly auth: Record<string, string>,
    private readonly queue: WriteQueue,
    private readonly rawUrl: string,
  ) {}

  private check(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', `the store ${this.url} is closed; open it again with openStore(url)`);
  }

  private unsupported(what: string): never {
    throw new StoreError('STORE_UNSUPPORTED', `${this.url}: InfluxDB keeps bars, ticks and equity only; keep ${what} in a SQL store (sqlite:, postgres:, mysql:)`);
  }

  /** POSTs an InfluxQL statement (or a read with `params`); returns the series of the first result. */
  async influxql(q: string, params: Record<string, unknown> = {}): Promise<InfluxSeries[]> {
    const body = new URLSearchParams({ q, db: this.db, epoch: 'ms', params: JSON.stringify(params), ...this.auth });
    const res = await this.queue.attempt(() => fetch(`${this.base}/query`, { method: 'POST', body }));
    const text = await res.text();
    if (!res.ok) throw new StoreError('STORE_SQL', redactText(`${this.url}: query failed (${res.status}): ${text}`, this.rawUrl));
    const json = JSON.parse(text) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    const err = json.error ?? json.results?.[0]?.error;
    if (err) throw new StoreError('STORE_SQL', redactText(`${this.url}: query failed: ${err}`, this.rawUrl));
    return json.results?.[0]?.series ?? [];
  }

  private async writeLines(lines: string[]): Promise<void> {
    for (let i = 0; i < lines.length; i += POINTS_PER_WRITE) {
      const body = lines.slice(i, i + POINTS_PER_WRITE).join('\n');
      const qs = new URLSearchParams({ db: this.db, precision: 'ms', ...this.auth });
      await this.queue.run(Math.min(POINTS_PER_WRITE, lines.length - i), async () => {
        const res = await fetch(`${this.base}/write?${qs}`, { method: 'POST', body });
        if (res.status === 503 || res.status === 502) throw Object.assign(new Error(`server answered ${res.status}`), { code: 'ECONNRESET' });
        if (!res.ok) throw new StoreError('STORE_SQL', redactText(`${this.url}: write failed (${res.status}): ${await res.text()}`, this.rawUrl));
      });
    }
  }

  private async count(measurement: string, field: string, tags: Record<string, string>, from: number, to: number): Promise<number> {
    const where = Object.keys(tags).map((k) => `"${k}" = $${k}`).join(' AND ');
    const series = await this.influxql(`SELECT count("${field}") FROM "${measurement}" WHERE ${where} AND time >= ${from}ms AND time <= ${to}ms`, tags);
    return Number(series[0]?.values[0]?.[1] ?? 0);
  }

  async writeBars(symbol: string, timeframe: string, bars: BarInput): Promise<BarWriteResult> {
    this.check();
    const b = checkBars(`bars ${symbol} ${timeframe}`, bars);
    const n = b.time.length;
    if (n === 0) return { written: 0, inserted: 0 };
    const series = `bars,symbol=${tag(symbol)},timeframe=${tag(timeframe)}`;
    const lines: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const oi = b.openInterest[i]!;
      lines[i] = `${series} open=${float(b.open[i]!)},high=${float(b.high[i]!)},low=${float(b.low[i]!)},close=${float(b.close[i]!)},volume=${float(b.volume[i]!)}` +
        `${Number.isNaN(oi) ? '' : `,oi=${float(oi)}`} ${b.time[i]}`;
    }
    const tags = { symbol, timeframe };
    const before = await this.count('bars', 'close', tags, b.time[0]!, b.time[n - 1]!);
    await this.writeLines(lines);
    const after = await this.count('bars', 'close', tags, b.time[0]!, b.time[n - 1]!);
    return { written: n, inserted: after - before };
  }

  async readBars(symbol: string, timeframe: string, range: TimeRange = {}): Promise<BarColumns> {
    this.check();
    const [from, to] = timeBounds(range);
    const series = await this.influxql(
      `SELECT "open", "high", "low", "close", "volume", "oi" FROM "bars" WHERE "symbol" = $symbol AND "timeframe" = $timeframe AND time >= ${clampNs(from)}ms AND time < ${clampNs(to)}ms ORDER BY time`,
      { symbol, timeframe },
    );
    const values = series[0]?.values ?? [];
    const n = values.length;
    const out: BarColumns = {
      time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n),
      close: new Float64Array(n), volume: new Float64Array(n), openInterest: new Float64Array(n),
    };
    values.forEach((r, i) => {
      out.time[i] = r[0] as number;
      out.open[i] = r[1] as number;
      out.high[i] = r[2] as number;
      out.low[i] = r[3] as number;
      out.close[i] = r[4] as number;
      out.volume[i] = r[5] as number;
      out.openInterest[i] = r[6] === null ? NaN : (r[6] as number);
    });
    return out;
  }

  async barSeries(): Promise<{ symbol: string; timeframe: string; first: number; last: number; count: number }[]> {
    this.check();
    const series = await this.influxql('SELECT count("close") FROM "bars" GROUP BY "symbol", "timeframe"');
    const out = [];
    for (const s of series as (InfluxSeries & { tags: Record<string, string> })[]) {
      const { symbol, timeframe } = s.tags;
      const first = await this.influxql('SELECT first("close") FROM "bars" WHERE "symbol" = $symbol AND "timeframe" = $timeframe', { symbol, timeframe });
      const last = await this.influxql('SELECT last("close") FROM "bars" WHERE "symbol" = $symbol AND "timeframe" = $timeframe', { symbol, timeframe });
      out.push({ symbol: symbol!, timeframe: timeframe!, first: Number(first[0]?.values[0]?.[0]), last: Number(last[0]?.values[0]?.[0]), count: Number(s.values[0]?.[1]) });
    }
    return out;
  }

  async gaps(symbol: string, timeframe: string, calendar: TradingCalendar, options: GapOptions = {}): Promise<Gap[]> {
    const bars = await this.readBars(symbol, timeframe, options);
    return gapsOf(bars.time, timeframe, calendar, options);
  }

  async writeTicks(symbol: string, ticks: TickRow[]): Promise<number> {
    this.check();
    let prev = -Infinity;
    let seq = 0;
    const lines = ticks.map((t, i) => {
      if (!Number.isSafeInteger(t.time)) throw new DataError('DATA', `ticks ${symbol}, row ${i}: time ${t.time} is not UTC milliseconds as an integer`);
      if (t.time < prev) throw new TimeBackwardsError(`ticks ${symbol}, row ${i}: timestamp ${t.time} goes backwards (previous row has ${prev}); sort the data by time or fix the row`, `ticks ${symbol}`, `row ${i}`);
      if (!Number.isFinite(t.price) || !Number.isFinite(t.size)) throw new DataError('DATA', `ticks ${symbol}, row ${i}: price and size must be finite numbers`);
      seq = t.time === prev ? seq + 1 : 0;
      prev = t.time;
      // seq is a tag: ticks of one millisecond are distinct points, and rewriting them replaces them.
      return `ticks,symbol=${tag(symbol)},seq=${seq} price=${float(t.price)},size=${float(t.size)}${t.side ? `,side=${str(t.side)}` : ''} ${t.time}`;
    });
    await this.writeLines(lines);
    return lines.length;
  }

  async readTicks(symbol: string, range: TimeRange = {}): Promise<StoredTick[]> {
    this.check();
    const [from, to] = timeBounds(range);
    const series = await this.influxql(
      `SELECT "price", "size", "side", "seq" FROM "ticks" WHERE "symbol" = $symbol AND time >= ${clampNs(from)}ms AND time < ${clampNs(to)}ms`,
      { symbol },
    );
    const rows = (series[0]?.values ?? []).map((r) => ({
      time: r[0] as number, seq: Number(r[4]), price: r[1] as number, size: r[2] as number, side: (r[3] as string | null) ?? null,
    }));
    return rows.sort((a, b) => a.time - b.time || a.seq - b.seq);
  }

  async writeEquity(runId: string, points: EquityPoint[]): Promise<number> {
    this.check();
    const lines = points.map((p, i) => {
      if (!Number.isSafeInteger(p.time)) throw new DataError('DATA', `equity ${runId}, point ${i}: time ${p.time} is not UTC milliseconds as an integer`);
      if (!Number.isFinite(p.value)) throw new DataError('DATA', `equity ${runId}, point ${i}: value ${p.value} is not a finite number`);
      const cash = p.cash === null || p.cash === undefined || Number.isNaN(p.cash) ? '' : `,cash=${float(p.cash)}`;
      return `equity,run_id=${tag(runId)} value=${float(p.value)}${cash} ${p.time}`;
    });
    await this.writeLines(lines);
    return lines.length;
  }

  async readEquity(runId: string, range: TimeRange = {}): Promise<EquityPoint[]> {
    this.check();
    const [from, to] = timeBounds(range);
    const series = await this.influxql(
      `SELECT "value", "cash" FROM "equity" WHERE "run_id" = $run AND time >= ${clampNs(from)}ms AND time < ${clampNs(to)}ms ORDER BY time`,
      { run: runId },
    );
    return (series[0]?.values ?? []).map((r) => ({ time: r[0] as number, value: r[1] as number, cash: (r[2] as number | null) ?? null }));
  }

  async writeBookSnapshots(): Promise<number> {
    return this.unsupported('book snapshots');
  }
  async readBookSnapshots(): Promise<never[]> {
    return this.unsupported('book snapshots');
  }
  async upsertInstruments(): Promise<number> {
    return this.unsupported('instruments');
  }
  async instruments(): Promise<never[]> {
    return this.unsupported('instruments');
  }
  async saveRun(): Promise<void> {
    return this.unsupported('runs');
  }
  async listRuns(): Promise<never[]> {
    return this.unsupported('runs');
  }
  async loadRun(): Promise<undefined> {
    return this.unsupported('runs');
  }
  async writeNotifications(): Promise<number> {
    return this.unsupported('notifications');
  }
  async readNotifications(): Promise<never[]> {
    return this.unsupported('notifications');
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.drain();
  }
}

/** InfluxDB keeps times as int64 nanoseconds: ms bounds are clamped to what fits. */
function clampNs(ms: number): number {
  return Math.max(-9_223_372_036_854, Math.min(9_223_372_036_853, ms));
}

/** Checks the server answers and creates the database if missing. */
export async function openInfluxStore(url: string, options: StoreOptions): Promise<Store> {
  const shown = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^influx(db)?:/, 'http:'));
  } catch {
    throw new StoreError('STORE_OPEN', `${shown}: not a URL; use influx://host:8086/database`);
  }
  const db = decodeURIComponent(parsed.pathname.slice(1));
  if (!db) throw new StoreError('STORE_OPEN', `${shown}: name the database, e.g. influx://127.0.0.1:8086/trading`);
  const auth: Record<string, string> = parsed.username ? { u: decodeURIComponent(parsed.username), p: decodeURIComponent(parsed.password) } : {};
  const base = `http://${parsed.host}`;
  const store = new InfluxStore(shown, base, db, auth, new WriteQueue(shown, 'store:influx', options), url);
  try {
    const ping = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(options.connectTimeoutMs ?? 5000) });
    if (ping.status !== 204 && !ping.ok) throw new Error(`/ping answered ${ping.status}`);
    if (!/^[A-Za-z0-9_-]+$/.test(db)) throw new ParamError(`database name '${db}' must be letters, digits, _ or -`);
    await store.influxql(`CREATE DATABASE "${db}"`);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw storeFailure('STORE_OPEN', url, 'cannot connect', err instanceof ParamError ? err : (err as Error).cause ?? err);
  }
  return store;
}
