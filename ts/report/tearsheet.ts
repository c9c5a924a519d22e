/**
 * The tearsheet parts of the report, computed from a run's value per bar: the date range, a
 * buy-and-hold benchmark, monthly and yearly returns, rolling Sharpe ratio and volatility, the
 * distribution of bar returns and the worst drawdown periods.
 * @internal
 */
import type { RunResult } from '../engine/result.js';

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

/** First and last bar times, and whether the run spans at least a year. */
export interface DateRange {
  start: number;
  end: number;
  /** Calendar years between the first and the last bar. */
  years: number;
}

export function dateRange(result: RunResult): DateRange {
  const t = result.timeline.times;
  const start = t[0] ?? NaN;
  const end = t[t.length - 1] ?? NaN;
  return { start, end, years: (end - start) / YEAR };
}

/**
 * The value of the starting cash put into the first data at its first close and held: one value
 * per tick of the run (the data's latest close at each tick), null before its first bar.
 */
export function buyAndHold(result: RunResult): (number | null)[] {
  const data = result.datas[0]!;
  const close = data.columns.close;
  const at = result.timeline.shared ? null : result.timeline.index[0]!;
  const out: (number | null)[] = new Array(result.timeline.ticks).fill(null);
  let first = NaN;
  for (let s = 0; s < out.length; s++) {
    const bar = at ? at[s]! : s;
    if (bar < 0) continue;
    const c = close[bar]!;
    if (Number.isNaN(first) && Number.isFinite(c) && c !== 0) first = c;
    if (!Number.isNaN(first)) out[s] = (result.startValue * c) / first;
  }
  return out;
}

/** Returns per calendar month and year, in percent (the value at each period's last bar). */
export interface PeriodReturns {
  years: number[];
  /** Per year, 12 monthly returns (null for months outside the run). */
  monthly: (number | null)[][];
  yearly: number[];
}

export function periodReturns(result: RunResult): PeriodReturns {
  const t = result.timeline.times;
  const v = result.value;
  const lastOf = new Map<number, number>(); // year*12+month -> value at its last bar
  for (let i = 0; i < v.length; i++) {
    const d = new Date(t[i]!);
    lastOf.set(d.getUTCFullYear() * 12 + d.getUTCMonth(), v[i]!);
  }
  const keys = [...lastOf.keys()].sort((a, b) => a - b);
  const years = [...new Set(keys.map((k) => Math.floor(k / 12)))];
  const monthly = years.map(() => new Array<number | null>(12).fill(null));
  let prev = result.startValue;
  const yearEnd = new Map<number, number>();
  for (const k of keys) {
    const value = lastOf.get(k)!;
    const y = Math.floor(k / 12);
    monthly[years.indexOf(y)]![k % 12] = prev ? (value / prev - 1) * 100 : null;
    prev = value;
    yearEnd.set(y, value);
  }
  let before = result.startValue;
  const yearly = years.map((y) => {
    const end = yearEnd.get(y)!;
    const r = before ? (end / before - 1) * 100 : NaN;
    before = end;
    return r;
  });
  return { years, monthly, yearly };
}

/** Bars per year of the run's clock: 252 for daily bars, scaled by the bars of a day for intraday ones. */
export function barsPerYear(result: RunResult): number {
  const t = result.timeline.times;
  if (t.length < 2) return 252;
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(t.length, 2000); i++) gaps.push(t[i]! - t[i - 1]!);
  gaps.sort((a, b) => a - b);
  const step = gaps[gaps.length >> 1]!;
  if (step >= 5 * DAY) return YEAR / step; // weekly bars or longer: by the calendar
  if (step >= DAY / 2) return 252;
  // Intraday: the median count of bars per trading day.
  const perDay = new Map<number, number>();
  for (const x of t) perDay.set(Math.floor(x / DAY), (perDay.get(Math.floor(x / DAY)) ?? 0) + 1);
  const counts = [...perDay.values()].sort((a, b) => a - b);
  return 252 * counts[counts.length >> 1]!;
}

/** Per-bar simple returns of the value (NaN on the first bar). */
export function barReturns(value: Float64Array, startValue: number): Float64Array {
  const r = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const prev = i === 0 ? startValue : value[i - 1]!;
    r[i] = prev ? value[i]! / prev - 1 : NaN;
  }
  return r;
}

/** Rolling annualized Sharpe ratio (risk-free 0) and volatility (percent) over `window` bars. */
export function rolling(returns: Float64Array, window: number, perYear: number): { sharpe: (number | null)[]; volatility: (number | null)[] } {
  const sharpe: (number | null)[] = new Array(returns.length).fill(null);
  const volatility: (number | null)[] = new Array(returns.length).fill(null);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]!;
    sum += x;
    sumSq += x * x;
    if (i >= window) {
      const y = returns[i - window]!;
      sum -= y;
      sumSq -= y * y;
    }
    if (i < window - 1) continue;
    const mean = sum / window;
    const variance = Math.max(0, (sumSq - window * mean * mean) / (window - 1));
    const sd = Math.sqrt(variance);
    volatility[i] = sd * Math.sqrt(perYear) * 100;
    sharpe[i] = sd > 1e-15 ? (mean / sd) * Math.sqrt(perYear) : null;
  }
  return { sharpe, volatility };
}

/** A histogram of the bar returns (percent): `bins` equal bins from the smallest to the largest. */
export function histogram(returns: Float64Array, bins = 40): { edges: number[]; counts: number[] } {
  const xs = Array.from(returns).filter((x) => Number.isFinite(x)).map((x) => x * 100);
  if (xs.length === 0) return { edges: [], counts: [] };
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]!++;
  return { edges: Array.from({ length: bins + 1 }, (_, k) => lo + k * width), counts };
}

/** One drawdown period: from a peak to the recovery of that peak (or the end of the run). */
export interface DrawdownPeriod {
  peak: number;
  trough: number;
  /** Time the peak value was regained, or null when it was not. */
  recovery: number | null;
  /** Deepest fall from the peak, percent. */
  depth: number;
  /** Bars from the peak to the recovery (or to the last bar). */
  bars: number;
}

/** The `top` deepest drawdown periods, deepest first. */
export function drawdownPeriods(result: RunResult, top = 5): DrawdownPeriod[] {
  const t = result.timeline.times;
  const v = result.value;
  const out: DrawdownPeriod[] = [];
  let peakAt = 0;
  let peak = Math.max(result.startValue, v[0] ?? 0);
  let troughAt = 0;
  let depth = 0;
  const close = (end: number, recovered: boolean) => {
    if (depth > 0) out.push({ peak: t[peakAt]!, trough: t[troughAt]!, recovery: recovered ? t[end]! : null, depth, bars: end - peakAt });
  };
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x >= peak) {
      close(i, true);
      peak = x;
      peakAt = i;
      depth = 0;
      troughAt = i;
      continue;
    }
    const dd = (1 - x / peak) * 100;
    if (dd > depth) {
      depth = dd;
      troughAt = i;
    }
  }
  close(v.length - 1, false);
  return out.sort((a, b) => b.depth - a.depth).slice(0, top);
}
