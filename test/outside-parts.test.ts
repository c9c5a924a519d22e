/**
 * A test needing a part that is not installed is skipped with one loud line naming what to
 * install, and FERROTRADE_REQUIRE_ALL=1 (set by .ci/run) turns that skip into a failure.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function runFixture(requireAll: boolean) {
  const env = { ...process.env, FERROTRADE_REQUIRE_ALL: requireAll ? '1' : '0', FORCE_COLOR: '0', NO_COLOR: '1' };
  return spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/fixtures/outside-parts/vitest.config.ts'], {
    cwd: root, env, encoding: 'utf8', timeout: 60_000,
  });
}

describe('tests that need an outside part', () => {
  it('are skipped with a loud line naming what to install', () => {
    const r = runFixture(false);
    expect(r.status).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/SKIPPED "talks to the moon": needs a server on the moon \(no route to the moon\)\. Install: apt-get install moon-server/);
    expect(out).toMatch(/1 passed \| 1 skipped/);
  });

  it('fail under FERROTRADE_REQUIRE_ALL=1', () => {
    const r = runFixture(true);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/FERROTRADE_REQUIRE_ALL=1 makes a missing part a failure/);
  });
});
