import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DataFeed } from '../feeds/datafeed.js';
import type { RunResult } from '../engine/result.js';
import { CLIENT_SCRIPT } from './client.js';
import { reportModel, reportStats, type ReportModel } from './model.js';
import { orderRows, tradeRows } from './writer.js';

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Title shown at the top (default: the strategy's class name). */
  title?: string;
}

let chartsLibrary: string | undefined;

/** The standalone production build of lightweight-charts, read once from node_modules. */
function chartsSource(): string {
  if (chartsLibrary === undefined) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('lightweight-charts/package.json'));
    chartsLibrary = readFileSync(join(dir, 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
  }
  return chartsLibrary;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Script text safe inside a `<script>` element. */
const inScript = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1');
/** JSON safe inside a `<script>` element: no `<` at all. */
const jsonInScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** An ISO time without a midnight time of day. */
const when = (iso: string | null | undefined) => iso?.replace(/T00:00:00$/, '');

const cell = (v: unknown, digits?: number): string => {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '<td></td>';
  if (typeof v === 'number') return `<td>${digits === undefined ? String(v) : v.toFixed(digits)}</td>`;
  return `<td>${escapeHtml(String(v))}</td>`;
};

function table(id: string, header: string[], rows: string[]): string {
  const head = `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.length ? rows.join('') : `<tr class="empty"><td colspan="${header.length}">none</td></tr>`;
  return `<table id="${id}">${head}<tbody>${body}</tbody></table>`;
}

/** Short analyses are listed in full; per-bar ones by size. */
function analyzersSection(analyses: Record<string, unknown>): string {
  const entries = Object.entries(analyses);
  if (!entries.length) return '';
  const items = entries.map(([name, analysis]) => {
    const text = JSON.stringify(analysis, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1);
    const body = text.length <= 4000 ? `<pre>${escapeHtml(text)}</pre>` : `<p>${Object.keys(analysis as object).length} entries (see writeCsv / toJSON)</p>`;
    return `<details class="analyzer" data-name="${escapeHtml(name)}"><summary>${escapeHtml(name)}</summary>${body}</details>`;
  });
  return `<h2>Analyzers</h2>${items.join('')}`;
}

/**
 * Everything a report page shows, as plain data: what `toJSON(result).report` saves, so that a
 * saved run gives the same page (`ferrotrade report run.json`).
 */
export interface ReportParts {
  title: string;
  model: ReportModel;
  stats: [string, string][];
  trades: ReturnType<typeof tradeRows>;
  orders: ReturnType<typeof orderRows>;
  analyzers: Record<string, unknown>;
}

/** The parts of the report of `result` (see {@link writeReport} for `data` and `options`). */
export function reportParts(result: RunResult, data?: DataFeed, options: ReportOptions = {}): ReportParts {
  const datas = data ? [data] : result.datas;
  const title = options.title ?? result.strategy.constructor.name;
  return {
    title,
    model: reportModel(result, datas, title),
    stats: reportStats(result),
    trades: tradeRows(result),
    orders: orderRows(result),
    analyzers: Object.fromEntries(Object.entries(result.analyzers).map(([name, a]) => [name, a.getAnalysis()])),
  };
}

/**
 * Writes one self-contained HTML file for a run that works offline: per data a candlestick
 * chart with volume, the strategy's indicators (over the price when they share its range, in
 * their own pane otherwise) and a marker per fill; the equity curve with a drawdown pane; a
 * stats table; the trades and orders tables; the analyzers. Charts are drawn with
 * lightweight-charts, inlined into the file.
 *
 * `data` limits the charts to that data (default: every data of the run).
 *
 * ```ts
 * const [result] = cerebro.run();
 * writeReport('out/report.html', result);   // or cerebro.report('out/report.html')
 * ```
 */
export function writeReport(file: string, result: RunResult, data?: DataFeed, options: ReportOptions = {}): void {
  writeReportParts(file, reportParts(result, data, options));
}

/** Writes the report page of `parts` (from {@link reportParts}, or a saved run's `report`). */
export function writeReportParts(file: string, parts: ReportParts): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderReport(parts));
}

/** The HTML of a report page. */
export function renderReport(parts: ReportParts): string {
  const { model, title } = parts;
  const stats = parts.stats
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const trades = parts.trades.map(
    (t) =>
      `<tr data-ref="${t.ref}">${cell(t.ref)}${cell(t.data)}${cell(t.side)}${cell(t.status)}${cell(when(t.opened))}${cell(when(t.closed))}${cell(t.price, 4)}${cell(t.pnl, 2)}${cell(t.pnlcomm, 2)}${cell(t.commission, 2)}${cell(t.barlen)}</tr>`,
  );
  const orders = parts.orders.map(
    (o) =>
      `<tr data-ref="${o.ref}">${cell(o.ref)}${cell(o.data)}${cell(o.side)}${cell(o.type)}${cell(o.size)}${cell(o.price, 4)}${cell(when(o.created))}${cell(o.status)}${cell(when(o.executed))}${cell(o.executedPrice, 4)}${cell(o.commission, 2)}</tr>`,
  );
  const charts = model.charts
    .map((c, k) => `<section class="data"><h2>${escapeHtml(c.name)}</h2><div class="chart" id="chart-${k}" data-name="${escapeHtml(c.name)}"></div></section>`)
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#24292f;max-width:1200px}.chart{width:100%;border:1px solid #d0d7de;margin-bottom:8px}
table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:right}#stats th{text-align:left;font-weight:normal;color:#57606a}
thead th{background:#f6f8fa}pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:320px}details{margin:4px 0}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<h2>Summary</h2><table id="stats"><tbody>${stats}</tbody></table>
${charts}
<section><h2>Equity and drawdown</h2><div class="chart" id="equity"></div></section>
<h2>Trades</h2>${table('trades', ['ref', 'data', 'side', 'status', 'opened', 'closed', 'price', 'pnl', 'pnl net', 'commission', 'bars'], trades)}
<h2>Orders</h2>${table('orders', ['ref', 'data', 'side', 'type', 'size', 'price', 'created', 'status', 'executed', 'exec price', 'commission'], orders)}
${analyzersSection(parts.analyzers)}
<script type="application/json" id="report-data">${jsonInScript(model)}</script>
<script>${inScript(chartsSource())}</script>
<script>${inScript(CLIENT_SCRIPT)}</script>
</body></html>`;
  return html;
}
