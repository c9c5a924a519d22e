/**
 * The ccxt adapter on a futures venue: a real ccxt.pro.binanceusdm pointed at the local Binance
 * USDⓈ-M server, trading the BTCUSDT perpetual. The conformance suite; signed positions (a sell
 * from flat is a short) with the venue's entry price and the margin account; the venue's margin
 * and price-band refusals; leverage set at connect; HTTP 429/418 answered with backoff on the
 * REST calls and on the listen key the user stream needs.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAdapterConformance, type VenueEvent } from '../ts/index.js';
import { ccxtBroker, type CcxtExchange } from '../ts/venues/ccxt/index.js';
import { startBinanceFuturesServer, type BinanceFuturesServer } from './venues/binance-futures-server.js';

const KEY = 'fut-key-0123456789';
const SECRET = 'fut-secret-abcdefghij';
const PERP = 'BTC/USDT:USDT';

function usdmAt(server: BinanceFuturesServer): CcxtExchange {
  const Pro = (ccxt as unknown as { pro: Record<string, new (o: Record<string, unknown>) => { urls: { api: Record<string, unknown> } }> }).pro.binanceusdm!;
  const ex = new Pro({ apiKey: KEY, secret: SECRET, enableRateLimit: true, rateLimit: 5, options: { fetchMarkets: { types: ['linear'] }, fetchCurrencies: false } });
  server.pointCcxt(ex);
  return ex as unknown as CcxtExchange;
}

const opts = { pollMs: 60_000, reconcileMs: 60_000, logger: false as const, backoff: { baseMs: 10, maxMs: 50 } };

brokerAdapterConformance('ccxt binanceusdm perpetual (local server)', {
  setup: async () => {
    const server = await startBinanceFuturesServer({ apiKey: KEY, secret: SECRET, wallet: 100_000 });
    const adapter = ccxtBroker({ exchange: usdmAt(server), symbols: [PERP], ...opts });
    return { adapter, symbol: PERP, setPrice: async (_s, p) => server.setPrice('BTCUSDT', p), teardown: () => server.close() };
  },
}, { describe, it });

describe('ccxt adapter on the Binance USDⓈ-M futures server', () => {
  let server: BinanceFuturesServer;
  afterEach(async () => server?.close());

  async function connected(extra: Record<string, unknown> = {}) {
    server = await startBinanceFuturesServer({ apiKey: KEY, secret: SECRET, wallet: 10_000 });
    server.setPrice('BTCUSDT', 100);
    const adapter = ccxtBroker({ exchange: usdmAt(server), symbols: [PERP], ...opts, ...extra });
    const events: VenueEvent[] = [];
    adapter.events((e) => events.push(e));
    await adapter.connect();
    return { adapter, events };
  }
  const until = async (p: () => boolean, what: string) => {
    const end = Date.now() + 4000;
    while (!p()) {
      if (Date.now() > end) throw new Error(`not met in time: ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('positions are signed: a sell from flat is a short at the venue entry price; equity adds its unrealized profit', async () => {
    const { adapter, events } = await connected({ leverage: 5 });
    expect(server.leverageOf('BTCUSDT')).toBe(5);
    await adapter.submit({ clientOrderId: 'short-1', symbol: PERP, side: 'sell', size: 2, type: 'Market' });
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'short-1'), 'the short fill');
    expect(await adapter.positions()).toEqual([{ symbol: PERP, size: -2, avgPrice: 100 }]);
    expect(server.position('BTCUSDT')).toEqual({ amt: -2, entry: 100 });
    server.setPrice('BTCUSDT', 90);
    const a = await adapter.account();
    expect(a.cash).toBe(10_000);
    expect(a.equity).toBeCloseTo(10_020, 6); // short 2 from 100 to 90
    expect(a.margin).toBeCloseTo((2 * 90) / 5, 6);
    // buying 3 closes the short (realizing +20) and opens a long of 1 at 90
    await adapter.submit({ clientOrderId: 'flip-1', symbol: PERP, side: 'buy', size: 3, type: 'Market' });
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'flip-1'), 'the flip fill');
    expect(await adapter.positions()).toEqual([{ symbol: PERP, size: 1, avgPrice: 90 }]);
    expect((await adapter.account()).cash).toBeCloseTo(10_020, 6);
    await adapter.disconnect();
  });

  it("the venue's refusals: -2019 Margin is insufficient → Margin; a limit beyond the price band → Rejected with Binance's text", async () => {
    const { adapter } = await connected({ leverage: 2 });
    const big = await adapter.submit({ clientOrderId: 'big-1', symbol: PERP, side: 'buy', size: 250, type: 'Market' });
    expect(big).toMatchObject({ status: 'rejected', rejection: 'Margin' });
    expect(big.reason).toContain('Margin is insufficient');
    const band = await adapter.submit({ clientOrderId: 'band-1', symbol: PERP, side: 'buy', size: 1, type: 'Limit', price: 120 });
    expect(band).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(band.reason).toBe("Limit price can't be higher than 105.0. (code -4016)");
    const low = await adapter.submit({ clientOrderId: 'band-2', symbol: PERP, side: 'sell', size: 1, type: 'Limit', price: 80 });
    expect(low.reason).toBe("Limit price can't be lower than 95.0. (code -4024)");
    expect(await adapter.openOrders()).toEqual([]);
    expect(server.listOrders()).toHaveLength(0);
    await adapter.disconnect();
  });

  it('HTTP 429 and 418 are retried with backoff, on the REST calls and on the listen key of the user stream', async () => {
    server = await startBinanceFuturesServer({ apiKey: KEY, secret: SECRET });
    server.setPrice('BTCUSDT', 100);
    server.rateLimitNext(1, '/fapi/v1/listenKey', 418);
    server.rateLimitNext(1, '/fapi/v1/listenKey', 429);
    const adapter = ccxtBroker({ exchange: usdmAt(server), symbols: [PERP], ...opts });
    const events: VenueEvent[] = [];
    adapter.events((e) => events.push(e));
    await adapter.connect();
    await until(() => server.streams.open('user') === 1, 'the user stream open after the rate limits');
    expect(server.requests.filter((r) => r.path === '/fapi/v1/listenKey').map((r) => r.status)).toEqual([418, 429, 200]);
    server.rateLimitNext(2, '/fapi/v3/positionRisk');
    expect(await adapter.positions()).toEqual([]); // flat: no position listed
    // (ccxt's own position snapshot for the stream may take one of the two 429s)
    expect(adapter.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(server.requests.filter((r) => r.path === '/fapi/v3/positionRisk').map((r) => r.status).slice(-3)).toEqual([429, 429, 200]);
    await adapter.submit({ clientOrderId: 'after-limit', symbol: PERP, side: 'buy', size: 1, type: 'Market' });
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'after-limit'), 'a fill on the stream');
    await adapter.disconnect();
  });
});
