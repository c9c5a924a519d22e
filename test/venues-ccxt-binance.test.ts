/**
 * The ccxt adapter on a real ccxt.binance pointed at the local Binance spot server: the
 * conformance suite, the order life cycle, refusals with the venue's reasons, an outage with a
 * fill found afterwards, HTTP 429 backoff and malformed answers.
 */
import ccxt from 'ccxt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAdapterConformance, EventBus, type VenueEvent } from '../ts/index.js';
import { ccxtBroker, type CcxtExchange } from '../ts/venues/ccxt/index.js';
import { startBinanceSpotServer, type BinanceSpotServer } from './venues/binance-spot-server.js';

const KEY = 'test-key-0123456789';
const SECRET = 'test-secret-abcdefghij';

function binanceAt(server: BinanceSpotServer, secret = SECRET): CcxtExchange {
  const ex = new ccxt.binance({ apiKey: KEY, secret, enableRateLimit: true, rateLimit: 5, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
  ex.urls.api = server.ccxtUrls(ex.urls.api as Record<string, string>);
  return ex as unknown as CcxtExchange;
}

const fast = { pollMs: 20, logger: false as const, backoff: { baseMs: 10, maxMs: 50 } };

brokerAdapterConformance('ccxt binance (local server)', {
  setup: async () => {
    const server = await startBinanceSpotServer({ apiKey: KEY, secret: SECRET });
    const adapter = ccxtBroker({ exchange: binanceAt(server), symbols: ['BTC/USDT'], ...fast });
    return { adapter, symbol: 'BTC/USDT', setPrice: async (_s, p) => server.setPrice('BTCUSDT', p), teardown: () => server.close() };
  },
}, { describe, it });

describe('ccxt adapter on the Binance spot server', () => {
  let server: BinanceSpotServer;
  afterEach(async () => server?.close());

  async function connected(opts: Record<string, unknown> = {}) {
    server = await startBinanceSpotServer({ apiKey: KEY, secret: SECRET });
    server.setPrice('BTCUSDT', 100);
    const adapter = ccxtBroker({ exchange: binanceAt(server), symbols: ['BTC/USDT'], ...fast, ...opts });
    const events: VenueEvent[] = [];
    adapter.events((e) => events.push(e));
    await adapter.connect();
    return { adapter, events };
  }
  const until = async (p: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!p()) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('submit → accepted → partially filled → filled, each step an event, the client id sent as newClientOrderId', async () => {
    const { adapter, events } = await connected();
    const ack = await adapter.submit({ clientOrderId: 'life-1', symbol: 'BTC/USDT', side: 'buy', size: 2, type: 'Limit', price: 99 });
    expect(ack.status).toBe('accepted');
    expect(server.listOrders().find((o) => o.clientOrderId === 'life-1')).toBeTruthy();
    server.trade('BTCUSDT', 98.5, 0.5);
    await until(() => events.some((e) => e.type === 'order' && e.order.status === 'partial'));
    const partial = events.find((e) => e.type === 'order' && e.order.status === 'partial');
    expect(partial?.type === 'order' && partial.order.filled).toBe(0.5);
    server.trade('BTCUSDT', 98.5);
    await until(() => events.some((e) => e.type === 'order' && e.order.status === 'filled'));
    const fills = events.flatMap((e) => (e.type === 'fill' ? [e.fill] : []));
    expect(fills.map((f) => [f.clientOrderId, f.size, f.price])).toEqual([['life-1', 0.5, 99], ['life-1', 1.5, 99]]);
    const statuses = events.flatMap((e) => (e.type === 'order' ? [e.order.status] : []));
    expect(statuses).toEqual(['accepted', 'partial', 'filled']);
    await adapter.disconnect();
  });

  it('rounds to the lot and tick as ccxt does and refuses what breaks the market rules before sending', async () => {
    const { adapter } = await connected();
    const o = await adapter.submit({ clientOrderId: 'round-1', symbol: 'BTC/USDT', side: 'buy', size: 0.1234567, type: 'Limit', price: 50.123 });
    expect(o.size).toBeCloseTo(0.12345, 10);
    expect(o.price).toBeCloseTo(50.12, 10);
    const sent = server.requests.filter((r) => r.method === 'POST').length;
    const tiny = await adapter.submit({ clientOrderId: 'tiny-1', symbol: 'BTC/USDT', side: 'buy', size: 0.000001, type: 'Limit', price: 50 });
    expect(tiny).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(tiny.reason).toMatch(/minimum/);
    const notional = await adapter.submit({ clientOrderId: 'notional-1', symbol: 'BTC/USDT', side: 'buy', size: 0.01, type: 'Limit', price: 50 });
    expect(notional.reason).toMatch(/notional/);
    expect(server.requests.filter((r) => r.method === 'POST').length).toBe(sent);
    await adapter.disconnect();
  });

  it("maps the venue's refusals: insufficient funds → Margin, an invalid order → Rejected with the venue's text", async () => {
    const { adapter, events } = await connected();
    server.setPrice('BTCUSDT', 1000);
    const margin = await adapter.submit({ clientOrderId: 'rich-1', symbol: 'BTC/USDT', side: 'buy', size: 5000, type: 'Limit', price: 1000 });
    expect(margin).toMatchObject({ status: 'rejected', rejection: 'Margin' });
    expect(margin.reason).toContain('insufficient balance');
    server.setPrice('BTCUSDT', 0.5);
    // the market-rule check passes locally at the last known price; the venue's NOTIONAL filter refuses at its own
    const invalid = await adapter.submit({ clientOrderId: 'inv-1', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Market' });
    expect(invalid).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(invalid.reason).toContain('Filter failure: NOTIONAL');
    expect(events.filter((e) => e.type === 'order' && e.order.status === 'rejected')).toHaveLength(2);
    expect(await adapter.openOrders()).toEqual([]);
    await adapter.disconnect();
  });

  it('cancels by client id; a cancel of a filled order reports it filled', async () => {
    const { adapter } = await connected();
    await adapter.submit({ clientOrderId: 'c-1', symbol: 'BTC/USDT', side: 'sell', size: 1, type: 'Limit', price: 120 });
    expect((await adapter.cancel('c-1')).status).toBe('canceled');
    expect(server.listOrders().find((o) => o.clientOrderId === 'c-1')?.status).toBe('CANCELED');
    await adapter.submit({ clientOrderId: 'c-2', symbol: 'BTC/USDT', side: 'sell', size: 1, type: 'Limit', price: 101 });
    server.setPrice('BTCUSDT', 102);
    expect((await adapter.cancel('c-2')).status).toBe('filled');
    await adapter.disconnect();
  });

  it('a resend after a restart is the same order: the venue is asked for the client id first', async () => {
    const { adapter } = await connected();
    await adapter.submit({ clientOrderId: 'again-1', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Market' });
    await adapter.disconnect();
    const second = ccxtBroker({ exchange: binanceAt(server), symbols: ['BTC/USDT'], ...fast });
    await second.connect();
    const b = await second.submit({ clientOrderId: 'again-1', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Market' });
    expect(b.status).toBe('filled');
    expect(server.listOrders().filter((o) => o.clientOrderId === 'again-1')).toHaveLength(1);
    await second.disconnect();
  });

  it('an outage: reconnecting with backoff on the bus, and the fill made meanwhile found when the venue is back', async () => {
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('connection', (e) => states.push(e.state));
    const { adapter, events } = await connected({ bus });
    await adapter.submit({ clientOrderId: 'out-1', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Limit', price: 95 });
    server.setOffline(true);
    await until(() => adapter.connectionState === 'reconnecting');
    server.setPrice('BTCUSDT', 94); // fills while the adapter cannot see
    await new Promise((r) => setTimeout(r, 60));
    expect(events.some((e) => e.type === 'fill')).toBe(false);
    server.setOffline(false);
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'out-1'));
    await until(() => adapter.connectionState === 'connected');
    expect(events.filter((e) => e.type === 'fill')).toHaveLength(1);
    expect(states.slice(0, 3)).toEqual(['connecting', 'connected', 'reconnecting']);
    expect(states).toContain('connected');
    expect(adapter.stats.reconnects).toBeGreaterThanOrEqual(1);
    await adapter.disconnect();
    expect(states.at(-1)).toBe('stopped');
  });

  it('HTTP 429 is retried with backoff; past the retries the call fails with VENUE_RATE_LIMITED', async () => {
    const { adapter } = await connected({ maxRetries: 3 });
    server.rateLimitNext(2, '/api/v3/account');
    const a = await adapter.account();
    expect(a.cash).toBe(1_000_000);
    expect(adapter.stats.rateLimited).toBe(2);
    server.rateLimitNext(10, '/api/v3/account');
    await expect(adapter.positions()).rejects.toMatchObject({ code: 'VENUE_RATE_LIMITED' });
    await adapter.disconnect();
  });

  it("an HTTP 429's Retry-After is honoured: the retry waits at least that long, even when the backoff is shorter", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const { adapter } = await connected({ logger });
    server.rateLimitNext(1, '/api/v3/account', 1);
    expect((await adapter.account()).cash).toBe(1_000_000);
    const waits = lines.map((l) => JSON.parse(l) as { msg: string; delayMs?: number; retryAfterMs?: number }).filter((r) => r.msg === 'rate limited; backing off');
    expect(waits).toHaveLength(1);
    expect(waits[0]!.retryAfterMs).toBe(1000);
    expect(waits[0]!.delayMs).toBeGreaterThanOrEqual(1000); // the backoff alone is at most 50 ms here
    // Retry-After: 0 leaves the backoff as it is.
    server.rateLimitNext(1, '/api/v3/account', 0);
    await adapter.account();
    const second = lines.map((l) => JSON.parse(l) as { msg: string; delayMs?: number }).filter((r) => r.msg === 'rate limited; backing off')[1]!;
    expect(second.delayMs).toBeLessThanOrEqual(50);
    await adapter.disconnect();
  });

  it('malformed answers are logged and counted, never crash the adapter or its polling', async () => {
    const { adapter, events } = await connected();
    server.malformNext('/api/v3/account', 'malformed');
    await expect(adapter.positions()).rejects.toMatchObject({ code: 'VENUE_BAD_RESPONSE' });
    server.malformNext('/api/v3/myTrades', 'garbage');
    server.malformNext('/api/v3/myTrades', 'malformed');
    await new Promise((r) => setTimeout(r, 100));
    expect(adapter.stats.malformed).toBeGreaterThanOrEqual(2);
    await adapter.submit({ clientOrderId: 'after-1', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Market' });
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'after-1'));
    expect((await adapter.positions())[0]!.size).toBe(101);
    await adapter.disconnect();
  });

  it('logs what went wrong without ever showing the keys or a request signature', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    const { adapter } = await connected({ logger });
    server.rateLimitNext(1, '/api/v3/account');
    await adapter.positions();
    server.malformNext('/api/v3/account', 'malformed');
    await expect(adapter.positions()).rejects.toThrow();
    server.setOffline(true);
    await until(() => adapter.connectionState === 'reconnecting');
    server.setOffline(false);
    await until(() => adapter.connectionState === 'connected');
    await adapter.disconnect();
    const log = lines.join('');
    expect(log).toMatch(/rate limited/);
    expect(log).toMatch(/malformed answer/);
    expect(log).toMatch(/venue unreachable/);
    expect(log).not.toContain(KEY);
    expect(log).not.toContain(SECRET);
    expect(log).not.toMatch(/signature=[0-9a-f]{16}/);
  });

  it('signs as Binance documents: a wrong secret is refused by the server', async () => {
    server = await startBinanceSpotServer({ apiKey: KEY, secret: SECRET });
    const adapter = ccxtBroker({ exchange: binanceAt(server, 'not-the-secret'), symbols: ['BTC/USDT'], ...fast });
    await adapter.connect();
    await expect(adapter.account()).rejects.toThrow(/Signature for this request is not valid/);
    await adapter.disconnect();
  });
});
