/** Access to backtrader's reference outputs (shared/oracle beside the checkout). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The oracle directory: `$FERROTRADE_ORACLE` or `../shared/oracle` beside the repository. */
export const oracleDir = process.env.FERROTRADE_ORACLE ?? resolve(repoRoot, '../shared/oracle');

export function oraclePath(...parts: string[]): string {
  const p = resolve(oracleDir, ...parts);
  if (!existsSync(p)) throw new Error(`oracle file missing: ${p} (set FERROTRADE_ORACLE to the oracle directory)`);
  return p;
}

export function readOracle<T = any>(...parts: string[]): T {
  return JSON.parse(readFileSync(oraclePath(...parts), 'utf8')) as T;
}

/** Relative tolerance of every parity comparison. */
export const REL_TOL = 1e-9;

/** Compares a number with an oracle value (`null` = NaN) to 1e-9 relative. */
export function expectNum(actual: number, expected: number | null, where: string): void {
  if (expected === null) {
    expect(Number.isNaN(actual), `${where}: expected NaN (null), got ${actual}`).toBe(true);
    return;
  }
  const scale = Math.max(Math.abs(expected), Math.abs(actual), 1e-300);
  const ok = actual === expected || Math.abs(actual - expected) / scale <= REL_TOL;
  expect(ok, `${where}: expected ${expected}, got ${actual}`).toBe(true);
}
