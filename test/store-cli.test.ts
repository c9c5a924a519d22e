/** `ferrotrade runs list|show|compare` over a store holding two saved backtests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cerebro, feeds, openStore, runStats } from '../ts/index.js';
import { SmaCross } from '../examples/sma-cross.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'ferrotrade-cli-')), 'runs.db')}`;
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'runs', ...args], { cwd: root, encoding: 'utf8' });

beforeAll(async () => {
  const store = await openStore(url);
  for (const [id, fast] of [['fast-5', 5], ['fast-10', 10]] as const) {
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(join(root, 'examples/data/sample-daily.csv')));
    cerebro.broker.setCash(100_000);
    cerebro.addStrategy(SmaCross, { fast, slow: 30 });
    await cerebro.run({ store, runId: id });
  }
  await store.close();
});

describe('ferrotrade runs', () => {
  it('list shows the saved runs, newest first', () => {
    const r = cli('list', '--store', url);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+kind\s+strategy\s+started\s+final value\s+params$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['fast-10', 'fast-5']);
    expect(r.stdout).toContain('{"fast":5,"slow":30,"stake":10}');
  });

  it('show prints the results and the trades of one run, matching the stored record', async () => {
    const store = await openStore(url);
    const run = (await store.loadRun('fast-5'))!;
    await store.close();
    const s = runStats(run);
    const r = cli('show', 'fast-5', '--store', url);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('run fast-5 (backtest)');
    expect(r.stdout).toMatch(new RegExp(`final value\\s+${s.finalValue!.toFixed(2)}`));
    expect(r.stdout).toMatch(new RegExp(`closed trades\\s+${s.trades}\\n`));
    expect(r.stdout.split('\n').filter((l) => /^\d+\s+sample-daily/.test(l)).length).toBe(run.trades.length);
    const json = JSON.parse(cli('show', 'fast-5', '--store', url, '--json').stdout);
    expect(json.stats).toEqual(s);
  });

  it('compare puts runs side by side with their differing parameters', () => {
    const r = cli('compare', 'fast-5', 'fast-10', '--store', url);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/param fast\s+5\s+10/);
    expect(r.stdout).toMatch(/param slow\s+30\s+30/);
    expect(r.stdout).toMatch(/return %\s+-?\d+\.\d\d\s+-?\d+\.\d\d/);
  });

  it('an unknown run id or a missing argument is an error that says what to do', () => {
    const r = cli('show', 'nope', '--store', url);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no run 'nope'");
    expect(r.stderr).toContain('ferrotrade runs list');
    expect(cli('compare', 'fast-5', '--store', url).stderr).toContain('two run ids or more');
  });
});
