/**
 * The report of a tick backtest (`cerebro.runTicks()` over Level2 datas): per data the bars made
 * from its trades with a marker per fill, the account value per tick (cash plus positions at
 * the mid, rebuilt from the fills) with its drawdown, the summary, trades and orders.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { TickRunResult } from '../engine/tick-loop.js';
import type { Level2Feed } from '../feeds/level2.js';
import { buildTimeline } from '../engine/timeline.js';
import { drawdownSeries } from '../analyzers/drawdown.js';
import type { RunResult } from '../engine/result.js';
import { CLIENT_SCRIPT } from './client.js';
import { chartsSource, escapeHtml, inScript, jsonInScript } from './page.js';
import { orderRows, tradeRows } from './writer.js';
import type { ModelChart, ModelMarker, ReportModel } from './model.js';

/** The account value at each tick of the run: cash after the fills so far plus each position at its data's mid. */
export function tickValues(result: TickRunResult, datas: readonly Level2Feed[]): { times: Float64Array; value: Float64Array } {
  const timeline = buildTimeline(datas as Level2Feed[]);
  const n = timeline.ticks;
  const barAt = (d: number, s: number) => (timeline.shared ? s : timeline.index[d]![s]!);
  // The step at which each data's tick first shows.
  const stepOf = datas.map((d, k) => {
    const out = new Int32Array(d.columns.datetime.length).fill(-1);
    for (let s = 0; s < n; s++) {
      const b = barAt(k, s);
      if (b >= 0 && out[b] === -1) out[b] = s;
    }
    return out;
  });
  const cashFlow = new Float64Array(n);
  const moves = datas.map(() => new Float64Array(n));
  for (const o of result.orders) {
    const sign = o.isBuy() ? 1 : -1;
    for (const h of o.history) {
      if (!h.fill?.size) continue;
      const s = stepOf[o.dataIndex]![h.fill.bar]!;
      const size = sign * Math.abs(h.fill.size);
      cashFlow[s] = cashFlow[s]! - size * h.fill.price - h.fill.comm;
      moves[o.dataIndex]![s] = moves[o.dataIndex]![s]! + size;
    }
  }
  const value = new Float64Array(n);
  const pos = new Float64Array(datas.length);
  let cash = result.startValue;
  for (let s = 0; s < n; s++) {
    cash += cashFlow[s]!;
    let v = cash;
    for (let d = 0; d < datas.length; d++) {
      pos[d] = pos[d]! + moves[d]![s]!;
      const b = barAt(d, s);
      if (pos[d] !== 0 && b >= 0) v += pos[d]! * datas[d]!.mid.array[b]!;
    }
    value[s] = v;
  }
  return { times: timeline.times, value };
}

const n = (v: number): number | null => (Number.isFinite(v) ? v : null);

function tickChart(result: TickRunResult, data: Level2Feed, d: number): ModelChart {
  const bars = data.bars.columns;
  const t = Array.from(bars.datetime, (ms) => ms / 1000);
  const markers: ModelMarker[] = [];
  for (const o of result.orders) {
    if (o.dataIndex !== d) continue;
    for (const h of o.history) {
      if (!h.fill?.size) continue;
      const at = data.columns.datetime[h.fill.bar]!;
      // The bar holding the fill's tick: the last bar that starts at or before it.
      let lo = 0;
      let hi = bars.datetime.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (bars.datetime[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      markers.push({ time: t[lo]!, bar: lo, side: o.isBuy() ? 'buy' : 'sell', price: h.fill.price, size: h.fill.size, ref: o.ref });
    }
  }
  markers.sort((a, b) => a.bar - b.bar || a.ref - b.ref);
  return {
    name: data.name, t, o: Array.from(bars.open), h: Array.from(bars.high), l: Array.from(bars.low), c: Array.from(bars.close),
    v: Array.from(bars.volume), overlays: [], panes: [], markers, levels: [],
  };
}

/**
 * Writes the report of a tick run to one self-contained HTML file (`cerebro.report(file)` after
 * `runTicks()` does this).
 */
export function writeTickReport(file: string, result: TickRunResult, datas: readonly Level2Feed[], options: { title?: string } = {}): void {
  const title = options.title ?? result.strategy.constructor.name;
  const { times, value } = tickValues(result, datas);
  const dd: (number | null)[] = new Array(value.length);
  const drawdown = drawdownSeries(value, (i, r) => (dd[i] = n(-r.drawdown)));
  const model: ReportModel = {
    title,
    intraday: true,
    charts: datas.map((d, k) => tickChart(result, d, k)),
    equity: { t: Array.from(times, (ms) => ms / 1000), value: Array.from(value, n), benchmark: [], benchmarkName: 'buy and hold', drawdown: dd },
    rolling: { window: 0, sharpe: [], volatility: [] },
  };
  const fills = result.orders.reduce((k, o) => k + o.history.filter((h) => h.fill?.size).length, 0);
  const day = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '–');
  const stats: [string, string][] = [
    ['Period', `${day(times[0]!)} to ${day(times[times.length - 1]!)}`],
    ['Ticks', String(result.ticks)],
    ['Start value', result.startValue.toFixed(2)],
    ['Final value', result.finalValue.toFixed(2)],
    ['Return', `${((result.finalValue / result.startValue - 1) * 100).toFixed(2)} %`],
    ['Max drawdown', `${drawdown.max.drawdown.toFixed(2)} %`],
    ['Closed trades', String(result.trades.length)],
    ['Open trades', String(result.openTrades.length)],
    ['Orders', String(result.orders.length)],
    ['Fills', String(fills)],
  ];
  const asRun = { ...result, datas } as unknown as RunResult;
  const cell = (v: unknown) => `<td>${v === null || v === undefined ? '' : escapeHtml(typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v))}</td>`;
  const trades = tradeRows(asRun).map((t) => `<tr>${[t.ref, t.data, t.side, t.status, t.opened, t.closed, t.price, t.pnlcomm].map(cell).join('')}</tr>`).join('');
  const orders = orderRows(asRun).map((o) => `<tr>${[o.ref, o.data, o.side, o.type, o.size, o.status, o.executedPrice].map(cell).join('')}</tr>`).join('');
  const charts = model.charts.map((c, k) => `<section class="data"><h2>${escapeHtml(c.name)} (bars from its trades)</h2><div class="chart" id="chart-${k}"></div></section>`).join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#24292f;max-width:1200px}.chart{width:100%;border:1px solid #d0d7de;margin-bottom:8px}
table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:right}#stats th{text-align:left;font-weight:normal;color:#57606a}thead th{background:#f6f8fa}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<h2>Summary</h2><table id="stats"><tbody>${stats.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>
${charts}
<section><h2>Value per tick and drawdown</h2><div class="chart" id="equity"></div></section>
<section hidden><div id="rolling"></div></section>
<h2>Trades</h2><table id="trades"><thead><tr><th>ref</th><th>data</th><th>side</th><th>status</th><th>opened</th><th>closed</th><th>price</th><th>pnl net</th></tr></thead><tbody>${trades}</tbody></table>
<h2>Orders</h2><table id="orders"><thead><tr><th>ref</th><th>data</th><th>side</th><th>type</th><th>size</th><th>status</th><th>exec price</th></tr></thead><tbody>${orders}</tbody></table>
<script type="application/json" id="report-data">${jsonInScript(model)}</script>
<script>${inScript(chartsSource())}</script>
<script>${inScript(CLIENT_SCRIPT)}</script>
</body></html>`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}
