/**
 * What commands print: colours only on a terminal (and never with NO_COLOR), aligned tables,
 * JSON for scripts.
 */
import pc from 'picocolors';

/** Colours for `stream`: on only when it is a terminal and NO_COLOR is unset (FORCE_COLOR forces them). */
export function colorsFor(stream: NodeJS.WriteStream = process.stdout): ReturnType<typeof pc.createColors> {
  const forced = Boolean(process.env.FORCE_COLOR) && process.env.FORCE_COLOR !== '0';
  return pc.createColors(forced || (Boolean(stream.isTTY) && !process.env.NO_COLOR));
}

/** A plain-text table with a header, columns padded (numbers right-aligned). */
export function formatTable(header: string[], rows: (string | number)[][], bold: (s: string) => string = (s) => s): string {
  const text = rows.map((r) => r.map((v) => (typeof v === 'number' ? formatNumber(v) : v)));
  const widths = header.map((h, k) => Math.max(h.length, ...text.map((r) => r[k]!.length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((c, k) => (numeric[k] ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ').trimEnd();
  const numeric = header.map((_, k) => rows.length > 0 && rows.every((r) => typeof r[k] === 'number'));
  return [bold(line(header, numeric)), ...text.map((r) => line(r, numeric))].join('\n') + '\n';
}

/** A number for a table: up to 4 decimals, no trailing zeros; NaN as '-'. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

/** Prints `value` as JSON on stdout (NaN and infinities as null), one document per call. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}
