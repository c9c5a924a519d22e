/**
 * `ferrotrade run` with two roles (a paper session and its dashboard) in one child process,
 * watched in the real Chromium: the page shows an order the session places after the page
 * loaded; the kill switch is refused without the token and trips with it; SIGTERM stops both
 * roles with exit 0. Also: a bad configuration exits 2 naming the key, before anything starts;
 * `ferrotrade dashboard` alone follows a session's journal from another process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../ts/store/journal.js';
import { CHROMIUM_PATH, chromium as chromiumPart, describeNeeding } from './support/outside-parts.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'ts', 'cli', 'main.ts');
const strategy = join(root, 'test', 'fixtures', 'live-churn.ts');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-run-'));
const TOKEN = 'test-token-7f3a9c1e5b2d4f60a8';
const env = { ...process.env, FERROTRADE_LOG_LEVEL: 'warn', NO_COLOR: '1', FERROTRADE_DASHBOARD_TOKEN: TOKEN };
const children: ChildProcess[] = [];

function start(args: string[]): { child: ChildProcess; stderr: () => string; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env });
  children.push(child);
  let err = '';
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /dashboard (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err + out);
      if (m) resolve(m[1]!);
    };
    child.stderr!.on('data', (b) => { err += b; look(); });
    child.stdout!.on('data', (b) => { out += b; look(); });
    child.on('exit', (code) => reject(new Error(`exited ${code} before serving: ${err}`)));
  });
  url.catch(() => {});
  return { child, stderr: () => err, url };
}
const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (c) => r(c))));
const writeConfig = (name: string, config: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
};

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('ferrotrade run: the configuration is checked before anything starts', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', ...args], { cwd: root, env, encoding: 'utf8' });

  it('an unknown key, a wrong type or a missing strategy exits 2 naming the key', () => {
    const unknown = run(writeConfig('unknown.json', { live: { strategy, sourc: 'synthetic:1' }, dashboard: { port: 0 } }));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('live.sourc: unknown key');
    const type = run(writeConfig('type.json', { live: { strategy }, dashboard: { port: 'eighty' } }));
    expect(type.status).toBe(2);
    expect(type.stderr).toMatch(/dashboard\.port: .*number/i);
    const missing = run(writeConfig('missing.json', { live: { strategy: join(dir, 'nope.ts') } }));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('live.strategy:');
    const risk = run(writeConfig('risk.json', { live: { strategy, risk: { maxOrderSize: -1 } } }));
    expect(risk.status).toBe(2);
    expect(risk.stderr).toContain('live.risk:');
    const none = run(writeConfig('none.json', {}));
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('name at least one role');
  });

  it('--check loads everything and starts nothing; --help lists the roles with an example', () => {
    const ok = run(writeConfig('ok.json', { live: { strategy }, dashboard: {} }), '--check', '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ live: { strategy, source: 'synthetic:1', cancelOnStop: false }, dashboard: { host: '127.0.0.1', port: 8765 } });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('$ ferrotrade run ferrotrade.json');
    expect(help.stdout).toMatch(/dashboard\s+\{ host\?, port\?/);
  });
});

describeNeeding(chromiumPart, 'ferrotrade run: a paper session and its dashboard, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows orders placed after the page loaded; the kill switch needs the token; SIGTERM stops both roles', async () => {
    const journal = join(dir, 'run-journal.db');
    const config = writeConfig('run.json', {
      live: { strategy, source: 'synthetic:5', speed: 300, store: `sqlite:${journal}`, session: 'churn-paper' },
      dashboard: { port: 0, title: 'churn paper' },
    });
    const { child, stderr, url: served } = start(['run', config]);
    const url = await served;
    expect(new URL(url).hostname).toBe('127.0.0.1');

    const page = await browser.newPage();
    // A script refused by the content security policy, or one that throws, shows up here.
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('link')?.textContent === 'live', undefined, { timeout: 30_000 });
    // The highest order ref the page showed when it loaded; an order after that is news.
    const refsOnPage = () => page.$$eval('#orders tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.key!.replace(/^#/, ''))));
    const atLoad = Math.max(0, ...(await refsOnPage()));
    await page.waitForFunction((n) => [...document.querySelectorAll('#orders tbody tr')].some((r) => Number((r as HTMLElement).dataset.key!.replace(/^#/, '')) > n), atLoad, { timeout: 60_000 });
    const newer = Math.max(...(await refsOnPage()));
    expect(newer).toBeGreaterThan(atLoad);
    const row = await page.$eval(`#orders tbody tr[data-key="#${newer}"]`, (r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(row.slice(1, 5)).toEqual(['synthetic', expect.stringMatching(/^(buy|sell)$/), '1', 'Market']);
    expect(await page.textContent('#session')).toBe('session: trading (paper)');
    // The equity chart is drawn (lightweight-charts renders into canvases).
    expect(await page.locator('#equity canvas').count()).toBeGreaterThan(0);

    // The page carries no secret.
    for (const path of ['', 'app.js']) expect(await (await fetch(url + path)).text()).not.toContain(TOKEN);

    // The kill switch through the page without the token: refused, trading goes on.
    await page.click('#kill button');
    await page.waitForFunction(() => document.getElementById('kill-result')?.textContent !== '');
    expect(await page.textContent('#kill-result')).toContain('needs the dashboard token');
    expect((await fetch(`${url}api/kill`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-0000000000' } })).status).toBe(401);
    expect(await page.textContent('#risk')).not.toContain('HALTED');

    // With the token: the risk engine halts, and the page shows it.
    await page.fill('#token', TOKEN);
    await page.click('#kill button');
    await page.waitForFunction(() => document.getElementById('kill-result')?.textContent === 'kill switch tripped', undefined, { timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById('risk')?.textContent === 'risk: HALTED', undefined, { timeout: 15_000 });
    expect(await page.inputValue('#token')).toBe('');
    // The refused kill switch is the only error the page met (the browser logs its 401).
    expect(pageErrors.filter((e) => !/401/.test(e))).toEqual([]);
    await page.close();

    child.kill('SIGTERM');
    expect(await exited(child), stderr()).toBe(0);
    expect(stderr()).toContain('SIGTERM: stopping every role');
    expect(stderr()).toMatch(/live session stopped: \d+ orders/);
    // The order the page showed is the session's own, from its journal.
    const j = openJournal(journal);
    expect(j.read({ kind: 'intent', session: 'churn-paper' }).some((r) => r.ref === newer)).toBe(true);
    j.close();
  }, 180_000);
});

describe('ferrotrade dashboard: a session in another process, through its journal', () => {
  it('serves the orders and fills the session journals; control is off without a token', async () => {
    const journal = join(dir, 'alone-journal.db');
    const live = spawn(process.execPath, ['--import', 'tsx', cli, 'live', strategy, '--source', 'synthetic:6', '--speed', '300', '--store', `sqlite:${journal}`], { cwd: root, env });
    children.push(live);
    const noToken = { ...env };
    delete (noToken as Record<string, string | undefined>).FERROTRADE_DASHBOARD_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'dashboard', '--store', `sqlite:${journal}`, '--port', '0'], { cwd: root, env: noToken });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (b) => (out += b));
    const deadline = Date.now() + 60_000;
    while (!/dashboard http/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the dashboard did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain('(control off: no token)');
    const url = /dashboard (http:\S+)/.exec(out)![1]!;
    let state: { orders: { status: string }[]; fills: { size: number }[]; positions: unknown[] } = { orders: [], fills: [], positions: [] };
    while (state.fills.length < 2) {
      if (Date.now() > deadline) throw new Error(`no fills reached the dashboard: ${JSON.stringify(state)}`);
      await new Promise((r) => setTimeout(r, 200));
      state = await (await fetch(`${url}api/state`)).json();
    }
    expect(state.orders.filter((o) => o.status === 'Completed').length).toBeGreaterThanOrEqual(2);
    expect(state.fills[0]!.size).toBe(1);
    const kill = await fetch(`${url}api/kill`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(kill.status).toBe(403);
    live.kill('SIGINT');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    expect(await exited(live)).toBe(0);
  }, 120_000);
});
