/**
 * `ferrotrade live strategy.ts --broker ccxt:binance [--paper-prices]` as a child process against
 * the local Binance spot server: paper trading on the venue's candles (warm-up history, then
 * each closed candle) gives the summary `ferrotrade backtest` gives on the same prices; without
 * --paper-prices the strategy's orders go to the venue (its fills booked by the engine) and the
 * run ends where the paper run on the same prices ends.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feeds } from '../ts/index.js';
import { startBinanceSpotServer, type BinanceSpotServer } from './venues/binance-spot-server.js';
import { ferrotradeCli as ferrotrade, repoRoot, expectPaperRunIsBacktest } from './support/cli-child.js';

const root = repoRoot;
const strategy = join(root, 'test', 'fixtures', 'live-sma-cross.ts');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-cli-venue-'));
const MIN = 60_000;


describe('ferrotrade live --broker ccxt:binance --paper-prices', () => {
  let server: BinanceSpotServer;
  afterEach(async () => server?.close());

  it("paper-trades on the venue's candles with the backtest's summary on the same prices", async () => {
    // 200 one-minute candles ending a minute ago, with the sample file's prices
    const sample = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
    const N = 200;
    const H = 15; // warm-up shorter than the slow average: every order is on a live bar
    const first = Math.floor(Date.now() / MIN) * MIN - (N + 1) * MIN;
    const klines = Array.from({ length: N }, (_, i) => ({
      openTime: first + i * MIN, open: sample.open[i]!, high: sample.high[i]!, low: sample.low[i]!, close: sample.close[i]!, volume: sample.volume[i]!, closeTime: first + (i + 1) * MIN - 1,
    }));
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    server.setKlines('BTCUSDT', klines.slice(0, H));
    let next = H;
    server.onRequest = (_m, path, params) => {
      if (path === '/api/v3/klines' && next < N && Number(params.get('startTime')) === klines[next - 1]!.openTime + 1) server.addKline('BTCUSDT', klines[next++]!);
    };
    // the same bars as a file, stamped at their ends as the live bars are
    const csv = join(dir, 'bars.csv');
    const iso = (t: number) => new Date(t).toISOString();
    writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...klines.map((k) => `${iso(k.openTime + MIN).slice(0, 10)},${iso(k.openTime + MIN).slice(11, 19)},${k.open},${k.high},${k.low},${k.close},${k.volume},0`)].join('\n'));

    const lv = await ferrotrade(['live', strategy, '--broker', 'ccxt:binance', '--paper-prices', '--symbol', 'BTC/USDT', '--timeframe', '1m', '--history', String(H),
      '--venue-url', server.url, '--poll-ms', '5', '--count', String(N - H), '--json', join(dir, 'lv.json')]);
    expect(lv.status, lv.stderr).toBe(0);
    await expectPaperRunIsBacktest(strategy, csv, dir, N - H);
    expect(server.requests.some((r) => r.path === '/api/v3/klines')).toBe(true);
  }, 120_000);

  it('without --paper-prices the orders go to the venue: the same orders, fills and trades as a paper run on the same prices', async () => {
    const sample = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
    const N = 100;
    const H = 15;
    const first = Math.floor(Date.now() / MIN) * MIN - (N + 1) * MIN;
    const klines = Array.from({ length: N }, (_, i) => ({
      openTime: first + i * MIN, open: sample.open[i]!, high: sample.high[i]!, low: sample.low[i]!, close: sample.close[i]!, volume: sample.volume[i]!, closeTime: first + (i + 1) * MIN - 1,
    }));
    // A market that prints its next candle when polled for it, at most one every 300 ms (its
    // minute: time for an order sent on a bar to reach the venue before the next bar); once a
    // candle is out, the venue trades at the next candle's open, so a market order sent on a bar
    // fills where a paper broker fills it (the next bar's open).
    async function market() {
      const srv = await startBinanceSpotServer({ apiKey: 'cli-key', secret: 'cli-secret', balances: { USDT: 100_000 }, commission: 0.001 });
      srv.setKlines('BTCUSDT', klines.slice(0, H));
      srv.setPrice('BTCUSDT', klines[H]!.open);
      let next = H;
      let printed = 0;
      let sending = false;
      srv.onRequest = (method, path, params) => {
        // an order on its way (the adapter asks for its client id, then sends it): the market waits for it
        if (path === '/api/v3/order' && params.has('origClientOrderId') && method === 'GET') sending = true;
        if (path === '/api/v3/order' && method === 'POST') sending = false;
        if (path !== '/api/v3/klines' || next >= N || Number(params.get('startTime')) !== klines[next - 1]!.openTime + 1) return;
        if (sending || Date.now() - printed < 300) return;
        printed = Date.now();
        srv.addKline('BTCUSDT', klines[next]!);
        next++;
        if (next < N) srv.setPrice('BTCUSDT', klines[next]!.open);
      };
      return srv;
    }
    const common = ['--symbol', 'BTC/USDT', '--timeframe', '1m', '--history', String(H), '--poll-ms', '40', '--count', String(N - H)];
    const paperServer = await market();
    const pp = await ferrotrade(['live', strategy, '--broker', 'ccxt:binance', '--paper-prices', ...common, '--venue-url', paperServer.url, '--json', join(dir, 'pp.json')]);
    await paperServer.close();
    expect(pp.status, pp.stderr).toBe(0);
    server = await market();
    const vn = await ferrotrade(['live', strategy, '--broker', 'ccxt:binance', ...common, '--venue-url', server.url, '--store', `sqlite:${join(dir, 'venue.db')}`, '--json', join(dir, 'vn.json')], {
      FERROTRADE_BINANCE_API_KEY: 'cli-key', FERROTRADE_BINANCE_SECRET: 'cli-secret',
    });
    expect(vn.status, vn.stderr).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'pp.json'), 'utf8'));
    const v = JSON.parse(readFileSync(join(dir, 'vn.json'), 'utf8'));
    expect(v.mode).toBe('live');
    expect(p.orders).toBeGreaterThan(2);
    for (const k of ['orders', 'fills', 'trades', 'openOrders', 'bars']) expect(v[k], k).toBe(p[k]);
    for (const k of ['finalValue', 'finalCash', 'pnl']) expect(v[k], k).toBeCloseTo(p[k], 4);
    // the venue did the filling: one execution there per engine fill, at the prices paper filled
    const sent = server.listOrders();
    expect(sent).toHaveLength(p.orders);
    expect(sent.every((o) => o.status === 'FILLED' && o.type === 'MARKET')).toBe(true);
    expect(server.balance('USDT').free).toBeCloseTo(v.finalCash, 4);
  }, 180_000);

  it('--broker ccxt:<exchange> without keys says which variables to set', async () => {
    const r = await ferrotrade(['live', strategy, '--broker', 'ccxt:binance', '--symbol', 'BTC/USDT']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FERROTRADE_BINANCE_API_KEY/);
  }, 60_000);
});
