/**
 * Native memory goes with its JavaScript object: 500 loads of a 10k-row file, or 500 order
 * books, leave resident memory bounded. Each kind runs in a process of its own
 * (benches/leak/probe.ts, also what `benches/leak.ts` reports).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('../benches/leak/probe.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-leak-'));

/**
 * A leak of the size once seen (600 KB a load) adds 150 MB over the second 250 loads; the
 * allocator's plateau (reached in the first half) does not grow there.
 */
const BOUND_MB = 60;

describe('native memory over 500 loads', () => {
  it.each(['backtraderCsv', 'level2Csv', 'fromColumns', 'resample', 'orderBook'])('%s keeps RSS bounded', (kind) => {
    const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', PROBE, kind, '500', dir], { encoding: 'utf8', timeout: 120_000 });
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.trim()) as { second_half_growth_mb: number; loads: number };
    expect(out.loads).toBe(500);
    expect(out.second_half_growth_mb).toBeLessThan(BOUND_MB);
  });
});
