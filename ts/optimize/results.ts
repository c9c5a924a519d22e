import type { ParamDefaults } from '../engine/params.js';
import type { SweepAnalyses } from '../analyzers/named.js';
import { ParamError } from '../errors.js';

/** What one combination of a sweep produced (light: no per-bar data). */
export interface SweepRow {
  /** The parameters of this run. */
  params: ParamDefaults;
  finalValue: number;
  /** (final / starting value - 1) × 100. */
  returnPct: number;
  /** Largest peak-to-trough fall of the value, in percent. */
  maxDrawdownPct: number;
  closedTrades: number;
  wonTrades: number;
  /** Sum of closed trades' net profit. */
  pnlNet: number;
  /**
   * Analyzer results by default name, when analyzers were requested: `row.analyzers.sqn` is
   * `{ sqn, trades }`. One added under a name of your own: `(row.analyzers as Record<string, unknown>)[name]`.
   */
  analyzers?: SweepAnalyses;
  /** Set when the run threw: the message; the other numbers are NaN. */
  error?: string;
  /**
   * Set with `error`: what failed, as a stable name to branch on — the class of what the
   * strategy threw (`'TypeError'`, `'ParamError'`, ...), or for a combination that ended with
   * its worker thread: `'SWEEP_WORKER_EXIT'` (the thread died: a crash, an uncaught error in a
   * timer of the strategy), `'SWEEP_TIME_LIMIT'` (past `timeLimitMs`), `'SWEEP_WORKER_START'`
   * (no thread could run it).
   */
  errorType?: string;
  /** Milliseconds the run took. */
  ms: number;
}

/** The row of a combination that failed: its parameters and why, NaN for every number. */
export function errorRow(params: ParamDefaults, error: string, ms = 0, errorType = 'Error'): SweepRow {
  return { params, finalValue: NaN, returnPct: NaN, maxDrawdownPct: NaN, closedTrades: 0, wonTrades: 0, pnlNet: NaN, error, errorType, ms };
}

/** The numbers of a row that `sortBy` and `best` rank by (besides the parameters). */
export const ROW_METRICS = ['finalValue', 'returnPct', 'maxDrawdownPct', 'closedTrades', 'wonTrades', 'pnlNet', 'ms'] as const;
/** A row metric: {@link ROW_METRICS}. */
export type RowMetric = (typeof ROW_METRICS)[number];

/**
 * The rows of a sweep, with sorting and export. `P` is the strategy's parameters: `sortBy` and
 * `best` take a row metric or a parameter name, checked by the compiler and when called.
 */
export class SweepResults<P extends ParamDefaults = ParamDefaults> {
  constructor(
    readonly rows: SweepRow[],
    /** Wall-clock milliseconds of the whole sweep. */
    readonly elapsedMs: number,
    /** Worker threads used (1 = in the calling thread). */
    readonly workers: number,
  ) {}

  /**
   * Rows sorted by a metric (a row metric or a parameter name), best first (`desc` default);
   * failed rows last.
   * @throws ParamError for a name that is neither, listing those there are.
   */
  sortBy(metric: RowMetric | (keyof P & string), order: 'desc' | 'asc' = 'desc'): SweepRow[] {
    const isRow = (ROW_METRICS as readonly string[]).includes(metric);
    if (!isRow && this.rows.length > 0 && !this.rows.some((r) => metric in r.params)) {
      const params = [...new Set(this.rows.flatMap((r) => Object.keys(r.params)))];
      throw new ParamError(`unknown metric '${metric}': sort by one of ${[...ROW_METRICS, ...params].join(', ')}`);
    }
    if (order !== 'desc' && order !== 'asc') throw new ParamError(`order is 'desc' or 'asc', got '${String(order)}'`);
    const get = (r: SweepRow): number => {
      const v = isRow ? r[metric as RowMetric] : r.params[metric];
      return typeof v === 'number' && !Number.isNaN(v) ? v : order === 'desc' ? -Infinity : Infinity;
    };
    return [...this.rows].sort((a, b) => (order === 'desc' ? get(b) - get(a) : get(a) - get(b)));
  }

  /** The best row by `metric`. */
  best(metric: RowMetric | (keyof P & string) = 'finalValue'): SweepRow | undefined {
    return this.sortBy(metric)[0];
  }

  /** Rows whose run threw. */
  errors(): SweepRow[] {
    return this.rows.filter((r) => r.error !== undefined);
  }

  /**
   * CSV: one column per parameter, then the metrics, then one column per analyzer number
   * (`sqn.sqn`, `tradeanalyzer.won.total`, ...: nested results flattened with dots), as in
   * `toJSON()`.
   */
  toCSV(): string {
    const params = [...new Set(this.rows.flatMap((r) => Object.keys(r.params)))];
    const flat = this.rows.map((r) => flatten(r.analyzers ?? {}, ''));
    const analyzerCols = [...new Set(flat.flatMap((f) => [...f.keys()]))];
    const metrics = ['finalValue', 'returnPct', 'maxDrawdownPct', 'closedTrades', 'wonTrades', 'pnlNet', 'ms', 'error'] as const;
    const cell = (v: unknown) => {
      const s = v === undefined ? '' : String(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [[...params, ...metrics, ...analyzerCols].map(cell).join(',')];
    this.rows.forEach((r, k) => {
      lines.push([...params.map((p) => cell(r.params[p])), ...metrics.map((m) => cell(r[m])), ...analyzerCols.map((c) => cell(flat[k]!.get(c)))].join(','));
    });
    return lines.join('\n') + '\n';
  }

  /** JSON of the rows and the timing. */
  toJSON(): { rows: SweepRow[]; elapsedMs: number; workers: number } {
    return { rows: this.rows, elapsedMs: this.elapsedMs, workers: this.workers };
  }
}

/** Leaves of an analysis by dotted path (`won.pnl.total`); arrays and nulls as they print. */
function flatten(value: unknown, prefix: string, out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value === null ? '' : Array.isArray(value) ? JSON.stringify(value) : value);
  }
  return out;
}
