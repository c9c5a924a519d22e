/**
 * The ccxt source on a real ccxt.binance against the local Binance spot server: warm-up history
 * paged through fetchOHLCV, closed candles polled as the local market prints them, an outage
 * seen as a reconnect, malformed candles counted; and the SMA-cross example strategy paper-trading
 * on those polled bars places the same orders, fills and trades as a backtest on the same prices.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, EventBus, feeds, paper, type LiveMessage, type Order } from '../ts/index.js';
import { ccxtSource, type CcxtExchange } from '../ts/venues/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { startBinanceSpotServer, type BinanceSpotServer } from './venues/binance-spot-server.js';

const DAY = 86_400_000;
const SAMPLE = new URL('../examples/data/sample-daily.csv', import.meta.url).pathname;

function binanceAt(server: BinanceSpotServer): CcxtExchange {
  const ex = new ccxt.binance({ enableRateLimit: true, rateLimit: 1, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
  ex.urls.api = server.ccxtUrls(ex.urls.api as Record<string, string>);
  return ex as unknown as CcxtExchange;
}

/** The sample file's bars as Binance candles (daily: open time is the bar's midnight). */
function sampleKlines() {
  const f = feeds.backtraderCsv(SAMPLE);
  const c = f.columns;
  return Array.from({ length: f.size }, (_, i) => ({
    openTime: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]!, closeTime: c.datetime[i]! + DAY - 1,
  }));
}

/**
 * A market that prints its next daily candle when a poll asks for candles newer than the last
 * one printed (so nothing depends on timing), on a clock of its own.
 */
function printCandles(server: BinanceSpotServer, klines: ReturnType<typeof sampleKlines>, from: number) {
  let next = from;
  const clock = { now: klines[from - 1]!.openTime + DAY };
  server.onRequest = (_m, path, params) => {
    if (path !== '/api/v3/klines' || next >= klines.length) return;
    if (Number(params.get('startTime')) !== klines[next - 1]!.openTime + 1) return; // history, not a poll for the next candle
    server.addKline('BTCUSDT', klines[next]!);
    clock.now = klines[next]!.openTime + DAY;
    next++;
  };
  return { clock, stop: () => (server.onRequest = undefined) };
}

describe('ccxt source on the Binance spot server', () => {
  let server: BinanceSpotServer;
  afterEach(async () => server?.close());

  it('warm-up history is paged through fetchOHLCV; live candles arrive once each, stamped as the feeds stamp them', async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    const klines = sampleKlines().slice(0, 400);
    server.setKlines('BTCUSDT', klines.slice(0, 350));
    const market = printCandles(server, klines, 350);
    const src = ccxtSource({ exchange: binanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Days', compression: 1 }, history: 250, pageLimit: 100, pollMs: 2, now: () => market.clock.now, endAt: klines[399]!.openTime, logger: false });
    const hist = (await src.history!())!;
    expect(hist.datetime.length).toBe(250);
    expect(hist.datetime[0]).toBe(klines[100]!.openTime);
    expect(hist.close[249]).toBe(klines[349]!.close);
    const klineCalls = server.requests.filter((r) => r.path === '/api/v3/klines').length;
    expect(klineCalls).toBeGreaterThanOrEqual(3); // 250 bars in pages of 100
    const got: LiveMessage[] = [];
    await new Promise<void>((resolve, reject) => void src.start({ push: (m) => got.push(m), pushMany: (ms) => got.push(...ms), end: resolve, error: reject }));
    await src.stop();
    market.stop();
    const bars = got.filter((m) => m.type === 'bar');
    expect(bars.map((b) => b.time)).toEqual(klines.slice(350).map((k) => k.openTime));
    expect(bars.map((b) => b.type === 'bar' && b.close)).toEqual(klines.slice(350).map((k) => k.close));
  });

  it('an outage is a reconnect (status messages and connection events); malformed candles are counted and skipped', async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    const klines = sampleKlines().slice(0, 60);
    server.setKlines('BTCUSDT', klines.slice(0, 40));
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('connection', (e) => states.push(e.state));
    const clock = { now: klines[39]!.openTime + DAY };
    const src = ccxtSource({ exchange: binanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Days', compression: 1 }, history: 10, pollMs: 2, now: () => clock.now, endAt: klines[59]!.openTime, bus, backoff: { baseMs: 5, maxMs: 20 }, logger: false });
    await src.history!();
    const got: LiveMessage[] = [];
    const done = new Promise<void>((resolve, reject) => void src.start({ push: (m) => got.push(m), pushMany: (ms) => got.push(...ms), end: resolve, error: reject }));
    server.setOffline(true);
    await new Promise((r) => setTimeout(r, 40));
    server.malformNext('/api/v3/klines', 'malformed');
    server.setOffline(false);
    for (let i = 40; i < 60; i++) {
      server.addKline('BTCUSDT', klines[i]!);
      clock.now = klines[i]!.openTime + DAY;
      await new Promise((r) => setTimeout(r, 3));
    }
    await done;
    await src.stop();
    expect(got.filter((m) => m.type === 'status').map((m) => m.type === 'status' && m.state)).toEqual(['disconnected', 'connected']);
    expect(states).toEqual(expect.arrayContaining(['connecting', 'connected', 'reconnecting', 'stopped']));
    expect(src.stats.reconnects).toBe(1);
    expect(src.stats.malformed).toBeGreaterThanOrEqual(1);
    expect(got.filter((m) => m.type === 'bar').map((b) => b.type === 'bar' && b.time)).toEqual(klines.slice(40).map((k) => k.openTime));
  });

  it("poll: 'trades' delivers each public trade once; poll: 'quotes' the best bid and ask", async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    server.setPrice('BTCUSDT', 100);
    const trades = ccxtSource({ exchange: binanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Minutes', compression: 1 }, poll: 'trades', pollMs: 2, logger: false });
    const quotes = ccxtSource({ exchange: binanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Minutes', compression: 1 }, poll: 'quotes', pollMs: 2, logger: false });
    const got: LiveMessage[] = [];
    const q: LiveMessage[] = [];
    const sink = (into: LiveMessage[]) => ({ push: (m: LiveMessage) => into.push(m), pushMany: (ms: readonly LiveMessage[]) => into.push(...ms), end: () => {}, error: () => {} });
    await trades.start(sink(got));
    await quotes.start(sink(q));
    await new Promise((r) => setTimeout(r, 30));
    server.trade('BTCUSDT', 101, 0.5);
    server.trade('BTCUSDT', 102, 0.25);
    const end = Date.now() + 3000;
    while ((got.filter((m) => m.type === 'tick').length < 2 || !q.some((m) => m.type === 'quote' && m.bid === 101.99)) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    await trades.stop();
    await quotes.stop();
    expect(got.filter((m) => m.type === 'tick').map((m) => m.type === 'tick' && [m.price, m.size])).toEqual([[101, 0.5], [102, 0.25]]);
    expect(q.find((m) => m.type === 'quote' && m.bid === 101.99)).toMatchObject({ ask: 102.01, bidSize: 1, askSize: 1 });
  });

  it('end to end: the SMA-cross example paper-trading on candles polled from the local market = a backtest on the same prices', async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    const klines = sampleKlines();
    const H = 20; // history shorter than the slow average: every order is placed on a live bar
    server.setKlines('BTCUSDT', klines.slice(0, H));
    const market = printCandles(server, klines, H);

    const setup = () => {
      const c = new Cerebro();
      c.broker.setCash(100_000);
      c.broker.setCommission({ commission: 0.001 });
      c.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });
      return c;
    };
    const bt = setup();
    bt.addData(feeds.backtraderCsv(SAMPLE));
    const [backtest] = bt.run();

    const src = ccxtSource({
      exchange: binanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Days', compression: 1 }, history: H, pollMs: 1, paced: false,
      now: () => market.clock.now, endAt: klines.at(-1)!.openTime, logger: false,
    });
    const [live] = await setup().runLive({ sources: [src], broker: paper(), logger: false, handleSignals: false });
    market.stop();
    expect(live!.reason).toBe('ended');
    expect(live!.bars).toBe(klines.length - H); // live bars; the first H came as warm-up
    const row = (o: Order) => [o.created, o.size, o.history.flatMap((h) => (h.fill ? [[h.fill.price, h.fill.size]] : []))];
    expect(backtest!.orders.length).toBeGreaterThan(4);
    expect(live!.orders.map(row)).toEqual(backtest!.orders.map(row));
    expect(live!.trades.map((t) => [t.dtopen, t.dtclose, t.pnlcomm])).toEqual(backtest!.trades.map((t) => [t.dtopen, t.dtclose, t.pnlcomm]));
    expect(live!.finalValue).toBe(backtest!.finalValue);
  }, 60_000);
});
