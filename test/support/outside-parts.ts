/**
 * Tests that need a part from outside the repository (a browser, a server) run when it is there,
 * and are skipped with one loud line naming what to install when it is not. CI sets
 * FERROTRADE_REQUIRE_ALL=1, which turns every such skip into a failure, so a green CI run has
 * run them all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** Something a test needs that `npm ci` does not bring. */
export interface OutsidePart {
  /** What it is, e.g. `Chromium at /usr/bin/chromium`. */
  name: string;
  /** How to get it on a Debian machine (what `.ci/run` does). */
  install: string;
  /** Why it is not usable here, or `undefined` when it is. */
  missing(): string | undefined;
  /** An environment variable that skips it on purpose (a skip all the same). */
  skipVar?: string;
}

export const requireAll = process.env.FERROTRADE_REQUIRE_ALL === '1';

/** Whether a TCP server answers on 127.0.0.1:`port` (checked in a child: describe blocks are synchronous). */
export function listening(port: number): boolean {
  const probe = `const s=require('net').connect(${port},'127.0.0.1');s.setTimeout(1000);` +
    `s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
}

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const chromium: OutsidePart = {
  name: `Chromium at ${CHROMIUM_PATH}`,
  install: 'apt-get install chromium',
  skipVar: 'FERROTRADE_SKIP_BROWSER',
  missing: () => (existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} not found`),
};

export const redis: OutsidePart = {
  name: 'Redis on 127.0.0.1:6379',
  install: 'apt-get install redis-server && redis-server --daemonize yes --bind 127.0.0.1',
  skipVar: 'FERROTRADE_SKIP_REDIS',
  missing: () => (listening(6379) ? undefined : 'nothing answers on 127.0.0.1:6379'),
};

/**
 * Whether tests needing `part` should be skipped here; prints the loud line when so. Under
 * FERROTRADE_REQUIRE_ALL=1 it never skips: {@link describeNeeding} fails instead.
 */
export function whyMissing(part: OutsidePart): string | undefined {
  if (part.skipVar && process.env[part.skipVar] && process.env[part.skipVar] !== '0') return `${part.skipVar} is set`;
  return part.missing();
}

/**
 * `describe(title, body)` when `part` is there. When it is not: one loud line naming what to
 * install and a skipped block, or, under FERROTRADE_REQUIRE_ALL=1, a failing test that says so.
 */
export function describeNeeding(part: OutsidePart, title: string, body: () => void): void {
  const why = whyMissing(part);
  if (why === undefined) {
    describe(title, body);
    return;
  }
  const line = `SKIPPED "${title}": needs ${part.name} (${why}). Install: ${part.install}`;
  if (requireAll) {
    describe(title, () => {
      it(`has ${part.name}`, () => {
        throw new Error(`${line}. FERROTRADE_REQUIRE_ALL=1 makes a missing part a failure.`);
      });
    });
    return;
  }
  process.stderr.write(`\n!!!!! ${line} (FERROTRADE_REQUIRE_ALL=1 makes this a failure)\n\n`);
  describe.skip(title, body);
}
