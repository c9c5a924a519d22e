import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataFeed } from '../feeds/datafeed.js';
import type { RunResult } from '../engine/result.js';

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Title shown at the top (default: the strategy's class name). */
  title?: string;
}

const W = 1000;
const H = 260;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An SVG polyline of `values` scaled into the chart box (NaN gaps break the line). */
function path(values: Float64Array, lo: number, hi: number): string {
  const n = values.length;
  const span = hi - lo || 1;
  const parts: string[] = [];
  let pen = 'M';
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      pen = 'M';
      continue;
    }
    parts.push(`${pen}${((i / Math.max(1, n - 1)) * W).toFixed(1)},${(H - ((v - lo) / span) * H).toFixed(1)}`);
    pen = 'L';
  }
  return parts.join('');
}

function range(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

function iso(ms: number): string {
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10);
}

/**
 * Writes a self-contained HTML file (no network, no scripts) for one run: the close with
 * buy/sell markers, the equity curve, summary numbers and the trades and orders tables.
 */
export function writeReport(file: string, result: RunResult, data?: DataFeed, options: ReportOptions = {}): void {
  data ??= result.datas[0]!;
  const close = data.columns.close;
  const [plo, phi] = range(close);
  const [vlo, vhi] = range(result.value);
  const n = close.length;
  const x = (bar: number) => ((bar / Math.max(1, n - 1)) * W).toFixed(1);
  const y = (v: number) => (H - ((v - plo) / (phi - plo || 1)) * H).toFixed(1);
  const markers = result.orders
    .flatMap((o) => o.history.filter((h) => h.fill).map((h) => ({ buy: o.isBuy(), bar: h.fill!.bar, price: h.fill!.price })))
    .map(
      (m) =>
        `<circle class="${m.buy ? 'buy' : 'sell'}" cx="${x(m.bar)}" cy="${y(m.price)}" r="4"><title>${m.buy ? 'buy' : 'sell'} ${m.price}</title></circle>`,
    )
    .join('');
  const start = result.value[0] ?? result.finalValue;
  const ret = start ? (result.finalValue / start - 1) * 100 : 0;
  const wins = result.trades.filter((t) => t.pnlcomm > 0).length;
  const title = options.title ?? result.strategy.constructor.name;
  const rows = result.trades
    .map(
      (t) =>
        `<tr><td>${t.ref}</td><td>${t.long ? 'long' : 'short'}</td><td>${iso(t.dtopen)}</td><td>${iso(t.dtclose)}</td><td>${t.price.toFixed(4)}</td><td>${t.pnl.toFixed(2)}</td><td>${t.pnlcomm.toFixed(2)}</td><td>${t.barlen}</td></tr>`,
    )
    .join('');
  const orderRows = result.orders
    .map(
      (o) =>
        `<tr><td>${o.ref}</td><td>${o.isBuy() ? 'buy' : 'sell'}</td><td>${o.getOrdertypeName()}</td><td>${o.size}</td><td>${iso(o.created.dt)}</td><td>${o.getStatusName()}</td><td>${o.executed.bar >= 0 ? o.executed.price.toFixed(4) : ''}</td><td>${o.executed.comm.toFixed(2)}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg{width:100%;height:auto;background:#fafafa;border:1px solid #ddd}
.buy{fill:#1a7f37}.sell{fill:#cf222e}table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px}dt{color:#666}</style></head><body>
<h1>${escapeHtml(title)} on ${escapeHtml(data.name)}</h1>
<dl id="stats"><dt>Bars</dt><dd>${result.bars}</dd><dt>Final value</dt><dd>${result.finalValue.toFixed(2)}</dd>
<dt>Return</dt><dd>${ret.toFixed(2)} %</dd><dt>Closed trades</dt><dd>${result.trades.length}</dd>
<dt>Winning trades</dt><dd>${wins}</dd><dt>Orders</dt><dd>${result.orders.length}</dd></dl>
<h2>Close and fills</h2><svg id="price" viewBox="0 0 ${W} ${H}"><path d="${path(close, plo, phi)}" fill="none" stroke="#0969da"/>${markers}</svg>
<h2>Equity</h2><svg id="equity" viewBox="0 0 ${W} ${H}"><path d="${path(result.value, vlo, vhi)}" fill="none" stroke="#8250df"/></svg>
<h2>Trades</h2><table id="trades"><tr><th>ref</th><th>side</th><th>open</th><th>close</th><th>price</th><th>pnl</th><th>pnl net</th><th>bars</th></tr>${rows}</table>
<h2>Orders</h2><table id="orders"><tr><th>ref</th><th>side</th><th>type</th><th>size</th><th>created</th><th>status</th><th>price</th><th>comm</th></tr>${orderRows}</table>
</body></html>`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}
