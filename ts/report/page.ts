/** @internal what every report page shares: the inlined charting library and safe embedding. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let chartsLibrary: string | undefined;

/** The standalone production build of lightweight-charts, read once from node_modules. */
export function chartsSource(): string {
  if (chartsLibrary === undefined) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('lightweight-charts/package.json'));
    chartsLibrary = readFileSync(join(dir, 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
  }
  return chartsLibrary;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Script text safe inside a `<script>` element. */
export const inScript = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1');
/** JSON safe inside a `<script>` element: no `<` at all. */
export const jsonInScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

