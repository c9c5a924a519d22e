import type { RunResult } from '../engine/result.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { ReplayFeed } from '../feeds/replay.js';
import { analyze } from '../engine/post-run.js';
import { CAGR, Exposure, ProfitFactor, SharpeRatio, SortinoRatio, SQN } from '../analyzers/index.js';
import { drawdownSeries } from '../analyzers/drawdown.js';
import { chartLabel, indicatorData } from './writer.js';
import { barReturns, barsPerYear, buyAndHold, dateRange, rolling } from './tearsheet.js';

/** A line of a chart: values per bar (null = no value). */
export interface ModelLine {
  name: string;
  values: (number | null)[];
}

/** A fill marker. */
export interface ModelMarker {
  /** Chart time (seconds). */
  time: number;
  bar: number;
  side: 'buy' | 'sell';
  price: number;
  size: number;
  ref: number;
}

/** One chart per data: candles, volume, indicators on the price and in their own panes, fills. */
export interface ModelChart {
  name: string;
  /** Bar times in seconds (lightweight-charts' UTCTimestamp; the data's wall-clock time). */
  t: number[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
  /** Volume, or null when the data has none. */
  v: number[] | null;
  overlays: ModelLine[];
  /** Indicators in panes of their own; `bands` are guide levels (an RSI's 30 and 70). */
  panes: { name: string; lines: ModelLine[]; bands?: number[] }[];
  markers: ModelMarker[];
  /** Stop and target levels of bracket orders, each from its parent's fill to its own end. */
  levels: ModelLevel[];
}

/** A bracket child's price over the bars it was working. */
export interface ModelLevel {
  kind: 'stop' | 'target';
  price: number;
  from: number;
  to: number;
  ref: number;
}

/** What the report's page draws. */
export interface ReportModel {
  title: string;
  /** Bars carry a time of day (show times on the axis). */
  intraday: boolean;
  charts: ModelChart[];
  /** The value, buy-and-hold of the first data from the same cash, and the drawdown (percent). */
  equity: { t: number[]; value: (number | null)[]; benchmark: (number | null)[]; benchmarkName: string; drawdown: (number | null)[] };
  /** Rolling annualized Sharpe ratio and volatility (percent) over `window` bars. */
  rolling: { window: number; sharpe: (number | null)[]; volatility: (number | null)[] };
}

const n = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Indicators whose values sit within the price range are drawn over the candles. */
function onPrice(values: Float64Array, lo: number, hi: number): boolean {
  let seen = false;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    seen = true;
    if (v < lo * 0.5 || v > hi * 2) return false;
  }
  return seen;
}

/** A line on the run's clock (one value per tick) as one value per bar of data `d`: the value at the bar's last tick. */
function ticksToBars(result: RunResult, d: number, values: Float64Array, bars: number): Float64Array {
  const out = new Float64Array(bars).fill(NaN);
  const at = result.timeline.shared ? null : result.timeline.index[d]!;
  for (let s = 0; s < values.length; s++) {
    const bar = at ? at[s]! : s;
    if (bar >= 0 && bar < bars) out[bar] = values[s]!;
  }
  return out;
}

/** @internal the chart data of one data of a run. */
export function chartOf(result: RunResult, data: DataFeed): ModelChart {
  const c = data.columns;
  const d = result.datas.indexOf(data);
  const t = Array.from(c.datetime, (ms) => ms / 1000);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < c.low.length; i++) {
    lo = Math.min(lo, c.low[i]!);
    hi = Math.max(hi, c.high[i]!);
  }
  const overlays: ModelLine[] = [];
  const panes: { name: string; lines: ModelLine[] }[] = [];
  // Lines over several datas of different calendars (on the run's clock) are drawn with the first data.
  const onClock = (ind: { cursor: unknown }) => ind.cursor === result.timeline.cursor && d === 0;
  for (const ind of result.indicators) {
    const clocked = onClock(ind);
    if (!clocked && indicatorData(ind, result.datas) !== data) continue;
    const label = chartLabel(ind);
    const entries = Object.entries(ind.lines).map(([k, l]) => [k, clocked ? ticksToBars(result, 0, l.array, c.datetime.length) : l.array] as const);
    const lines = entries.map(([k, a]) => ({ name: entries.length > 1 ? `${label}.${k}` : label, values: Array.from(a, n) }));
    if (entries.every(([, a]) => onPrice(a, lo, hi))) overlays.push(...lines);
    else panes.push({ name: label, lines, ...bandsOf(ind.params) });
  }
  // Series recorded with this.plot(name, value), drawn with the first data.
  if (d === 0) {
    for (const [name, values] of (result.strategy as { _plots?: Map<string, number[]> })._plots ?? []) {
      const ticks = Float64Array.from({ length: result.timeline.ticks }, (_, s) => values[s] ?? NaN);
      const a = ticksToBars(result, 0, ticks, c.datetime.length);
      const l = { name, values: Array.from(a, n) };
      if (onPrice(a, lo, hi)) overlays.push(l);
      else panes.push({ name, lines: [l] });
    }
  }
  const markers: ModelMarker[] = [];
  for (const o of result.orders) {
    if (o.dataIndex !== d) continue;
    for (const h of o.history) {
      if (!h.fill || !h.fill.size) continue;
      // A replayed data's fills count source rows; the chart shows its bars.
      const bar = data instanceof ReplayFeed ? data.stepBar[h.fill.bar]! : h.fill.bar;
      markers.push({ time: t[bar]!, bar, side: o.isBuy() ? 'buy' : 'sell', price: h.fill.price, size: h.fill.size, ref: o.ref });
    }
  }
  markers.sort((a, b) => a.bar - b.bar || a.ref - b.ref);
  const levels: ModelLevel[] = [];
  for (const o of result.orders) {
    if (o.dataIndex !== d || o.parentRef === undefined || data instanceof ReplayFeed) continue;
    const parent = result.orders.find((p) => p.ref === o.parentRef);
    const from = parent?.history.find((h) => h.fill)?.fill?.bar;
    const to = o.history.at(-1)?.bar;
    const price = o.created.price;
    if (from === undefined || to === undefined || !Number.isFinite(price)) continue;
    levels.push({ kind: /stop/i.test(o.getOrdertypeName()) ? 'stop' : 'target', price, from: t[from]!, to: t[Math.max(from, to)]!, ref: o.ref });
  }
  const hasVolume = c.volume.some((v) => v !== 0);
  return {
    name: data.name, t, o: Array.from(c.open), h: Array.from(c.high), l: Array.from(c.low), c: Array.from(c.close),
    v: hasVolume ? Array.from(c.volume) : null, overlays, panes, markers, levels,
  };
}

/** Bars of the rolling Sharpe ratio and volatility: about three months of daily bars. */
const ROLLING_WINDOW = 63;

/** Guide levels of an oscillator pane: its own bands (RSI's `upperband`/`lowerband`, 70/30). */
function bandsOf(params: Readonly<Record<string, unknown>>): { bands?: number[] } {
  const { upperband, lowerband } = params as { upperband?: unknown; lowerband?: unknown };
  return typeof upperband === 'number' && typeof lowerband === 'number' ? { bands: [lowerband, upperband] } : {};
}

/** @internal the report's page data. */
export function reportModel(result: RunResult, datas: DataFeed[], title: string): ReportModel {
  const dd: (number | null)[] = new Array(result.value.length);
  drawdownSeries(result.value, (i, r) => (dd[i] = n(-r.drawdown)));
  return {
    title,
    intraday: result.datas[0]!.columns.datetime.some((ms) => ms % 86_400_000 !== 0),
    charts: datas.map((d) => chartOf(result, d)),
    equity: {
      t: Array.from(result.timeline.times, (ms) => ms / 1000), value: Array.from(result.value, n),
      benchmark: buyAndHold(result), benchmarkName: `buy and hold ${result.datas[0]!.name}`, drawdown: dd,
    },
    rolling: { window: ROLLING_WINDOW, ...rolling(barReturns(result.value, result.startValue), ROLLING_WINDOW, barsPerYear(result)) },
  };
}

const fmt = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

const pct = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(2)} %`);

/**
 * CAGR, flagged on a run shorter than a year: annualizing a few months' return says little, so
 * the row says so instead of showing a number that looks like a yearly one.
 */
function cagrRow(result: RunResult, cagr: number): [string, string][] {
  const { years } = dateRange(result);
  if (years >= 1) return [['CAGR', pct(cagr * 100)]];
  return [['CAGR', `not annualized: the run spans ${(years * 12).toFixed(1)} months (under a year)`]];
}

/** @internal the stats table: label and formatted value. */
export function reportStats(result: RunResult): [string, string][] {
  const start = result.startValue;
  const dd = drawdownSeries(result.value);
  const wins = result.trades.filter((t) => t.pnlcomm > 0).length;
  const sharpe = analyze(result, SharpeRatio, { timeframe: 'Days', annualize: true }).getAnalysis().sharperatio;
  const sortino = analyze(result, SortinoRatio).getAnalysis().sortinoratio;
  const sqn = analyze(result, SQN).getAnalysis().sqn;
  const pf = analyze(result, ProfitFactor).getAnalysis().profitfactor;
  const exposure = analyze(result, Exposure).getAnalysis().exposure;
  const cagr = analyze(result, CAGR).getAnalysis().cagr;
  const range = dateRange(result);
  const day = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '–');
  return [
    ['Period', `${day(range.start)} to ${day(range.end)} (${range.years.toFixed(2)} years)`],
    ['Bars', String(result.bars)],
    ['Start value', fmt(start)],
    ['Final value', fmt(result.finalValue)],
    ['Return', pct(start ? (result.finalValue / start - 1) * 100 : NaN)],
    ...cagrRow(result, cagr),
    ['Sharpe (daily, annualized)', fmt(sharpe, 3)],
    ['Sortino (daily, annualized)', fmt(sortino, 3)],
    ['Max drawdown', pct(dd.max.drawdown)],
    ['Max drawdown (money)', fmt(dd.max.moneydown)],
    ['Longest drawdown (bars)', String(dd.max.len)],
    ['Closed trades', String(result.trades.length)],
    ['Open trades', String(result.openTrades.length)],
    ['Winning trades', String(wins)],
    ['Win rate', pct(result.trades.length ? (wins / result.trades.length) * 100 : NaN)],
    ['Profit factor', fmt(pf, 3)],
    ['SQN', fmt(sqn, 3)],
    ['Exposure', pct(exposure * 100)],
    ['Orders', String(result.orders.length)],
  ];
}
