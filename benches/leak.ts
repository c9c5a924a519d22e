/**
 * Resident memory after 500 loads of every feed type (and 500 order books), each kind in a
 * process of its own (`benches/leak/probe.ts`): a load whose native memory outlived its
 * JavaScript object would show as growth proportional to the loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { machineInfo, progress, type BenchOptions } from './lib/bench.js';

const PROBE = fileURLToPath(new URL('./leak/probe.ts', import.meta.url));
const KINDS = ['backtraderCsv', 'genericCsv', 'yahooCsv', 'level2Csv', 'fromColumns', 'resample', 'arrow', 'parquet', 'orderBook'] as const;

export async function leakBench(_options: BenchOptions): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-leak-bench-'));
  const results = KINDS.map((kind) => {
    progress(`leak: 500 loads of ${kind}`);
    const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', PROBE, kind, '500', dir], { encoding: 'utf8', timeout: 600_000 });
    if (res.status !== 0) return { kind, error: res.stderr.trim().split('\n').pop() };
    return JSON.parse(res.stdout.trim()) as object;
  });
  return { bench: 'leak', machine: machineInfo(), loads: 500, results };
}
