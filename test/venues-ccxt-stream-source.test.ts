/**
 * The ccxt source over websockets: a real ccxt.pro.binance on the local Binance server's market
 * streams. Trades, the order book (diffs on top of the REST snapshot, a gap in the update ids
 * taken again from a new snapshot) and candles arrive by push, with no REST polling; candles
 * closed while the socket was down are fetched when it is back, each delivered once.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../ts/index.js';
import type { LiveSink } from '../ts/live/source.js';
import { ccxtSource, type CcxtExchange } from '../ts/venues/index.js';
import { startBinanceSpotServer, type BinanceSpotServer } from './venues/binance-spot-server.js';

const MIN = 60_000;

function proBinanceAt(server: BinanceSpotServer): CcxtExchange {
  const Pro = (ccxt as unknown as { pro: Record<string, new (o: Record<string, unknown>) => { urls: { api: Record<string, unknown> } }> }).pro.binance!;
  const ex = new Pro({ enableRateLimit: true, rateLimit: 1, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
  server.pointCcxt(ex);
  return ex as unknown as CcxtExchange;
}

function collect() {
  const messages: LiveMessage[] = [];
  let ended = false;
  const sink: LiveSink = { push: (m) => void messages.push(m), pushMany: (ms) => void messages.push(...ms), end: () => void (ended = true), error: (e) => { throw e; } };
  return { sink, messages, ended: () => ended };
}

const until = async (p: () => boolean, what: string, ms = 4000) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error(`not met in time: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ccxt source over websockets', () => {
  let server: BinanceSpotServer;
  afterEach(async () => server?.close());
  const restCalls = (path: string) => server.requests.filter((r) => r.path === path).length;

  it('trades arrive as ticks on <symbol>@trade, once each, with no REST polling', async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    const src = ccxtSource({ exchange: proBinanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Minutes', compression: 1 }, poll: 'trades', pollMs: 60_000, logger: false });
    const { sink, messages } = collect();
    await src.start(sink);
    await until(() => server.streams.stats.subscribes === 1, 'subscribed');
    server.trade('BTCUSDT', 100.5, 0.25);
    server.trade('BTCUSDT', 100.75, 1);
    server.trade('BTCUSDT', 100.25, 0.5);
    await until(() => messages.filter((m) => m.type === 'tick').length === 3, 'three ticks');
    expect(messages.flatMap((m) => (m.type === 'tick' ? [[m.price, m.size]] : []))).toEqual([[100.5, 0.25], [100.75, 1], [100.25, 0.5]]);
    expect(restCalls('/api/v3/aggTrades')).toBe(0);
    await src.stop();
  });

  it('the book: diffs applied on the REST snapshot by U/u; a gap in the ids is resynced from a new snapshot', async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    server.updateBook('BTCUSDT', { bids: [[99, 1], [98, 2]], asks: [[101, 1], [102, 2]] });
    const src = ccxtSource({ exchange: proBinanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Minutes', compression: 1 }, poll: 'quotes', logger: false, backoff: { baseMs: 10, maxMs: 50 } });
    const { sink, messages } = collect();
    await src.start(sink);
    await until(() => server.streams.stats.subscribes === 1, 'subscribed');
    server.updateBook('BTCUSDT', { bids: [[99.5, 3]] });
    const quotes = () => messages.flatMap((m) => (m.type === 'quote' ? [[m.bid, m.bidSize, m.ask, m.askSize]] : []));
    await until(() => quotes().some((q) => q[0] === 99.5), 'the new best bid');
    expect(quotes().at(-1)).toEqual([99.5, 3, 101, 1]);
    expect(restCalls('/api/v3/depth')).toBe(1);
    // ids skipped: ccxt must not apply this diff on a book it cannot trust
    server.updateBook('BTCUSDT', { asks: [[100.5, 4]] }, 3);
    await until(() => src.stats.resyncs >= 1, 'a resync');
    await until(() => server.streams.stats.subscribes >= 2, 'subscribed again');
    server.updateBook('BTCUSDT', { asks: [[101, 0]] });
    await until(() => quotes().some((q) => q[2] === 100.5 && q[3] === 4), 'the book after the resync');
    expect(restCalls('/api/v3/depth')).toBeGreaterThanOrEqual(2);
    expect(quotes().at(-1)).toEqual([99.5, 3, 100.5, 4]);
    await src.stop();
  });

  it('candles arrive on @kline_1m once closed; those closed while the socket was down come by REST when it is back, each once', async () => {
    server = await startBinanceSpotServer({ apiKey: 'k', secret: 's' });
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % MIN);
    const k = (i: number) => ({ openTime: t0 + i * MIN, closeTime: t0 + (i + 1) * MIN - 1, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 10 + i });
    const clock = { now: t0 };
    const src = ccxtSource({ exchange: proBinanceAt(server), symbol: 'BTC/USDT', frame: { timeframe: 'Minutes', compression: 1 }, now: () => clock.now, maxBars: 5, logger: false, backoff: { baseMs: 10, maxMs: 50 } });
    const { sink, messages, ended } = collect();
    await src.start(sink);
    await until(() => server.streams.stats.subscribes === 1, 'subscribed');
    const bars = () => messages.flatMap((m) => (m.type === 'bar' ? [m] : []));
    for (const i of [0, 1]) {
      clock.now = k(i).closeTime + 1;
      server.addKline('BTCUSDT', k(i));
    }
    await until(() => bars().length === 2, 'two bars');
    server.setOffline(true);
    await until(() => messages.some((m) => m.type === 'status' && m.state === 'disconnected'), 'disconnected');
    for (const i of [2, 3]) {
      clock.now = k(i).closeTime + 1;
      server.addKline('BTCUSDT', k(i)); // nobody hears these
    }
    server.setOffline(false);
    await until(() => bars().length === 4, 'the two missed bars');
    clock.now = k(4).closeTime + 1;
    server.addKline('BTCUSDT', k(4));
    await until(() => ended(), 'the fifth bar ends the source');
    expect(bars().map((b) => [b.time, b.open, b.close])).toEqual([0, 1, 2, 3, 4].map((i) => [k(i).openTime + MIN, k(i).open, k(i).close]));
    expect(src.stats.reconnects).toBe(1);
    expect(messages.filter((m) => m.type === 'status').map((m) => m.type === 'status' && m.state)).toEqual(['disconnected', 'connected']);
    await src.stop();
  });
});
