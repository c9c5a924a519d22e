/**
 * `ferrotrade backtest` and `ferrotrade live` as child processes: the same strategy file and data
 * give the same summary; a live session on the synthetic source stops gracefully on SIGINT.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../ts/store/journal.js';
import { oraclePath } from './support/oracle.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'ts', 'cli', 'main.ts');
const strategy = join(root, 'test', 'fixtures', 'live-sma-cross.ts');
const data = oraclePath('data', '2006-day-001.txt');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-cli-live-'));
const env = { ...process.env, FERROTRADE_LOG_LEVEL: 'warn' };
const ferrotrade = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', cwd: root, env, timeout: 60_000 });

describe('ferrotrade backtest / live', () => {
  it('print the same summary for the same file: backtest, and paper trading on its replay', () => {
    const bt = ferrotrade(['backtest', strategy, '--data', data, '--json', join(dir, 'bt.json')]);
    expect(bt.status, bt.stderr).toBe(0);
    const lv = ferrotrade(['live', strategy, '--paper', '--source', `replay:${data}`, '--store', `sqlite:${join(dir, 'j.db')}`, '--json', join(dir, 'lv.json')]);
    expect(lv.status, lv.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'bt.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'lv.json'), 'utf8'));
    expect(a.mode).toBe('backtest');
    expect(b.mode).toBe('paper');
    expect(a.orders).toBeGreaterThan(4);
    for (const k of ['strategy', 'bars', 'orders', 'fills', 'trades', 'openOrders', 'startValue', 'finalValue', 'finalCash', 'pnl']) expect(b[k], k).toBe(a[k]);
    expect(b.reason).toBe('ended');
    expect(b.sources['2006-day-001.txt'].bars).toBe(a.bars);
    // Both print the same lines (the mode aside).
    const lines = (out: string) => out.split('\n').filter((l) => l && !l.startsWith('mode') && !l.startsWith('reason'));
    expect(lines(lv.stdout)).toEqual(lines(bt.stdout));
    const j = openJournal(join(dir, 'j.db'));
    expect(j.read({ kind: 'intent' })).toHaveLength(a.orders);
    j.close();
  });

  it('stops a live session on SIGINT with its summary', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'live', strategy, '--source', 'synthetic:3', '--speed', '200', '--json', join(dir, 'sig.json')], { cwd: root, env: { ...env, FERROTRADE_LOG_LEVEL: 'info' } });
    let err = '';
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the session did not start: ${err}`)), 30_000);
      child.stderr.on('data', (b) => {
        err += b;
        if (err.includes('session trading')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, err).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'sig.json'), 'utf8'));
    expect(s.reason).toBe('signal');
    expect(s.sources.synthetic.ticks).toBeGreaterThan(0);
    expect(out).toMatch(/reason\s+signal/);
  }, 60_000);

  it('refuses an unknown broker and a bad store by name', () => {
    const r = ferrotrade(['live', strategy, '--broker', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no broker adapter named 'nowhere'/);
    const s = ferrotrade(['live', strategy, '--store', 'postgres://x']);
    expect(s.stderr).toMatch(/--store takes sqlite:<file>/);
  });
});
