/**
 * The `ferrotrade` command, run from source in a child process as a user runs it, for the CLI
 * tests against the local venue servers: what it printed and how it exited.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The repository's root (the child's working directory). */
export const repoRoot = join(import.meta.dirname, '..', '..');
const cli = join(repoRoot, 'ts', 'cli', 'main.ts');

/** How a `ferrotrade` run ended. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ferrotrade ...args` with this process's environment, logging at `warn`, and `env` on
 * top (keys, another log level); resolves when it exits.
 */
export function ferrotradeCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: repoRoot, env: { ...process.env, FERROTRADE_LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })));
}

/**
 * Runs `ferrotrade backtest <strategy> --data <csv>` and holds the summary a
 * `ferrotrade live --paper-prices ... --json <dir>/lv.json` run wrote to it: a paper session that
 * ended after `liveBars` bars, with the backtest's orders, fills, trades, open orders, final
 * value, cash and P&L, bit for bit (and more than two orders, so the comparison means something).
 */
export async function expectPaperRunIsBacktest(strategy: string, csv: string, dir: string, liveBars: number): Promise<void> {
  const bt = await ferrotradeCli(['backtest', strategy, '--data', csv, '--json', join(dir, 'bt.json')]);
  expect(bt.status, bt.stderr).toBe(0);
  const a = JSON.parse(readFileSync(join(dir, 'bt.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(dir, 'lv.json'), 'utf8'));
  expect(b.mode).toBe('paper');
  expect(b.reason).toBe('ended');
  expect(a.orders).toBeGreaterThan(2);
  expect(b.bars).toBe(liveBars);
  for (const k of ['orders', 'fills', 'trades', 'openOrders', 'finalValue', 'finalCash', 'pnl']) expect(b[k], k).toBe(a[k]);
}
