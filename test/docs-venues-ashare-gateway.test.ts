/** The A-share gateway example of docs/venues.md runs against the local gateway and prints what the page says. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(root, 'docs/venues.md'), 'utf8');
const blocks = [...page.matchAll(/```(ts)?\n([\s\S]*?)```/g)];
const at = blocks.findIndex((m) => m[1] === 'ts' && m[2]!.includes('startAShareGatewayServer'));

it('docs/venues.md: the A-share gateway example refuses an odd lot and a T+1 sale and fills a lot, as printed', () => {
  expect(at).toBeGreaterThanOrEqual(0);
  const src = blocks[at]![2]!
    .replace(/from 'ferrotrade'/g, `from '${join(root, 'ts/index.ts')}'`)
    .replace(/from '\.\/test\/venues\/ashare-gateway-server\.js'/, `from '${join(root, 'test/venues/ashare-gateway-server.ts')}'`);
  const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-docs-ashare-')), 'block.mts');
  writeFileSync(file, src);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // the block after it is the output the page shows
  expect(r.stdout.trim()).toBe(blocks[at + 1]![2]!.trim());
});
