/**
 * The Alpaca market-data source against the local server: warm-up history through the REST bars
 * endpoint page by page (`next_page_token`), live minute bars, trades and quotes from the
 * market-data WebSocket, a dropped stream reconnected and resubscribed with the missed bars
 * fetched over REST, malformed messages counted; and paper trading on Alpaca's prices: the SMA
 * cross through `runLive` on the server's bars matches `cerebro.run()` on the same bars.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, feeds, paper, type Order } from '../ts/index.js';
import type { LiveMessage, LiveSink } from '../ts/live/source.js';
import { alpacaSource } from '../ts/venues/alpaca/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { startAlpacaServer, type AlpacaBar, type AlpacaServer } from './venues/alpaca-server.js';

const KEY = 'PKTEST0123456789';
const SECRET = 'secret-abcdefghijklmnop';
const MIN = 60_000;
const fast = { logger: false as const, backoff: { baseMs: 10, maxMs: 50 }, heartbeatMs: 500 };
const root = join(import.meta.dirname, '..');

/** `n` one-minute bars ending a minute before now, with the sample file's prices. */
function sampleBars(n: number): AlpacaBar[] {
  const c = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
  const first = Math.floor(Date.now() / MIN) * MIN - (n + 1) * MIN;
  return Array.from({ length: n }, (_, i) => ({ t: first + i * MIN, o: c.open[i]!, h: c.high[i]!, l: c.low[i]!, c: c.close[i]!, v: c.volume[i]! }));
}

function collector() {
  const got: LiveMessage[] = [];
  let ended = false;
  const sink: LiveSink = { push: (m) => void got.push(m), pushMany: (ms) => void got.push(...ms), end: () => void (ended = true), error: (e) => { throw e; } };
  return { got, sink, ended: () => ended };
}
const until = async (p: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('alpacaSource on the local Alpaca server', () => {
  let server: AlpacaServer;
  afterEach(async () => server?.close());
  const at = () => ({ keyId: KEY, secretKey: SECRET, baseUrl: server.url, dataUrl: server.url });

  it('warms up from the REST bars endpoint, page by page, and stamps each bar with its end', async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET, maxBarsPerPage: 7 });
    const bars = sampleBars(40);
    server.setBars('AAPL', bars);
    const src = alpacaSource({ ...at(), ...fast, symbol: 'AAPL', history: 25 });
    const h = (await src.history!())!;
    expect(h.close.length).toBe(25);
    expect([...h.close]).toEqual(bars.slice(-25).map((b) => b.c));
    expect([...h.datetime]).toEqual(bars.slice(-25).map((b) => b.t + MIN));
    const pages = server.requests.filter((r) => r.path === '/v2/stocks/AAPL/bars');
    expect(pages.length).toBeGreaterThanOrEqual(4); // 25+ bars at 7 a page: the next_page_token was followed
  });

  it('streams minute bars, trades and quotes from the market-data WebSocket', async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const bars = alpacaSource({ ...at(), ...fast, symbol: 'AAPL', maxBars: 2 });
    const trades = alpacaSource({ ...at(), ...fast, symbol: 'AAPL', data: 'trades' });
    const quotes = alpacaSource({ ...at(), ...fast, symbol: 'AAPL', data: 'quotes' });
    const [b, t, q] = [collector(), collector(), collector()];
    await Promise.all([bars.start(b.sink), trades.start(t.sink), quotes.start(q.sink)]);
    expect([server.subscribers('bars', 'AAPL'), server.subscribers('trades', 'AAPL'), server.subscribers('quotes', 'AAPL')]).toEqual([1, 1, 1]);
    const t0 = Math.floor(Date.now() / MIN) * MIN;
    server.bar('AAPL', { t: t0, o: 10, h: 11, l: 9, c: 10.5, v: 1000 });
    server.bar('MSFT', { t: t0, o: 1, h: 1, l: 1, c: 1, v: 1 }); // another symbol: not subscribed
    server.trade('AAPL', 10.25, 50);
    server.quote('AAPL', 10.2, 10.3, 5, 7);
    server.bar('AAPL', { t: t0 + MIN, o: 10.5, h: 12, l: 10, c: 11, v: 900 });
    await until(() => b.ended() && t.got.length === 1 && q.got.length === 1);
    expect(b.got).toEqual([
      { type: 'bar', time: t0 + MIN, open: 10, high: 11, low: 9, close: 10.5, volume: 1000 },
      { type: 'bar', time: t0 + 2 * MIN, open: 10.5, high: 12, low: 10, close: 11, volume: 900 },
    ]);
    expect(t.got[0]).toMatchObject({ type: 'tick', price: 10.25, size: 50 });
    expect(q.got[0]).toMatchObject({ type: 'quote', bid: 10.2, ask: 10.3, bidSize: 5, askSize: 7 });
    await Promise.all([bars.stop(), trades.stop(), quotes.stop()]);
  });

  it('after a dropped stream it reconnects, subscribes again and fetches the bars it missed, each once', async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const all = sampleBars(12);
    server.setBars('AAPL', all.slice(0, 5));
    const src = alpacaSource({ ...at(), ...fast, symbol: 'AAPL', history: 5 });
    await src.history!();
    const c = collector();
    await src.start(c.sink);
    server.bar('AAPL', all[5]!);
    await until(() => c.got.length === 1);
    server.setStreamsDown(true);
    await until(() => c.got.some((m) => m.type === 'status' && m.state === 'disconnected'));
    for (const b of all.slice(6, 9)) server.bar('AAPL', b); // closed while nobody listened: stored, not seen
    server.setStreamsDown(false);
    await until(() => c.got.filter((m) => m.type === 'bar').length === 4);
    server.bar('AAPL', all[9]!);
    await until(() => c.got.filter((m) => m.type === 'bar').length === 5);
    expect(c.got.filter((m) => m.type === 'bar').map((m) => m.type === 'bar' && m.close)).toEqual(all.slice(5, 10).map((b) => b.c));
    expect(c.got.filter((m) => m.type === 'status').map((m) => m.type === 'status' && m.state)).toEqual(['disconnected', 'connected']);
    expect(src.stats).toMatchObject({ reconnects: 1, backfilled: 3 });
    expect(server.subscribers('bars', 'AAPL')).toBe(1);
    await src.stop();
  });

  it('counts and logs malformed messages without dropping the stream', async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const src = alpacaSource({ ...at(), ...fast, symbol: 'AAPL' });
    const c = collector();
    await src.start(c.sink);
    server.sendRaw('data', '{not json');
    server.sendRaw('data', JSON.stringify([{ T: 'b', S: 'AAPL', t: 'yesterday', o: 1 }]));
    server.sendRaw('data', JSON.stringify({ T: 'b' })); // not an array
    server.bar('AAPL', { t: Math.floor(Date.now() / MIN) * MIN, o: 1, h: 2, l: 1, c: 2, v: 3 });
    await until(() => c.got.length === 1);
    expect(src.stats.malformed).toBe(3);
    await src.stop();
  });

  it("ends with an error when Alpaca refuses the stream later (406 connection limit), not with silence", async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const src = alpacaSource({ ...at(), ...fast, symbol: 'AAPL' });
    const errors: unknown[] = [];
    const c = collector();
    await src.start({ ...c.sink, error: (e) => void errors.push(e) });
    server.sendRaw('data', JSON.stringify([{ T: 'error', code: 406, msg: 'connection limit exceeded' }]));
    await until(() => errors.length === 1);
    expect(String(errors[0])).toMatch(/connection limit exceeded \(code 406\)/);
    await until(() => server.subscribers('bars', 'AAPL') === 0);
  });

  it('refuses wrong keys at once and says what a frame without a minute stream needs', async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const src = alpacaSource({ ...at(), ...fast, symbol: 'AAPL', secretKey: 'nope' });
    await expect(src.start(collector().sink)).rejects.toThrow(/auth failed/);
    expect(() => alpacaSource({ ...at(), symbol: 'AAPL', frame: { timeframe: 'Minutes', compression: 5 } })).toThrow(/data: 'trades'/);
    expect(() => alpacaSource({ ...at(), symbol: 'AAPL', frame: { timeframe: 'Seconds', compression: 5 }, data: 'trades' })).toThrow(/Alpaca has no 5 Seconds bars/);
  });
});

describe("paper trading on Alpaca's prices", () => {
  let server: AlpacaServer;
  afterEach(async () => server?.close());

  it('the SMA cross through runLive on the server bars places the orders and ends with the value of a backtest on the same bars', async () => {
    const N = 200;
    const H = 15; // warm-up shorter than the slow average: every order is on a live bar
    const bars = sampleBars(N);
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    server.setBars('AAPL', bars.slice(0, H));
    // the rest of the market comes down the stream once the source has subscribed
    const feeder = until(() => server.subscribers('bars', 'AAPL') === 1, 10_000).then(() => {
      for (const b of bars.slice(H)) server.bar('AAPL', b);
    });
    const live = new Cerebro();
    live.broker.setCash(100_000);
    live.broker.setCommission({ commission: 0.001 });
    live.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 10 });
    const source = alpacaSource({ keyId: KEY, secretKey: SECRET, baseUrl: server.url, dataUrl: server.url, ...fast, symbol: 'AAPL', history: H, paced: false, endAt: bars.at(-1)!.t + MIN });
    const [lv] = await live.runLive({ sources: [source], broker: paper(), logger: false, handleSignals: false });
    await feeder;

    // the same bars as a file, stamped at their ends as the live bars are
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-alpaca-'));
    const csv = join(dir, 'bars.csv');
    const iso = (t: number) => new Date(t).toISOString();
    writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...bars.map((b) => `${iso(b.t + MIN).slice(0, 10)},${iso(b.t + MIN).slice(11, 19)},${b.o},${b.h},${b.l},${b.c},${b.v},0`)].join('\n'));
    const backtest = new Cerebro();
    backtest.addData(feeds.backtraderCsv(csv, { timeframe: 'Minutes' }));
    backtest.broker.setCash(100_000);
    backtest.broker.setCommission({ commission: 0.001 });
    backtest.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 10 });
    const [bt] = backtest.run();

    const row = (o: Order) => [o.size, o.getOrdertypeName(), o.getStatusName(), o.executed.price, o.executed.size];
    expect(lv!.reason).toBe('ended');
    expect(lv!.bars).toBe(N - H);
    expect(lv!.historyBars).toBe(H);
    expect(bt!.orders.length).toBeGreaterThan(2);
    expect(lv!.orders.map(row)).toEqual(bt!.orders.map(row));
    expect(lv!.finalValue).toBeCloseTo(bt!.finalValue, 9);
    expect(lv!.finalCash).toBeCloseTo(bt!.finalCash, 9);
  }, 60_000);
});
