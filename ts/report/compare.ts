/**
 * A report comparing several runs (strategies, parameter sets) or the rows of a sweep: the
 * equity curves overlaid as returns in percent from each run's starting value, and the summary
 * statistics side by side, one column per run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { ParamError } from '../errors.js';
import type { RunResult } from '../engine/result.js';
import { SweepResults, type SweepRow } from '../optimize/results.js';
import { chartsSource, escapeHtml, inScript, jsonInScript } from './page.js';
import { reportStats } from './model.js';

/** Options of {@link writeComparisonReport}. */
export interface ComparisonOptions {
  title?: string;
  /** For a sweep: how many rows, best first by `metric` (default 20). */
  top?: number;
  /** For a sweep: the metric the rows are ranked by (default `returnPct`). */
  metric?: string;
}

const COMPARE_SCRIPT = String.raw`(function () {
  var M = JSON.parse(document.getElementById('compare-data').textContent);
  var LW = window.LightweightCharts;
  var COLORS = ['#0969da', '#bf8700', '#8250df', '#1a7f37', '#cf222e', '#57606a', '#e16f24', '#1b7c83'];
  var el = document.getElementById('curves');
  var chart = LW.createChart(el, {
    width: el.clientWidth || 1000, height: 420,
    layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#24292f', attributionLogo: false },
    timeScale: { fixLeftEdge: true, fixRightEdge: true },
  });
  var series = M.curves.map(function (c, k) {
    var s = chart.addSeries(LW.LineSeries, { color: COLORS[k % COLORS.length], lineWidth: 2, title: c.name, priceLineVisible: false });
    var data = [];
    for (var i = 0; i < c.t.length; i++) if (c.v[i] !== null) data.push({ time: c.t[i], value: c.v[i] });
    s.setData(data);
    return s;
  });
  chart.timeScale().fitContent();
  window.ferrotradeComparison = { chart: chart, series: series, ready: true };
})();`;

function page(title: string, body: string, model: unknown): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#24292f;max-width:1200px}#curves{width:100%;border:1px solid #d0d7de}
table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:right}tbody th{text-align:left;font-weight:normal;color:#57606a}thead th{background:#f6f8fa}</style></head><body>
<h1>${escapeHtml(title)}</h1>${body}
<script type="application/json" id="compare-data">${jsonInScript(model)}</script>
<script>${inScript(chartsSource())}</script>
<script>${inScript(COMPARE_SCRIPT)}</script>
</body></html>`;
}

function sideBySide(names: string[], rows: [string, string[]][]): string {
  const head = `<thead><tr><th></th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr></thead>`;
  const body = rows.map(([k, vs]) => `<tr><th>${escapeHtml(k)}</th>${vs.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
  return `<table id="compare-stats">${head}<tbody>${body}</tbody></table>`;
}

const paramsName = (row: SweepRow) => Object.entries(row.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');

/**
 * Writes a comparison of several runs (`{ name: result }`) or of the rows of a sweep to one
 * self-contained HTML file. Runs get their equity curves overlaid (return in percent from each
 * start) and their summary statistics side by side; sweep rows (which keep no curve) their
 * metrics side by side, the `top` best by `metric`.
 *
 * ```ts
 * writeComparisonReport('out/compare.html', { 'SMA 10/30': a, 'SMA 20/50': b });
 * writeComparisonReport('out/sweep.html', await cerebro.optStrategy(...), { top: 10 });
 * ```
 */
export function writeComparisonReport(file: string, runs: Record<string, RunResult> | SweepResults, options: ComparisonOptions = {}): void {
  const title = options.title ?? 'Comparison';
  let html: string;
  if (runs instanceof SweepResults) {
    const metric = options.metric ?? 'returnPct';
    const rows: SweepRow[] = runs.sortBy(metric as never).slice(0, options.top ?? 20);
    if (rows.length === 0) throw new ParamError('writeComparisonReport: the sweep has no rows');
    const names = rows.map(paramsName);
    const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');
    const table = sideBySide(names, [
      ['Final value', rows.map((r) => fmt(r.finalValue))],
      ['Return %', rows.map((r) => fmt(r.returnPct))],
      ['Max drawdown %', rows.map((r) => fmt(r.maxDrawdownPct))],
      ['Closed trades', rows.map((r) => String(r.closedTrades))],
      ['Won trades', rows.map((r) => String(r.wonTrades))],
      ['Net pnl', rows.map((r) => fmt(r.pnlNet))],
    ]);
    html = page(title, `<p>The ${rows.length} best of ${runs.rows.length} combinations by ${escapeHtml(metric)}.</p><div id="curves"></div>${table}`, { curves: [] });
  } else {
    const entries = Object.entries(runs as Record<string, RunResult>);
    if (entries.length === 0) throw new ParamError('writeComparisonReport: give at least one run, as { name: result }');
    const stats = entries.map(([, r]) => reportStats(r));
    const labels = stats[0]!.map(([k]) => k);
    const table = sideBySide(entries.map(([n]) => n), labels.map((k, i) => [k, stats.map((s) => s[i]?.[1] ?? '')]));
    const curves = entries.map(([name, r]) => ({
      name,
      t: Array.from(r.timeline.times, (ms) => ms / 1000),
      v: Array.from(r.value, (x) => (Number.isFinite(x) && r.startValue ? (x / r.startValue - 1) * 100 : null)),
    }));
    html = page(title, `<h2>Return (%) from each start</h2><div id="curves"></div><h2>Statistics</h2>${table}`, { curves });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}
