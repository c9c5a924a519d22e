/**
 * Runs a script in a process of its own, for faults that would kill the test runner (a crash
 * in native code, an abort on memory): the test reads how the process ended.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INDEX = fileURLToPath(new URL('../../ts/index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-isolated-'));
let count = 0;

export interface Ended {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `body` (TypeScript with `ferrotrade` bound to the package's exports, top-level await
 * allowed) in a fresh Node process. `nodeArgs` go before the script (e.g. a heap limit).
 */
export function runIsolated(body: string, options: { nodeArgs?: string[]; timeoutMs?: number; env?: Record<string, string> } = {}): Ended {
  const file = join(dir, `script-${process.pid}-${count++}.mts`);
  writeFileSync(file, `import * as ferrotrade from ${JSON.stringify(INDEX)};\n${body}\n`);
  const res = spawnSync(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, ...options.env },
  });
  return { status: res.status, signal: res.signal, stdout: res.stdout, stderr: res.stderr };
}
