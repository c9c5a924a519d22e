/**
 * The `ferrotrade` command, run from source in a child process as a user runs it, for the CLI
 * tests against the local venue servers: what it printed and how it exited.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

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
