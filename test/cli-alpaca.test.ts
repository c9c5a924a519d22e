/**
 * `ferrotrade live strategy.ts --broker alpaca --paper-prices` as a child process against the
 * local Alpaca server: keys from the environment, the URLs from --base-url / --data-url, warm-up
 * from the REST bars endpoint, then minute bars from the market-data stream; the summary equals
 * `ferrotrade backtest` on the same prices.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feeds } from '../ts/index.js';
import { startAlpacaServer, type AlpacaServer } from './venues/alpaca-server.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'ts', 'cli', 'main.ts');
const strategy = join(root, 'test', 'fixtures', 'live-sma-cross.ts');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-cli-alpaca-'));
const MIN = 60_000;
const KEY = 'PKCLI000111222';
const SECRET = 'cli-secret-333444555';

function ferrotrade(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env: { ...process.env, FERROTRADE_LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })));
}

const until = async (p: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ferrotrade live --broker alpaca --paper-prices', () => {
  let server: AlpacaServer;
  afterEach(async () => server?.close());

  it("paper-trades on Alpaca's bars with the backtest's summary on the same prices", async () => {
    const sample = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
    const N = 200;
    const H = 15;
    const first = Math.floor(Date.now() / MIN) * MIN - (N + 1) * MIN;
    const bars = Array.from({ length: N }, (_, i) => ({ t: first + i * MIN, o: sample.open[i]!, h: sample.high[i]!, l: sample.low[i]!, c: sample.close[i]!, v: sample.volume[i]! }));
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    server.setBars('AAPL', bars.slice(0, H));
    const csv = join(dir, 'bars.csv');
    const iso = (t: number) => new Date(t).toISOString();
    writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...bars.map((b) => `${iso(b.t + MIN).slice(0, 10)},${iso(b.t + MIN).slice(11, 19)},${b.o},${b.h},${b.l},${b.c},${b.v},0`)].join('\n'));

    const run = ferrotrade(['live', strategy, '--broker', 'alpaca', '--paper-prices', '--symbol', 'AAPL', '--history', String(H), '--count', String(N - H),
      '--base-url', server.url, '--data-url', server.url, '--json', join(dir, 'lv.json')], { APCA_API_KEY_ID: KEY, APCA_API_SECRET_KEY: SECRET });
    // the market: the rest of the bars down the stream once the command has subscribed
    await until(() => server.subscribers('bars', 'AAPL') === 1, 60_000);
    for (const b of bars.slice(H)) server.bar('AAPL', b);
    const lv = await run;
    expect(lv.status, lv.stderr).toBe(0);
    const bt = await ferrotrade(['backtest', strategy, '--data', csv, '--json', join(dir, 'bt.json')]);
    expect(bt.status, bt.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'bt.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'lv.json'), 'utf8'));
    expect(b.mode).toBe('paper');
    expect(b.reason).toBe('ended');
    expect(a.orders).toBeGreaterThan(2);
    expect(b.bars).toBe(N - H);
    for (const k of ['orders', 'fills', 'trades', 'openOrders', 'finalValue', 'finalCash', 'pnl']) expect(b[k], k).toBe(a[k]);
    expect(server.requests.some((r) => r.path === '/v2/stocks/AAPL/bars' && r.status === 200)).toBe(true);
    expect(lv.stderr + lv.stdout).not.toContain(SECRET);
  }, 120_000);

  it('says where the keys go when there are none, and what is missing without --paper-prices', async () => {
    const env = { APCA_API_KEY_ID: '', APCA_API_SECRET_KEY: '' };
    const noKeys = await ferrotrade(['live', strategy, '--broker', 'alpaca', '--paper-prices', '--symbol', 'AAPL'], env);
    expect(noKeys.status).not.toBe(0);
    expect(noKeys.stderr).toMatch(/APCA_API_KEY_ID/);
    const noSymbol = await ferrotrade(['live', strategy, '--broker', 'alpaca', '--paper-prices'], { APCA_API_KEY_ID: KEY, APCA_API_SECRET_KEY: SECRET });
    expect(noSymbol.stderr).toMatch(/--symbol/);
  }, 60_000);
});
