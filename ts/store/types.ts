import type { TradingCalendar } from '../time/calendar.js';
import type { Gap, GapOptions } from './gaps.js';

/**
 * What a store keeps and the one interface every backend implements. Times are UTC
 * milliseconds (integers); prices and sizes are doubles; an unknown double is `null`.
 */

/** Bars as columns, oldest first (what a feed reads and what `writeBars` takes). */
export interface BarColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** NaN where unknown. */
  openInterest: Float64Array;
}

/** Bars to write: any array-likes of one length; `openInterest` may be left out. */
export interface BarInput {
  time: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  openInterest?: ArrayLike<number>;
}

/** What a bar write did. */
export interface BarWriteResult {
  /** Bars in the batch. */
  written: number;
  /** Bars that were not stored before (the rest replaced a bar with the same time). */
  inserted: number;
}

/** A time range, `from` inclusive and `to` exclusive (either open-ended when left out). */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** One trade print. */
export interface TickRow {
  time: number;
  price: number;
  size: number;
  /** `'buy'` / `'sell'` aggressor when known. */
  side?: string | null;
}

/** A stored tick: `seq` orders ticks of the same millisecond (their position in the batch). */
export interface StoredTick extends TickRow {
  seq: number;
}

/** A Level2 snapshot: levels as `[price, size]`, best first. */
export interface BookSnapshotRow {
  time: number;
  bids: [number, number][];
  asks: [number, number][];
}

/** Reference data of a tradable instrument. */
export interface InstrumentRow {
  symbol: string;
  name?: string | null;
  exchange?: string | null;
  currency?: string | null;
  tickSize?: number | null;
  multiplier?: number | null;
  meta?: unknown;
}

/** A backtest run or a live session. */
export interface RunRow {
  id: string;
  kind: 'backtest' | 'live';
  strategy: string;
  params: Record<string, unknown>;
  codeHash?: string | null;
  startedAt: number;
  endedAt?: number | null;
  startValue?: number | null;
  finalValue?: number | null;
  meta?: unknown;
}

/** An order of a run, as last known. */
export interface OrderRow {
  ref: number;
  clientOrderId?: string | null;
  symbol: string;
  side: 'buy' | 'sell';
  /** Market, Limit, Stop, ... */
  type: string;
  /** Requested size (positive). */
  size: number;
  price?: number | null;
  createdAt: number;
  /** Last status: Submitted, Accepted, Partial, Completed, Canceled, Expired, Margin, Rejected. */
  status: string;
}

/** One status change of an order, with its fill when it had one. */
export interface OrderEventRow {
  ref: number;
  /** Position among the order's events, from 0. */
  seq: number;
  time: number;
  status: string;
  fillSize?: number | null;
  fillPrice?: number | null;
  commission?: number | null;
}

/** A closed (or, at the end of a run, still open) trade. */
export interface TradeRow {
  id: number;
  symbol: string;
  openedAt: number;
  closedAt?: number | null;
  /** Size while open (signed: negative for shorts); the size at close for closed trades. */
  size: number;
  entryPrice: number;
  pnl: number;
  pnlComm: number;
  commission: number;
  bars: number;
}

/** A position after a change. */
export interface PositionRow {
  symbol: string;
  time: number;
  size: number;
  price: number;
}

/** Account value at a time. */
export interface EquityPoint {
  time: number;
  value: number;
  cash?: number | null;
}

/** A notification as sent to the user. */
export interface NotificationRow {
  id: string;
  time: number;
  level: string;
  kind: string;
  message: string;
  data?: unknown;
}

/** A run with everything it produced. */
export interface RunRecord extends RunRow {
  orders: OrderRow[];
  orderEvents: OrderEventRow[];
  trades: TradeRow[];
  positions: PositionRow[];
  equity: EquityPoint[];
}

/** What a backend can keep: the SQL ones everything, InfluxDB the time series only. */
export type StoreCapability = 'bars' | 'ticks' | 'equity' | 'books' | 'instruments' | 'runs' | 'notifications';

/**
 * A store: one interface over SQLite (embedded, the default), PostgreSQL, MySQL/MariaDB and
 * InfluxDB 1.x. Open one with {@link openStore}. Every write of a batch is one transaction: all
 * or nothing.
 */
export interface Store {
  /** `'sqlite'`, `'postgres'`, `'mysql'` or `'influx'`. */
  readonly backend: 'sqlite' | 'postgres' | 'mysql' | 'influx';
  /** The URL it was opened with, password redacted. */
  readonly url: string;
  readonly capabilities: ReadonlySet<StoreCapability>;

  /**
   * Upserts bars of one symbol and timeframe (`'1d'`, `'1m'`, ...). The batch is checked first
   * (integer times, strictly increasing, no NaN price or volume, high not below low): a bad
   * bar is a typed error and nothing is written. Writing the same bars twice adds nothing.
   */
  writeBars(symbol: string, timeframe: string, bars: BarInput): Promise<BarWriteResult>;
  /** Bars of one symbol and timeframe in `range`, oldest first, as columns. */
  readBars(symbol: string, timeframe: string, range?: TimeRange): Promise<BarColumns>;
  /** Symbols and timeframes that have bars, with their first and last times and counts. */
  barSeries(): Promise<{ symbol: string; timeframe: string; first: number; last: number; count: number }[]>;

  /**
   * The missing bars of a series against a trading calendar (runs of consecutive missing
   * bars, UTC), for a data service to backfill. See {@link GapOptions}.
   */
  gaps(symbol: string, timeframe: string, calendar: TradingCalendar, options?: GapOptions): Promise<Gap[]>;

  /** Upserts ticks of one symbol; ticks of one millisecond keep their order (`seq`). */
  writeTicks(symbol: string, ticks: TickRow[]): Promise<number>;
  readTicks(symbol: string, range?: TimeRange): Promise<StoredTick[]>;

  writeBookSnapshots(symbol: string, snapshots: BookSnapshotRow[]): Promise<number>;
  readBookSnapshots(symbol: string, range?: TimeRange): Promise<BookSnapshotRow[]>;

  upsertInstruments(rows: InstrumentRow[]): Promise<number>;
  instruments(): Promise<InstrumentRow[]>;

  /** Writes a run and everything it produced in one transaction; saving a run id again replaces it. */
  saveRun(run: RunRecord): Promise<void>;
  /** Runs, newest first. */
  listRuns(options?: { limit?: number }): Promise<RunRow[]>;
  /** A run with its orders, events, trades, positions and equity; undefined if unknown. */
  loadRun(id: string): Promise<RunRecord | undefined>;

  /** Appends (upserts by time) equity points of a run or live session. */
  writeEquity(runId: string, points: EquityPoint[]): Promise<number>;
  readEquity(runId: string, range?: TimeRange): Promise<EquityPoint[]>;

  writeNotifications(rows: NotificationRow[]): Promise<number>;
  readNotifications(range?: TimeRange): Promise<NotificationRow[]>;

  /** Closes connections; further calls throw `STORE_CLOSED`. */
  close(): Promise<void>;
}
