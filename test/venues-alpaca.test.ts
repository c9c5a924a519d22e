/**
 * The Alpaca adapter against the local Alpaca server (REST + the trade_updates WebSocket): the
 * conformance suite, the order life cycle, refusals with Alpaca's reasons, replace, order classes,
 * a dropped stream with a fill made meanwhile found by reconciliation, HTTP 429 waiting for the
 * rate-limit reset, and malformed answers and messages counted, never fatal.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAdapterConformance, type VenueEvent } from '../ts/index.js';
import { alpaca, type AlpacaBroker } from '../ts/venues/alpaca/index.js';
import { startAlpacaServer, type AlpacaServer } from './venues/alpaca-server.js';

const KEY = 'PKTEST0123456789';
const SECRET = 'secret-abcdefghijklmnop';
const fast = { logger: false as const, backoff: { baseMs: 10, maxMs: 50 }, heartbeatMs: 200 };
const at = (server: AlpacaServer) => ({ keyId: KEY, secretKey: SECRET, baseUrl: server.url, dataUrl: server.url });

brokerAdapterConformance('alpaca (local server)', {
  setup: async () => {
    const server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const adapter = alpaca({ ...at(server), ...fast });
    return { adapter, symbol: 'AAPL', setPrice: async (s, p) => server.setPrice(s, p), teardown: () => server.close() };
  },
}, { describe, it });

describe('alpaca adapter on the local Alpaca server', () => {
  let server: AlpacaServer;
  let adapter: AlpacaBroker | undefined;
  afterEach(async () => {
    await adapter?.disconnect();
    adapter = undefined;
    await server?.close();
  });

  async function connected(opts: Record<string, unknown> = {}, serverOpts: Record<string, unknown> = {}) {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET, ...serverOpts });
    server.setPrice('AAPL', 100);
    const a = alpaca({ ...at(server), ...fast, ...opts });
    adapter = a;
    const events: VenueEvent[] = [];
    a.events((e) => events.push(e));
    await a.connect();
    return { adapter: a, events };
  }
  const until = async (p: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!p()) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const orderEvents = (events: VenueEvent[], id: string) => events.flatMap((e) => (e.type === 'order' && e.order.clientOrderId === id ? [e.order] : []));
  const fillEvents = (events: VenueEvent[], id: string) => events.flatMap((e) => (e.type === 'fill' && e.fill.clientOrderId === id ? [e.fill] : []));

  it('submit → accepted → partially filled → filled, each step an event, the engine id sent as client_order_id', async () => {
    const { adapter, events } = await connected();
    const ack = await adapter.submit({ clientOrderId: 'life-1', symbol: 'AAPL', side: 'buy', size: 10, type: 'Limit', price: 99 });
    expect(ack.status).toBe('accepted');
    expect(server.market.byClientId('life-1')?.limitPrice).toBe(99);
    server.trade('AAPL', 98.5, 4);
    await until(() => orderEvents(events, 'life-1').some((o) => o.status === 'partial'));
    expect(orderEvents(events, 'life-1').find((o) => o.status === 'partial')!.filled).toBe(4);
    server.trade('AAPL', 98.75);
    await until(() => orderEvents(events, 'life-1').some((o) => o.status === 'filled'));
    const fills = fillEvents(events, 'life-1');
    expect(fills.map((f) => [f.size, f.price])).toEqual([[4, 98.5], [6, 98.75]]);
    const filled = orderEvents(events, 'life-1').at(-1)!;
    expect(filled.avgPrice).toBeCloseTo((4 * 98.5 + 6 * 98.75) / 10, 9);
    expect((await adapter.positions()).find((p) => p.symbol === 'AAPL')).toMatchObject({ size: 10 });
    expect((await adapter.account()).cash).toBeCloseTo(100_000 - 4 * 98.5 - 6 * 98.75, 6);
  });

  it("maps Alpaca's refusals: 403 insufficient buying power → Margin, 422 bad price → Rejected with Alpaca's text", async () => {
    const { adapter, events } = await connected();
    const margin = await adapter.submit({ clientOrderId: 'rich-1', symbol: 'AAPL', side: 'buy', size: 5000, type: 'Limit', price: 100 });
    expect(margin).toMatchObject({ status: 'rejected', rejection: 'Margin', reason: 'insufficient buying power' });
    const subPenny = await adapter.submit({ clientOrderId: 'px-1', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit', price: 50.123 });
    expect(subPenny.status).toBe('rejected');
    expect(subPenny.rejection).toBe('Rejected');
    expect(subPenny.reason).toMatch(/sub-penny increment does not fulfill minimum pricing criteria/);
    const unknown = await adapter.submit({ clientOrderId: 'sym-1', symbol: 'NOPE', side: 'buy', size: 1, type: 'Market' });
    expect(unknown).toMatchObject({ status: 'rejected', rejection: 'Rejected', reason: 'asset "NOPE" not found' });
    // each refusal is an event too, and nothing reached the book
    expect(orderEvents(events, 'rich-1')[0]!.rejection).toBe('Margin');
    expect(server.market.byClientId('rich-1')).toBeUndefined();
    expect(await adapter.openOrders()).toEqual([]);
  });

  it('maps the engine order types to Alpaca types; a stop triggers when the market trades through it', async () => {
    const { adapter, events } = await connected();
    await adapter.submit({ clientOrderId: 'stp-1', symbol: 'AAPL', side: 'sell', size: 1, type: 'Stop', stopPrice: 95 });
    await adapter.submit({ clientOrderId: 'sl-1', symbol: 'AAPL', side: 'buy', size: 1, type: 'StopLimit', stopPrice: 105, price: 106 });
    await adapter.submit({ clientOrderId: 'tr-1', symbol: 'AAPL', side: 'sell', size: 1, type: 'StopTrail', alpaca: { trailPrice: 2 } });
    expect([...server.market.orders.values()].map((o) => [o.clientOrderId, o.type])).toEqual([['stp-1', 'stop'], ['sl-1', 'stop_limit'], ['tr-1', 'trailing_stop']]);
    const noTrail = await adapter.submit({ clientOrderId: 'tr-2', symbol: 'AAPL', side: 'sell', size: 1, type: 'StopTrail' });
    expect(noTrail.reason).toMatch(/trailPrice/);
    const gtd = await adapter.submit({ clientOrderId: 'gtd-1', symbol: 'AAPL', side: 'sell', size: 1, type: 'Limit', price: 120, tif: 'GTD' });
    expect(gtd.reason).toMatch(/no GTD/);
    server.trade('AAPL', 106); // buy stop-limit triggers at 105, fills at 106 ≤ limit; the trail's high is now 106
    await until(() => orderEvents(events, 'sl-1').some((o) => o.status === 'filled'));
    server.trade('AAPL', 103.5); // 106 − 2 = 104 reached: the trailing stop fills; the plain stop at 95 does not
    await until(() => orderEvents(events, 'tr-1').some((o) => o.status === 'filled'));
    expect(fillEvents(events, 'tr-1')[0]!.price).toBe(103.5);
    expect((await adapter.openOrders()).map((o) => [o.clientOrderId, o.type])).toEqual([['stp-1', 'Stop']]);
  });

  it('cancels by client id; a cancel of a filled order reports it filled', async () => {
    const { adapter, events } = await connected();
    await adapter.submit({ clientOrderId: 'c-1', symbol: 'AAPL', side: 'sell', size: 1, type: 'Limit', price: 120 });
    const c = await adapter.cancel('c-1');
    expect(c.status).toBe('canceled');
    await until(() => orderEvents(events, 'c-1').some((o) => o.status === 'canceled'));
    expect(server.market.byClientId('c-1')!.status).toBe('canceled');
    await adapter.submit({ clientOrderId: 'c-2', symbol: 'AAPL', side: 'sell', size: 1, type: 'Limit', price: 101 });
    server.trade('AAPL', 101.5);
    expect((await adapter.cancel('c-2')).status).toBe('filled');
    await expect(adapter.cancel('never-sent')).rejects.toMatchObject({ code: 'VENUE_UNKNOWN_ORDER' });
  });

  it('modify is a PATCH replace: the engine keeps its client id across replacements, and cancel reaches the newest', async () => {
    const { adapter, events } = await connected();
    const first = await adapter.submit({ clientOrderId: 'm-1', symbol: 'AAPL', side: 'buy', size: 2, type: 'Limit', price: 90 });
    const m1 = await adapter.modify('m-1', { price: 91 });
    const m2 = await adapter.modify('m-1', { price: 92, size: 3 });
    expect([m1.clientOrderId, m1.price, m2.clientOrderId, m2.price, m2.size]).toEqual(['m-1', 91, 'm-1', 92, 3]);
    expect(new Set([first.venueOrderId, m1.venueOrderId, m2.venueOrderId]).size).toBe(3);
    // Alpaca holds three orders: two replaced, the newest open with the second replacement's client id
    expect([...server.market.orders.values()].map((o) => [o.clientOrderId, o.status])).toEqual([['m-1', 'replaced'], ['m-1~r1', 'replaced'], ['m-1~r2', 'new']]);
    expect((await adapter.order('m-1'))!.price).toBe(92);
    expect((await adapter.cancel('m-1')).status).toBe('canceled');
    await until(() => orderEvents(events, 'm-1').some((o) => o.status === 'canceled'));
    // a fresh adapter (a restart) finds the newest by following replaced_by
    const again = alpaca({ ...at(server), ...fast });
    expect(await again.order('m-1')).toMatchObject({ status: 'canceled', price: 92, venueOrderId: m2.venueOrderId });
  });

  it('sends bracket and OCO order classes natively: the exits work after the entry fills, one exit cancels the other', async () => {
    const { adapter, events } = await connected();
    expect(adapter.capabilities()).toMatchObject({ brackets: true, oco: true, modify: true });
    await adapter.submit({ clientOrderId: 'br-1', symbol: 'AAPL', side: 'buy', size: 5, type: 'Limit', price: 99, alpaca: { orderClass: 'bracket', takeProfit: { limitPrice: 110 }, stopLoss: { stopPrice: 95 } } });
    const parent = server.market.byClientId('br-1')!;
    expect(parent.legs.map((id) => server.market.orders.get(id)!.status)).toEqual(['held', 'held']);
    server.trade('AAPL', 98.8);
    await until(() => orderEvents(events, 'br-1').some((o) => o.status === 'filled'));
    const legs = parent.legs.map((id) => server.market.orders.get(id)!);
    await until(() => legs.every((l) => l.status === 'new'));
    expect((await adapter.openOrders()).map((o) => [o.type, o.side, o.price ?? o.stopPrice])).toEqual([['Limit', 'sell', 110], ['Stop', 'sell', 95]]);
    server.trade('AAPL', 111);
    await until(() => legs[1]!.status === 'canceled');
    expect(legs[0]!.status).toBe('filled');
    expect((await adapter.positions()).find((p) => p.symbol === 'AAPL')?.size ?? 0).toBe(0);
    // a leg's events carry the leg's own client id (Alpaca names the legs)
    expect(events.some((e) => e.type === 'fill' && e.fill.clientOrderId === legs[0]!.clientOrderId && e.fill.price === 111)).toBe(true);
  });

  it('a dropped stream reconnects with backoff and listens again; the fill made while it was down is found by reconciliation, once', async () => {
    const { adapter, events } = await connected();
    await adapter.submit({ clientOrderId: 'rc-1', symbol: 'AAPL', side: 'buy', size: 3, type: 'Limit', price: 95 });
    await until(() => server.listening === 1);
    server.setStreamsDown(true);
    await until(() => adapter.connectionState === 'reconnecting');
    server.trade('AAPL', 94.5); // fills while nobody listens
    await new Promise((r) => setTimeout(r, 120)); // a few refused reconnects
    expect(fillEvents(events, 'rc-1')).toEqual([]);
    server.setStreamsDown(false);
    await until(() => fillEvents(events, 'rc-1').length === 1 && orderEvents(events, 'rc-1').some((o) => o.status === 'filled'));
    expect(adapter.connectionState).toBe('connected');
    expect(adapter.stats).toMatchObject({ reconnects: 1, reconciledFills: 1 });
    expect(server.streamConnections.trade).toBeGreaterThan(1);
    expect(events.filter((e) => e.type === 'connection').map((e) => e.type === 'connection' && e.state)).toEqual(expect.arrayContaining(['reconnecting', 'connected']));
    // the fill's id is the execution id, whether from the stream or the activities: a later stream fill is not doubled
    const f = fillEvents(events, 'rc-1')[0]!;
    expect(f).toMatchObject({ size: 3, price: 94.5 });
    expect((await adapter.fillsSince(0)).map((x) => x.fillId)).toContain(f.fillId);
    await adapter.submit({ clientOrderId: 'rc-2', symbol: 'AAPL', side: 'sell', size: 1, type: 'Market' });
    await until(() => fillEvents(events, 'rc-2').length === 1);
    const ids = events.flatMap((e) => (e.type === 'fill' ? [e.fill.fillId] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a silent connection (no pong) is dropped by the heartbeat and replaced', async () => {
    const { adapter } = await connected({ heartbeatMs: 30 });
    await until(() => server.listening === 1);
    const before = server.streamConnections.trade;
    server.silenceStreams(); // no pong comes back: the client must notice and reconnect
    await until(() => server.streamConnections.trade > before && adapter.connectionState === 'connected', 3000);
    expect(adapter.stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('HTTP 429 waits for the X-RateLimit-Reset time before retrying; past the retries the call fails with VENUE_RATE_LIMITED', async () => {
    const { adapter } = await connected();
    server.rateLimitNext(1, { path: '/v2/account', resetMs: 400 });
    const t0 = Date.now();
    const a = await adapter.account();
    expect(a.cash).toBe(100_000);
    const hits = server.requests.filter((r) => r.path === '/v2/account').slice(-2);
    expect(hits.map((h) => h.status)).toEqual([429, 200]);
    // the reset is a whole epoch second at or after t0 + 400 ms; the retry came no earlier
    expect(hits[1]!.at).toBeGreaterThanOrEqual(Math.ceil((hits[0]!.at + 400) / 1000) * 1000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(adapter.stats.rateLimited).toBe(1);
    server.rateLimitNext(10, { path: '/v2/positions', resetMs: 0 });
    const limited = alpaca({ ...at(server), ...fast, maxRetries: 1 });
    await expect(limited.positions()).rejects.toMatchObject({ code: 'VENUE_RATE_LIMITED' });
    expect(limited.stats.rateLimited).toBe(2);
  });

  it('malformed REST bodies and stream messages are logged and counted, never crash the adapter or its stream', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) });
    const { adapter, events } = await connected({ logger });
    server.malformNext('/v2/account');
    await expect(adapter.account()).rejects.toMatchObject({ code: 'VENUE_BAD_RESPONSE' });
    await until(() => server.listening === 1);
    server.sendRaw('trade', 'this is not JSON');
    server.sendRaw('trade', JSON.stringify({ stream: 'trade_updates', data: { event: 'fill' } }));
    server.sendRaw('trade', JSON.stringify({ stream: 'trade_updates', data: { event: 'fill', order: { id: 'x' } } }));
    await until(() => adapter.stats.malformed >= 4);
    expect(adapter.connectionState).toBe('connected');
    await adapter.submit({ clientOrderId: 'after-1', symbol: 'AAPL', side: 'buy', size: 1, type: 'Market' });
    await until(() => fillEvents(events, 'after-1').length === 1);
    expect(lines.filter((l) => /malformed|could not be handled/.test(l)).length).toBeGreaterThanOrEqual(4);
  });

  it('never logs the keys, and says where to put them when there are none', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const { adapter } = await connected({ logger });
    server.malformNext('/v2/positions');
    await adapter.positions().catch(() => undefined);
    await adapter.submit({ clientOrderId: 'k-1', symbol: 'AAPL', side: 'buy', size: 1e6, type: 'Market' });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(() => alpaca({ env: {}, logger: false })).toThrow(/APCA_API_KEY_ID/);
    // keys from the environment, and the paper endpoint by default; paper: false is the live one
    const fromEnv = alpaca({ env: { APCA_API_KEY_ID: 'a1', APCA_API_SECRET_KEY: 'b2' }, logger: false });
    expect(fromEnv.config).toMatchObject({ keyId: 'a1', baseUrl: 'https://paper-api.alpaca.markets', streamUrl: 'wss://paper-api.alpaca.markets/stream', dataStreamUrl: 'wss://stream.data.alpaca.markets/v2/iex' });
    expect(alpaca({ env: { APCA_API_KEY_ID: 'a1', APCA_API_SECRET_KEY: 'b2' }, paper: false, logger: false }).config.baseUrl).toBe('https://api.alpaca.markets');
  });

  it('wrong keys fail connect with the venue refusing them', async () => {
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET });
    const bad = alpaca({ ...at(server), ...fast, secretKey: 'wrong-secret' });
    await expect(bad.connect()).rejects.toThrow(/401: request is not authorized/);
  });
});
