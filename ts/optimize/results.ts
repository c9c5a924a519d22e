import type { ParamDefaults } from '../engine/params.js';

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
  /** Analyzer results by name, when analyzers were requested. */
  analyzers?: Record<string, unknown>;
  /** Set when the run threw: the message; the other numbers are NaN. */
  error?: string;
  /** Milliseconds the run took. */
  ms: number;
}

/** The row of a combination that failed: its parameters and why, NaN for every number. */
export function errorRow(params: ParamDefaults, error: string, ms = 0): SweepRow {
  return { params, finalValue: NaN, returnPct: NaN, maxDrawdownPct: NaN, closedTrades: 0, wonTrades: 0, pnlNet: NaN, error, ms };
}

/** The rows of a sweep, with sorting and export. */
export class SweepResults {
  constructor(
    readonly rows: SweepRow[],
    /** Wall-clock milliseconds of the whole sweep. */
    readonly elapsedMs: number,
    /** Worker threads used (1 = in the calling thread). */
    readonly workers: number,
  ) {}

  /** Rows sorted by a metric (a row field or a parameter name), best first (`desc` default). */
  sortBy(metric: string, order: 'desc' | 'asc' = 'desc'): SweepRow[] {
    const get = (r: SweepRow): number => {
      const v = metric in r ? (r as unknown as Record<string, unknown>)[metric] : r.params[metric];
      return typeof v === 'number' && !Number.isNaN(v) ? v : order === 'desc' ? -Infinity : Infinity;
    };
    return [...this.rows].sort((a, b) => (order === 'desc' ? get(b) - get(a) : get(a) - get(b)));
  }

  /** The best row by `metric`. */
  best(metric = 'finalValue'): SweepRow | undefined {
    return this.sortBy(metric)[0];
  }

  /** Rows whose run threw. */
  errors(): SweepRow[] {
    return this.rows.filter((r) => r.error !== undefined);
  }

  /** CSV: one column per parameter, then the metrics. */
  toCSV(): string {
    const params = [...new Set(this.rows.flatMap((r) => Object.keys(r.params)))];
    const metrics = ['finalValue', 'returnPct', 'maxDrawdownPct', 'closedTrades', 'wonTrades', 'pnlNet', 'ms', 'error'] as const;
    const cell = (v: unknown) => {
      const s = v === undefined ? '' : String(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [[...params, ...metrics].join(',')];
    for (const r of this.rows) lines.push([...params.map((p) => cell(r.params[p])), ...metrics.map((m) => cell(r[m]))].join(','));
    return lines.join('\n') + '\n';
  }

  /** JSON of the rows and the timing. */
  toJSON(): { rows: SweepRow[]; elapsedMs: number; workers: number } {
    return { rows: this.rows, elapsedMs: this.elapsedMs, workers: this.workers };
  }
}
