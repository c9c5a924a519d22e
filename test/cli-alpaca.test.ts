/**
 * `ferrotrade live strategy.ts --broker alpaca [--paper-prices]` as a child process against the
 * local Alpaca server: keys from the environment, the URLs from --base-url / --data-url, warm-up
 * from the REST bars endpoint, then minute bars from the market-data stream. With
 * --paper-prices the paper broker fills; without it the orders go to Alpaca and its fills come
 * back over the trade_updates stream. Either way the summary equals `ferrotrade backtest` on the
 * same prices.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, feeds, openJournal } from '../ts/index.js';
import AlpacaSmaCross, { configure, params } from './fixtures/alpaca-sma-cross.js';
import { startAlpacaServer, type AlpacaServer } from './venues/alpaca-server.js';
import { ferrotradeCli as ferrotrade, repoRoot, expectPaperRunIsBacktest } from './support/cli-child.js';

const root = repoRoot;
const strategy = join(root, 'test', 'fixtures', 'live-sma-cross.ts');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-cli-alpaca-'));
const MIN = 60_000;
const KEY = 'PKCLI000111222';
const SECRET = 'cli-secret-333444555';


const until = async (p: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** `n` one-minute bars ending a minute ago, with the sample file's prices. */
function minuteBars(n: number) {
  const sample = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
  const first = Math.floor(Date.now() / MIN) * MIN - (n + 1) * MIN;
  return Array.from({ length: n }, (_, i) => ({ t: first + i * MIN, o: sample.open[i]!, h: sample.high[i]!, l: sample.low[i]!, c: sample.close[i]!, v: sample.volume[i]! }));
}

/** The same bars as a file, stamped at their ends as the live bars are. */
function writeCsv(bars: ReturnType<typeof minuteBars>, name: string): string {
  const csv = join(dir, name);
  const iso = (t: number) => new Date(t).toISOString();
  writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...bars.map((b) => `${iso(b.t + MIN).slice(0, 10)},${iso(b.t + MIN).slice(11, 19)},${b.o},${b.h},${b.l},${b.c},${b.v},0`)].join('\n'));
  return csv;
}

describe('ferrotrade live --broker alpaca', () => {
  let server: AlpacaServer;
  afterEach(async () => server?.close());

  it("paper-trades on Alpaca's bars with the backtest's summary on the same prices", async () => {
    const N = 200;
    const H = 15;
    const bars = minuteBars(N);
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    server.setBars('AAPL', bars.slice(0, H));
    const csv = writeCsv(bars, 'bars.csv');

    const run = ferrotrade(['live', strategy, '--broker', 'alpaca', '--paper-prices', '--symbol', 'AAPL', '--history', String(H), '--count', String(N - H),
      '--base-url', server.url, '--data-url', server.url, '--json', join(dir, 'lv.json')], { APCA_API_KEY_ID: KEY, APCA_API_SECRET_KEY: SECRET });
    // the market: the rest of the bars down the stream once the command has subscribed
    await until(() => server.subscribers('bars', 'AAPL') === 1, 60_000);
    for (const b of bars.slice(H)) server.bar('AAPL', b);
    const lv = await run;
    expect(lv.status, lv.stderr).toBe(0);
    await expectPaperRunIsBacktest(strategy, csv, dir, N - H);
    expect(server.requests.some((r) => r.path === '/v2/stocks/AAPL/bars' && r.status === 200)).toBe(true);
    expect(lv.stderr + lv.stdout).not.toContain(SECRET);
  }, 120_000);

  it("routes the strategy's orders to Alpaca: its fills are the backtest's, and Alpaca's cash is the engine's", async () => {
    const N = 160;
    const H = 15;
    const bars = minuteBars(N);
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET, fillOnSubmit: false });
    server.setBars('AAPL', bars.slice(0, H));
    const csv = writeCsv(bars, 'routed.csv');
    // the backtest first: which bars place an order (the market below waits for those at Alpaca)
    const backtest = new Cerebro();
    configure(backtest);
    backtest.addData(feeds.backtraderCsv(csv, { timeframe: 'Minutes' }));
    backtest.addStrategy(AlpacaSmaCross, params);
    const [bt] = backtest.run();
    expect(bt!.orders.length).toBeGreaterThan(2);
    const placedBy = (t: number) => bt!.orders.filter((o) => o.created.dt <= t).length;

    const db = join(dir, 'routed.db');
    const fixture = join(root, 'test', 'fixtures', 'alpaca-sma-cross.ts');
    const run = ferrotrade(['live', fixture, '--broker', 'alpaca', '--symbol', 'AAPL', '--history', String(H), '--count', String(N - H),
      '--base-url', server.url, '--data-url', server.url, '--store', `sqlite:${db}`, '--json', join(dir, 'routed.json')], { APCA_API_KEY_ID: KEY, APCA_API_SECRET_KEY: SECRET });
    await until(() => server.subscribers('bars', 'AAPL') === 1 && server.listening === 1, 60_000);
    // the child journals each venue event as it arrives: a fill is in its hands once journaled
    const journal = openJournal(db);
    const journaledFills = () => journal.read({ kind: 'venue' }).filter((r) => (r.payload as { type?: string }).type === 'fill').length;
    try {
      for (let i = H; i < N; i++) {
        server.trade('AAPL', bars[i]!.o); // the bar opens: the orders sent after the previous bar fill here
        const fills = server.market.fills.length;
        if (fills > 0) await until(() => journaledFills() >= fills, 10_000);
        server.bar('AAPL', bars[i]!);
        const expected = placedBy(bars[i]!.t + MIN);
        await until(() => server.market.orders.size >= expected, 10_000);
      }
    } finally {
      journal.close();
    }
    const lv = await run;
    expect(lv.status, lv.stderr).toBe(0);
    const btCli = await ferrotrade(['backtest', fixture, '--data', csv, '--json', join(dir, 'routed-bt.json')]);
    expect(btCli.status, btCli.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'routed-bt.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'routed.json'), 'utf8'));
    expect(b.mode).toBe('live');
    expect(b.reason).toBe('ended');
    for (const k of ['orders', 'fills', 'trades', 'finalValue', 'finalCash', 'pnl']) expect(b[k], k).toBeCloseTo(a[k], 6);
    expect(server.market.fills.length).toBe(a.fills);
    expect(server.market.cash).toBeCloseTo(a.finalCash, 6);
    expect(lv.stderr + lv.stdout).not.toContain(SECRET);
  }, 120_000);

  it('says where the keys go when there are none, and that a symbol is needed', async () => {
    const env = { APCA_API_KEY_ID: '', APCA_API_SECRET_KEY: '' };
    const noKeys = await ferrotrade(['live', strategy, '--broker', 'alpaca', '--paper-prices', '--symbol', 'AAPL'], env);
    expect(noKeys.status).not.toBe(0);
    expect(noKeys.stderr).toMatch(/APCA_API_KEY_ID/);
    const noSymbol = await ferrotrade(['live', strategy, '--broker', 'alpaca', '--paper-prices'], { APCA_API_KEY_ID: KEY, APCA_API_SECRET_KEY: SECRET });
    expect(noSymbol.stderr).toMatch(/--symbol/);
  }, 60_000);
});
