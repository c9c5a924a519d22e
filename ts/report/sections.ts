/**
 * The tearsheet sections of the report that are plain HTML: the monthly and yearly returns
 * heatmap, the worst drawdown periods and the distribution of bar returns (an inline SVG).
 * @internal
 */
import type { RunResult } from '../engine/result.js';
import { barReturns, drawdownPeriods, histogram, periodReturns } from './tearsheet.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Green for gains, red for losses, stronger with the size (full at ±`scale` percent). */
function heat(r: number | null, scale: number): string {
  if (r === null || !Number.isFinite(r)) return '';
  const a = Math.min(1, Math.abs(r) / scale) * 0.75 + 0.05;
  return r >= 0 ? `background:rgba(26,127,55,${a.toFixed(2)})` : `background:rgba(207,34,46,${a.toFixed(2)})`;
}

const fmt = (r: number | null) => (r === null || !Number.isFinite(r) ? '' : r.toFixed(2));
const day = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? 'not recovered' : new Date(ms).toISOString().slice(0, 10));

/** Monthly returns per year with the year's return, as a heatmap table. */
export function monthlyReturnsSection(result: RunResult): string {
  const { years, monthly, yearly } = periodReturns(result);
  const all = monthly.flat().filter((x): x is number => x !== null && Number.isFinite(x));
  const scale = Math.max(1e-9, ...all.map(Math.abs));
  const yScale = Math.max(1e-9, ...yearly.filter(Number.isFinite).map(Math.abs));
  const head = `<thead><tr><th>year</th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>year</th></tr></thead>`;
  const rows = years.map((y, k) => {
    const cells = monthly[k]!.map((r, m) => `<td data-month="${m + 1}" style="${heat(r, scale)}">${fmt(r)}</td>`).join('');
    return `<tr data-year="${y}"><th>${y}</th>${cells}<td class="yearly" style="${heat(yearly[k]!, yScale)}">${fmt(yearly[k]!)}</td></tr>`;
  });
  return `<h2>Monthly and yearly returns (%)</h2><table id="monthly-returns" class="heatmap">${head}<tbody>${rows.join('')}</tbody></table>`;
}

/** The deepest drawdown periods: peak, trough, recovery, depth and length. */
export function drawdownsSection(result: RunResult, top = 5): string {
  const rows = drawdownPeriods(result, top).map(
    (p, k) => `<tr><td>${k + 1}</td><td>${p.depth.toFixed(2)}</td><td>${day(p.peak)}</td><td>${day(p.trough)}</td><td>${day(p.recovery)}</td><td>${p.bars}</td></tr>`,
  );
  const body = rows.length ? rows.join('') : '<tr class="empty"><td colspan="6">none</td></tr>';
  return `<h2>Worst drawdowns</h2><table id="drawdowns"><thead><tr><th>#</th><th>depth %</th><th>peak</th><th>trough</th><th>recovered</th><th>bars</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** A histogram of the bar returns as an inline SVG (no script needed to draw it). */
export function distributionSection(result: RunResult): string {
  const { edges, counts } = histogram(barReturns(result.value, result.startValue));
  if (counts.length === 0) return '';
  const w = 720;
  const h = 200;
  const pad = 28;
  const max = Math.max(...counts);
  const bw = (w - 2 * pad) / counts.length;
  const bars = counts
    .map((c, k) => {
      const bh = max ? ((h - 2 * pad) * c) / max : 0;
      const color = edges[k + 1]! <= 0 ? '#cf222e' : edges[k]! >= 0 ? '#1a7f37' : '#8c959f'; // the bin across 0: neither
      return `<rect x="${(pad + k * bw).toFixed(1)}" y="${(h - pad - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${color}" data-count="${c}"><title>${edges[k]!.toFixed(3)} to ${edges[k + 1]!.toFixed(3)} %: ${c}</title></rect>`;
    })
    .join('');
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  const zero = hi > lo && lo < 0 && hi > 0 ? pad + ((0 - lo) / (hi - lo)) * (w - 2 * pad) : null;
  const axis = `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#57606a"/>` +
    `<text x="${pad}" y="${h - 8}" font-size="11">${lo.toFixed(2)} %</text>` +
    `<text x="${w - pad}" y="${h - 8}" font-size="11" text-anchor="end">${hi.toFixed(2)} %</text>` +
    (zero === null ? '' : `<line x1="${zero.toFixed(1)}" y1="${pad / 2}" x2="${zero.toFixed(1)}" y2="${h - pad}" stroke="#57606a" stroke-dasharray="3 3"/><text x="${zero.toFixed(1)}" y="${h - 8}" font-size="11" text-anchor="middle">0</text>`);
  return `<h2>Distribution of bar returns</h2><svg id="returns-distribution" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="histogram of bar returns">${bars}${axis}</svg>`;
}
