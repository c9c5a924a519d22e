/**
 * Headline numbers of a saved run, computed from what the store keeps (so runs of any age and
 * from any process compare on the same footing).
 */
import type { RunRecord } from './types.js';

/** What `ferrotrade runs show|compare` prints. */
export interface RunStats {
  startValue: number | null;
  finalValue: number | null;
  /** Percent. */
  returnPct: number | null;
  orders: number;
  fills: number;
  trades: number;
  /** Closed trades with positive net profit, percent of closed trades. */
  winRatePct: number | null;
  /** Net profit of closed trades (after commission). */
  netPnl: number;
  commission: number;
  /** Largest peak-to-trough fall of the equity curve, percent. */
  maxDrawdownPct: number;
  bars: number;
}

export function runStats(run: RunRecord): RunStats {
  const closed = run.trades.filter((t) => t.closedAt !== null && t.closedAt !== undefined);
  let peak = -Infinity;
  let maxDd = 0;
  for (const p of run.equity) {
    peak = Math.max(peak, p.value);
    if (peak > 0) maxDd = Math.max(maxDd, (peak - p.value) / peak);
  }
  const start = run.startValue ?? null;
  const end = run.finalValue ?? null;
  return {
    startValue: start,
    finalValue: end,
    returnPct: start && end !== null ? (end / start - 1) * 100 : null,
    orders: run.orders.length,
    fills: run.orderEvents.filter((e) => e.fillSize !== null && e.fillSize !== undefined && e.fillSize !== 0).length,
    trades: closed.length,
    winRatePct: closed.length ? (closed.filter((t) => t.pnlComm > 0).length / closed.length) * 100 : null,
    netPnl: closed.reduce((s, t) => s + t.pnlComm, 0),
    commission: run.trades.reduce((s, t) => s + t.commission, 0),
    maxDrawdownPct: maxDd * 100,
    bars: run.equity.length,
  };
}
