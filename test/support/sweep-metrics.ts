/**
 * Drawdown and daily Sharpe ratio from an engine run's per-bar values, computed the way the
 * native sweep defines them (daily bars, returns against the previous bar, starting from the
 * initial cash), so tests can hold the sweep's row against the engine's run.
 */
export function sweepMetrics(values: Float64Array, cash: number): { mdd: number; sharpe: number } {
  let peak = cash, mdd = 0, last = cash, sum = 0, sumsq = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    mdd = Math.max(mdd, (peak - v) / peak);
    const r = v / last - 1;
    sum += r;
    sumsq += r * r;
    last = v;
  }
  const mean = sum / values.length;
  return { mdd, sharpe: (mean / Math.sqrt(sumsq / values.length - mean * mean)) * Math.sqrt(252) };
}
