/**
 * The ccxt adapter over websockets: a real ccxt.pro.binance pointed at the local Binance server's
 * REST API and its streams. The account's events come on the user data stream (the WebSocket
 * API's signed subscription) with no REST polling; a socket dropped in the middle of an order's
 * life is reopened and subscribed again, and reconciliation finds the fill made meanwhile;
 * malformed frames are counted and dropped.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAdapterConformance, EventBus, type VenueEvent } from '../ts/index.js';
import { ccxtBroker, type CcxtExchange } from '../ts/venues/ccxt/index.js';
import { startBinanceSpotServer, type BinanceSpotServer } from './venues/binance-spot-server.js';

const KEY = 'ws-key-0123456789';
const SECRET = 'ws-secret-abcdefghij';

function proBinanceAt(server: BinanceSpotServer): CcxtExchange {
  const Pro = (ccxt as unknown as { pro: Record<string, new (o: Record<string, unknown>) => { urls: { api: Record<string, unknown> } }> }).pro.binance!;
  const ex = new Pro({ apiKey: KEY, secret: SECRET, enableRateLimit: true, rateLimit: 5, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
  server.pointCcxt(ex);
  return ex as unknown as CcxtExchange;
}

// polling so slow that within a test any event seen must have come over the socket
const streamOnly = { pollMs: 60_000, reconcileMs: 60_000, logger: false as const, backoff: { baseMs: 10, maxMs: 50 } };

const until = async (p: () => boolean, what: string, ms = 4000) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error(`not met in time: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

brokerAdapterConformance('ccxt binance over websockets (local server)', {
  setup: async () => {
    const server = await startBinanceSpotServer({ apiKey: KEY, secret: SECRET });
    const adapter = ccxtBroker({ exchange: proBinanceAt(server), symbols: ['BTC/USDT'], ...streamOnly });
    return { adapter, symbol: 'BTC/USDT', setPrice: async (_s, p) => server.setPrice('BTCUSDT', p), teardown: () => server.close() };
  },
}, { describe, it });

describe('ccxt adapter on the user data stream', () => {
  let server: BinanceSpotServer;
  afterEach(async () => server?.close());

  async function connected(opts: Record<string, unknown> = {}) {
    server = await startBinanceSpotServer({ apiKey: KEY, secret: SECRET });
    server.setPrice('BTCUSDT', 100);
    const adapter = ccxtBroker({ exchange: proBinanceAt(server), symbols: ['BTC/USDT'], ...streamOnly, ...opts });
    const events: VenueEvent[] = [];
    adapter.events((e) => events.push(e));
    await adapter.connect();
    return { adapter, events };
  }
  const restReads = () => server.requests.filter((r) => r.method === 'GET' && /myTrades|openOrders|\/order$/.test(r.path)).length;

  it('chooses websockets when the exchange has watchOrders/watchMyTrades, and polling for a REST-only class', async () => {
    const { adapter } = await connected();
    expect(adapter.streaming).toBe(true);
    expect(server.streams.stats.userSubscribes).toBe(1);
    await adapter.disconnect();
    const rest = new ccxt.binance({ apiKey: KEY, secret: SECRET, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
    rest.urls.api = server.ccxtUrls(rest.urls.api as Record<string, string>);
    const polled = ccxtBroker({ exchange: rest as unknown as CcxtExchange, symbols: ['BTC/USDT'], ...streamOnly });
    await polled.connect();
    expect(polled.streaming).toBe(false);
    await polled.disconnect();
    const forced = ccxtBroker({ exchange: rest as unknown as CcxtExchange, symbols: ['BTC/USDT'], ...streamOnly, transport: 'websocket' });
    await expect(forced.connect()).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });

  it('order events arrive on the stream with no REST poll: accepted, partial, filled, each fill once', async () => {
    const { adapter, events } = await connected();
    const readsBefore = restReads();
    await adapter.submit({ clientOrderId: 'ws-life-1', symbol: 'BTC/USDT', side: 'buy', size: 2, type: 'Limit', price: 99 });
    server.trade('BTCUSDT', 98.5, 0.5);
    await until(() => events.some((e) => e.type === 'order' && e.order.status === 'partial'), 'partial');
    server.trade('BTCUSDT', 98.5);
    await until(() => events.some((e) => e.type === 'order' && e.order.status === 'filled'), 'filled');
    await until(() => events.filter((e) => e.type === 'fill').length === 2, 'two fills');
    const fills = events.flatMap((e) => (e.type === 'fill' ? [[e.fill.clientOrderId, e.fill.size, e.fill.price]] : []));
    expect(fills).toEqual([['ws-life-1', 0.5, 99], ['ws-life-1', 1.5, 99]]);
    expect(events.flatMap((e) => (e.type === 'order' ? [e.order.status] : []))).toEqual(['accepted', 'partial', 'filled']);
    // the submit's own idempotence check is one GET /order; nothing polled after it
    expect(restReads() - readsBefore).toBe(1);
    expect(adapter.stats.streamed).toBeGreaterThanOrEqual(4);
    await adapter.disconnect();
  });

  it('the socket dropped mid-order: reconnect, subscribe again, and reconciliation finds the fill made meanwhile', async () => {
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('connection', (e) => states.push(e.state));
    const { adapter, events } = await connected({ bus });
    await adapter.submit({ clientOrderId: 'drop-1', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Limit', price: 95 });
    server.setOffline(true); // every socket closed, REST refused
    await until(() => adapter.connectionState === 'reconnecting', 'reconnecting');
    server.setPrice('BTCUSDT', 94); // fills while nobody listens
    await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.type === 'fill')).toBe(false);
    server.setOffline(false);
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'drop-1'), 'the fill made while down');
    await until(() => adapter.connectionState === 'connected', 'connected');
    expect(server.streams.stats.userSubscribes).toBeGreaterThanOrEqual(2);
    expect(adapter.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(states).toContain('reconnecting');
    // the new subscription carries the next order's events
    await adapter.submit({ clientOrderId: 'drop-2', symbol: 'BTC/USDT', side: 'sell', size: 1, type: 'Limit', price: 96 });
    server.setPrice('BTCUSDT', 97);
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'drop-2'), 'a fill on the new subscription');
    expect(events.filter((e) => e.type === 'fill').map((e) => e.type === 'fill' && e.fill.clientOrderId)).toEqual(['drop-1', 'drop-2']);
    await adapter.disconnect();
  });

  it('malformed frames are counted and dropped; the stream goes on', async () => {
    const { adapter, events } = await connected();
    server.streams.sendRaw('{"e":"executionReport","s":', 'api');
    server.streams.sendRaw('[1,2,3]', 'api');
    server.streams.sendRaw('{"surprise":true}', 'api');
    await until(() => adapter.stats.malformed >= 3, 'three malformed frames counted');
    await adapter.submit({ clientOrderId: 'after-bad', symbol: 'BTC/USDT', side: 'buy', size: 1, type: 'Market' });
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'after-bad'), 'a fill after bad frames');
    expect(adapter.connectionState).toBe('connected');
    await adapter.disconnect();
  });
});
