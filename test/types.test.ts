/**
 * The shipped declarations as a user's compiler reads them: a strict project with
 * `skipLibCheck: false` that imports `ferrotrade` (ESM and CommonJS) type-checks against dist/,
 * typed analyzer results, sweep rows, sort keys, brackets and trades included, and the mistakes
 * marked `@ts-expect-error` there do not compile. Needs dist/ (`npm run build:ts`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(`${root}dist/index.d.ts`);
if (!built) process.stderr.write('\n!!!!! SKIPPED the declaration check: dist/ is missing (npm run build:ts)\n\n');

describe.skipIf(!built)('declarations in a strict user project', () => {
  it('type-check with skipLibCheck false, and reject the marked mistakes', () => {
    const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/fixtures/user-types'], {
      cwd: root, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
