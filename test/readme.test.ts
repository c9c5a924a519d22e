/** The README's first strategy runs as printed, from the checkout, on the data it names. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it('runs the first strategy as printed, on shipped data', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const code = /## A strategy\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    // Inside the checkout `'ferrotrade'` resolves to this package itself (dist/), as for a user.
    const dir = join(root, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-first-strategy.ts');
    writeFileSync(file, code!);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    const [finalValue, trades] = r.stdout.trim().split(/\s+/).map(Number);
    expect(r.status).toBe(0);
    expect(trades).toBeGreaterThan(0);
    expect(finalValue).not.toBe(100_000);
  });
});
