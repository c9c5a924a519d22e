import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../engine/result.js';
import type { Indicator } from '../indicators/indicator.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { isoDateTime } from '../analyzers/timeframe.js';
import { reportParts, type ReportParts } from './html.js';

/** A finite number, or null for NaN/infinity (JSON has no NaN). */
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
const arr = (a: ArrayLike<number>): (number | null)[] => Array.from(a, num);
const time = (ms: number): string | null => (Number.isFinite(ms) ? isoDateTime(ms) : null);

/** An indicator's label: its name and parameters, `MovingAverageSimple(period=15)`. */
export function indicatorLabel(ind: Indicator): string {
  const params = Object.entries(ind.params).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${ind.indicatorName}(${params})`;
}

/** The data an indicator was computed on (the one whose bars it follows). */
export function indicatorData(ind: Indicator, datas: DataFeed[]): DataFeed | undefined {
  return datas.find((d) => d.cursor === ind.cursor);
}

/** One row per order: what was asked and what happened. */
export function orderRows(result: RunResult) {
  return result.orders.map((o) => ({
    ref: o.ref,
    data: result.datas[o.dataIndex]?.name ?? String(o.dataIndex),
    side: o.isBuy() ? 'buy' : 'sell',
    type: o.getOrdertypeName(),
    size: o.size,
    price: num(o.created.price),
    created: time(o.created.dt),
    createdBar: o.created.bar,
    status: o.getStatusName(),
    executedBar: o.executed.bar,
    executed: time(o.executed.dt),
    executedSize: o.executed.size,
    executedPrice: o.executed.bar >= 0 ? num(o.executed.price) : null,
    executedValue: o.executed.value,
    commission: o.executed.comm,
    pnl: o.executed.pnl,
    fills: o.history.filter((h) => h.fill).map((h) => ({ bar: h.fill!.bar, size: h.fill!.size, price: h.fill!.price, comm: h.fill!.comm })),
  }));
}

/** One row per closed trade, then the open ones. */
export function tradeRows(result: RunResult) {
  return [...result.trades, ...result.openTrades].map((t) => ({
    ref: t.ref,
    data: result.datas[t.dataIndex]?.name ?? String(t.dataIndex),
    side: t.long ? 'long' : 'short',
    status: t.isClosed ? 'closed' : 'open',
    opened: time(t.dtopen),
    closed: time(t.dtclose),
    openBar: t.openBar,
    closeBar: t.closeBar,
    size: t.size,
    price: t.price,
    pnl: t.pnl,
    pnlcomm: t.pnlcomm,
    commission: t.commission,
    barlen: t.barlen,
  }));
}

/**
 * A run as plain JSON-ready data: every data (bars), the strategy's indicators, the observers,
 * orders, trades and every analyzer's analysis. NaN becomes `null`; times are ISO strings
 * (`YYYY-MM-DDTHH:MM:SS`) in the data's own time.
 *
 * ```ts
 * writeFileSync('run.json', JSON.stringify(toJSON(result)));
 * ```
 */
export function toJSON(result: RunResult) {
  return {
    strategy: result.strategy.constructor.name,
    params: { ...result.strategy.p },
    bars: result.bars,
    startValue: result.startValue,
    finalValue: result.finalValue,
    finalCash: result.finalCash,
    datas: result.datas.map((d) => ({
      name: d.name,
      datetime: Array.from(d.columns.datetime, (t) => isoDateTime(t)),
      open: arr(d.columns.open),
      high: arr(d.columns.high),
      low: arr(d.columns.low),
      close: arr(d.columns.close),
      volume: arr(d.columns.volume),
      openinterest: arr(d.columns.openinterest),
    })),
    indicators: result.indicators.map((ind) => ({
      name: indicatorLabel(ind),
      data: indicatorData(ind, result.datas)?.name ?? null,
      lines: Object.fromEntries(Object.entries(ind.lines).map(([k, l]) => [k, arr(l.array)])),
    })),
    observers: Object.fromEntries(
      Object.entries(result.observers).map(([name, o]) => [name, Object.fromEntries(Object.entries(o.lines).map(([k, l]) => [k, arr(l)]))]),
    ),
    orders: orderRows(result),
    trades: tradeRows(result),
    analyzers: Object.fromEntries(Object.entries(result.analyzers).map(([name, a]) => [name, jsonSafe(a.getAnalysis())])),
    /** The report page's data: `ferrotrade report` renders a saved run from it. */
    report: jsonSafe(reportParts(result)) as ReportParts,
  };
}

/** Replaces NaN/infinities by null, deeply. */
function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : num(v);
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

function rowsOf(objects: Record<string, unknown>[]): { header: string[]; rows: unknown[][] } {
  const header = objects.length ? Object.keys(objects[0]!) : [];
  return { header, rows: objects.map((o) => header.map((h) => o[h])) };
}

/**
 * Writes a run as CSV files into `dir` (created if missing) and returns their paths:
 * `data-<name>.csv` (bars of each data plus its indicators' lines as columns), `observers.csv`
 * (one column per observer line, `broker.value`, `drawdown.drawdown`, ...), `orders.csv`,
 * `trades.csv`, and `analyzers.json` (analyses are nested, so JSON). Empty cells are NaN.
 */
export function writeCsv(result: RunResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    files.push(file);
  };
  // Observers have one value per step of the run (with several calendars or a replayed data,
  // more steps than the first data has bars).
  const times = Array.from(result.timeline.times, (t) => isoDateTime(t));
  // Datas may share a name (a feed and its resampling or replay): each gets its own file.
  const used = new Map<string, number>();
  const fileOf = (name: string) => {
    const base = name.replace(/[^\w.-]+/g, '_');
    const k = (used.get(base) ?? 0) + 1;
    used.set(base, k);
    return k === 1 ? `data-${base}.csv` : `data-${base}-${k}.csv`;
  };
  for (const d of result.datas) {
    const c = d.columns;
    const header = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'];
    const cols: ArrayLike<number>[] = [c.open, c.high, c.low, c.close, c.volume, c.openinterest];
    for (const ind of result.indicators.filter((x) => indicatorData(x, result.datas) === d)) {
      for (const [k, l] of Object.entries(ind.lines)) {
        header.push(`${indicatorLabel(ind)}.${k}`);
        cols.push(l.array);
      }
    }
    const rows = Array.from(c.datetime, (t, i) => [isoDateTime(t), ...cols.map((col) => col[i])]);
    put(fileOf(d.name), csv(header, rows));
  }
  const obsHeader = ['datetime'];
  const obsCols: Float64Array[] = [];
  for (const [name, o] of Object.entries(result.observers)) {
    for (const [k, l] of Object.entries(o.lines)) {
      obsHeader.push(`${name}.${k}`);
      obsCols.push(l);
    }
  }
  put('observers.csv', csv(obsHeader, times.map((t, i) => [t, ...obsCols.map((c) => c[i])])));
  const orders = rowsOf(orderRows(result));
  put('orders.csv', csv(orders.header.length ? orders.header : ['ref'], orders.rows));
  const trades = rowsOf(tradeRows(result));
  put('trades.csv', csv(trades.header.length ? trades.header : ['ref'], trades.rows));
  put('analyzers.json', JSON.stringify(toJSON(result).analyzers, null, 2) + '\n');
  return files;
}
