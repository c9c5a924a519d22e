/**
 * `ferrotrade blotter`: a paper session (`ferrotrade live`) writes its journal in one child
 * process while `blotter --follow` in another shows its orders as they happen; then the static
 * table and JSON agree with the journal itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../ts/store/journal.js';
import { blotterRow, latestOrders } from '../ts/blotter/index.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'ts', 'cli', 'main.ts');
const strategy = join(root, 'test', 'fixtures', 'live-churn.ts');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-blotter-'));
const journal = join(dir, 'journal.db');
const env = { ...process.env, FERROTRADE_LOG_LEVEL: 'info', NO_COLOR: '1' };
const children: ChildProcess[] = [];
const start = (args: string[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env });
  children.push(child);
  return child;
};
const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (c) => r(c))));

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('ferrotrade blotter', () => {
  it('--follow shows the orders of a running paper session as it places them', async () => {
    // The follower starts first: it waits for the session to create the journal.
    const follower = start(['blotter', '--store', `sqlite:${journal}`, '--follow', '--json', '--interval', '50']);
    const events: { row: Record<string, unknown>; sessionRunning: boolean }[] = [];
    let session: ChildProcess | undefined;
    let buffered = '';
    let followerErr = '';
    follower.stderr!.on('data', (b) => (followerErr += b));
    follower.stdout!.on('data', (chunk) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        events.push({ row: JSON.parse(buffered.slice(0, nl)), sessionRunning: session?.exitCode === null });
        buffered = buffered.slice(nl + 1);
      }
    });
    session = start(['live', strategy, '--source', 'synthetic:5', '--speed', '300', '--store', `sqlite:${journal}`]);
    let sessionErr = '';
    session.stderr!.on('data', (b) => (sessionErr += b));

    // Wait until the follower has shown three completed orders.
    const deadline = Date.now() + 60_000;
    while (events.filter((e) => e.row.status === 'Completed').length < 3) {
      if (Date.now() > deadline) throw new Error(`no fills followed; session stderr: ${sessionErr}; blotter stderr: ${followerErr}`);
      if (session.exitCode !== null) throw new Error(`the session ended early (${session.exitCode}): ${sessionErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Seen while the session was still trading: shown as they happened, not read at the end.
    const completed = events.filter((e) => e.row.status === 'Completed');
    expect(completed.slice(0, 3).every((e) => e.sessionRunning)).toBe(true);

    session.kill('SIGINT');
    expect(await exited(session)).toBe(0);
    expect(followerErr).toBe('');
    // Let the follower read the last entries, then stop it as a user would.
    await new Promise((r) => setTimeout(r, 500));
    follower.kill('SIGINT');
    expect(await exited(follower)).toBe(0);

    // Exactly the journal's order entries, in order, none lost, none twice.
    const j = openJournal(journal);
    const expected = j.read().flatMap((r) => blotterRow(r) ?? []);
    j.close();
    expect(events.map((e) => e.row.seq)).toEqual(expected.map((r) => r.seq));
    const first = events[0]!.row;
    expect(first).toMatchObject({ kind: 'intent', ref: 1, symbol: 'synthetic', side: 'buy', size: 1, type: 'Market', status: 'Submitted', session: 'Churn' });
    const fill = completed[0]!.row;
    expect(fill.filled).toBe(1);
    expect(fill.fill).toMatchObject({ size: 1 });
    expect(fill.avgPrice).toBe((fill.fill as { price: number }).price);
  }, 120_000);

  it('prints every order once with its last status; --json gives the same orders', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'blotter', '--store', `sqlite:${journal}`, ...args], { cwd: root, env, encoding: 'utf8' });
    const j = openJournal(journal);
    const orders = latestOrders(j.read().flatMap((r) => blotterRow(r) ?? []));
    j.close();
    expect(orders.length).toBeGreaterThanOrEqual(3);

    const table = run();
    expect(table.status).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^time\s+client id\s+symbol\s+side\s+size\s+type\s+price\s+status\s+filled\s+avg price$/);
    expect(lines).toHaveLength(orders.length + 1);
    for (const o of orders) expect(lines.find((l) => l.includes(` ${o.clientOrderId} `)), o.clientOrderId).toMatch(new RegExp(`synthetic\\s+${o.side}\\s+1\\s+Market\\s+-\\s+${o.status}`));

    const json = JSON.parse(run('--json').stdout);
    expect(json.map((o: { clientOrderId: string; status: string }) => [o.clientOrderId, o.status])).toEqual(orders.map((o) => [o.clientOrderId, o.status]));
    expect(JSON.parse(run('--json', '--session', 'Nobody').stdout)).toEqual([]);
  });

  it('a missing journal exits 1, a non-SQLite store 2, and --help shows an example', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'blotter', ...args], { cwd: root, env, encoding: 'utf8' });
    const missing = run('--store', `sqlite:${join(dir, 'none.db')}`);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no journal at');
    const pg = run('--store', 'postgres://127.0.0.1/test');
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain('--store takes sqlite:<file>');
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--follow');
    expect(help.stdout).toContain('$ ferrotrade blotter --store sqlite:journal.db');
  });
});
