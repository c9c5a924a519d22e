/** The Alpaca example of docs/venues.md runs against the local Alpaca server and prints what the page says. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(root, 'docs/venues.md'), 'utf8');
const block = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('startAlpacaServer'));

it('docs/venues.md: the local Alpaca server example fills the limit and shows the position', () => {
  expect(block).toBeDefined();
  const src = block!
    .replace(/from 'ferrotrade'/g, `from '${join(root, 'ts/index.ts')}'`)
    .replace(/from '\.\/test\/venues\/alpaca-server\.js'/, `from '${join(root, 'test/venues/alpaca-server.ts')}'`);
  const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-docs-alpaca-')), 'block.mts');
  writeFileSync(file, src);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('fill 5 @ 98.5');
  expect(r.stdout).toContain("{ symbol: 'AAPL', size: 5, avgPrice: 98.5 }");
});
