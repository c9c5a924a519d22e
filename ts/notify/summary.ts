/**
 * The scheduled session summary: at a time of day (or on a cron expression), reads equity, cash,
 * trades and drawdown from the session and publishes a `summary` event, which the notifier sends
 * like any other.
 */
import { Cron } from 'croner';
import type { EventBus } from '../events/index.js';
import { NotifyConfigError } from '../errors.js';

/** What the summary reports, read from the session when it is due. */
export interface SummarySnapshot {
  equity: number;
  cash: number;
  /** Trades closed since the previous summary. */
  trades: number;
  /** Largest drawdown so far, in percent. */
  drawdownPct: number;
}

/** Options of {@link scheduleSummary}. */
export interface SummaryOptions {
  bus: EventBus;
  /** Reads the session's numbers. */
  snapshot: () => SummarySnapshot;
  /** `HH:MM` every day (default `17:00`), or a cron expression (croner syntax) with `cron`. */
  at?: string;
  cron?: string;
  /** IANA zone of `at` / `cron` (default UTC). */
  timeZone?: string;
  /** The `source` of the events. */
  source?: string;
  /** Equity at the start, for the first summary's P&L (default: the first snapshot's equity). */
  startEquity?: number;
}

/** A running summary schedule. */
export interface SummarySchedule {
  /** Publishes a summary now (also what the schedule calls). */
  emitNow(): void;
  /** When the next one is due (ms), or null once stopped. */
  nextRun(): number | null;
  stop(): void;
}

/** Publishes a `summary` event on `bus` every day at `at` (or on `cron`). */
export function scheduleSummary(options: SummaryOptions): SummarySchedule {
  if (typeof options.snapshot !== 'function') throw new NotifyConfigError('scheduleSummary: snapshot must be a function returning { equity, cash, trades, drawdownPct }');
  let pattern = options.cron;
  if (pattern === undefined) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(options.at ?? '17:00');
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new NotifyConfigError(`scheduleSummary: at must be HH:MM, got '${options.at}'`);
    pattern = `0 ${Number(m[2])} ${Number(m[1])} * * *`;
  }
  let previous = options.startEquity;
  const emitNow = () => {
    const s = options.snapshot();
    const pnl = previous === undefined ? 0 : s.equity - previous;
    previous = s.equity;
    options.bus.emit({
      type: 'summary', time: Date.now(), equity: s.equity, cash: s.cash, pnl, trades: s.trades, drawdownPct: s.drawdownPct,
      ...(options.source ? { source: options.source } : {}),
    });
  };
  let job: Cron;
  try {
    job = new Cron(pattern, { timezone: options.timeZone ?? 'UTC', unref: true }, emitNow);
  } catch (error) {
    throw new NotifyConfigError(`scheduleSummary: '${pattern}' is not a schedule (${(error as Error).message})`);
  }
  return {
    emitNow,
    nextRun: () => job.nextRun()?.getTime() ?? null,
    stop: () => job.stop(),
  };
}
