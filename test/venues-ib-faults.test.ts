/**
 * Faults between the IB adapter and the scripted TWS: the socket lost in the middle of an
 * order's life with a fill while the adapter is away (reconciliation through reqExecutions
 * delivers it once), TWS's own 1100/1102 connectivity messages, historical-data pacing (162)
 * retried with backoff, malformed messages counted and survived, and the market-data source
 * resubscribing after a reconnect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VenueEvent } from '../ts/index.js';
import type { LiveMessage, LiveSink } from '../ts/live/source.js';
import { ib, ibSource, type IbBroker } from '../ts/venues/ib/index.js';
import { ScriptedTws, type TwsContract } from './venues/ib-tws-server.js';

const AAPL: TwsContract = { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD', minTick: 0.01 };
const fast = { logger: false as const, timeoutMs: 2000, backoff: { baseMs: 10, maxMs: 40 } };

const until = async (p: () => boolean, ms = 4000) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function collectingSink() {
  const messages: LiveMessage[] = [];
  const sink: LiveSink = { push: (m) => messages.push(m), pushMany: (ms) => messages.push(...ms), end: () => undefined, error: (e) => { throw e; } };
  return { messages, sink };
}

describe('ib adapter faults', () => {
  let tws: ScriptedTws;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    await tws?.close();
  });

  async function connected(): Promise<{ adapter: IbBroker; events: VenueEvent[] }> {
    const adapter = ib({ port: tws.port, clientId: 3, ...fast });
    cleanups.push(() => adapter.disconnect());
    const events: VenueEvent[] = [];
    adapter.events((e) => events.push(e));
    await adapter.connect();
    return { adapter, events };
  }

  it('a fill made while the socket is down is found by reqExecutions after the reconnect, delivered once', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter, events } = await connected();
    await tws.setPrice('AAPL', 100);
    await adapter.submit({ clientOrderId: 'away-1', symbol: 'AAPL', side: 'buy', size: 3, type: 'Limit', price: 90 });
    tws.refuseConnections(true);
    tws.dropConnections();
    await until(() => events.some((e) => e.type === 'connection' && e.state === 'reconnecting'));
    await tws.setPrice('AAPL', 89); // fills at TWS; nobody is connected to hear it
    expect(tws.listExecutions().map((e) => e.orderRef)).toEqual(['away-1']);
    expect(events.some((e) => e.type === 'fill')).toBe(false);
    expect((await adapter.order('away-1'))?.status).toBe('accepted');
    tws.refuseConnections(false);
    await until(() => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'away-1'));
    await until(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'away-1' && e.order.status === 'filled'));
    const fills = events.filter((e) => e.type === 'fill');
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ fill: { size: 3, price: 89, commission: 1, fillId: tws.listExecutions()[0]!.execId } });
    expect(adapter.stats.reconciledFills).toBe(1);
    expect(adapter.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(tws.stats.connections).toBeGreaterThanOrEqual(2);
    // A second reconciliation (another drop) delivers nothing new.
    tws.dropConnections();
    await until(() => events.filter((e) => e.type === 'connection' && e.state === 'connected').length >= 3);
    await adapter.openOrders();
    expect(events.filter((e) => e.type === 'fill')).toHaveLength(1);
    expect(await adapter.positions()).toEqual([{ symbol: 'AAPL', size: 3, avgPrice: 89 }]);
  });

  it('TWS\'s 1100 (connectivity to IB lost) and 1102 (restored) move the connection state; trading works after', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter, events } = await connected();
    await tws.sendError(-1, 1100, 'Connectivity between IB and Trader Workstation has been lost.');
    await until(() => events.some((e) => e.type === 'connection' && e.state === 'reconnecting' && /1100/.test(e.detail ?? '')));
    expect(adapter.connection.conn.state).toBe('reconnecting');
    await tws.sendError(-1, 1102, 'Connectivity between IB and Trader Workstation has been restored - data maintained.');
    await until(() => adapter.connection.conn.state === 'connected');
    await tws.setPrice('AAPL', 100);
    await adapter.submit({ clientOrderId: 'after-1102', symbol: 'AAPL', side: 'buy', size: 1, type: 'Market' });
    await until(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'after-1102' && e.order.status === 'filled'));
  });

  it('malformed messages (unknown id, truncated openOrder, non-numeric orderStatus, an error with broken JSON) are counted and skipped; the connection keeps working', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter, events } = await connected();
    const sent = await tws.sendMalformed();
    // The client library reports an unknown message id twice (no parser, then the unread fields).
    await until(() => adapter.stats.malformed >= sent + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(adapter.stats.malformed).toBe(sent + 1);
    expect(adapter.stats.unknownOrderEvents).toBe(1);
    expect(adapter.connection.conn.state).toBe('connected');
    await tws.setPrice('AAPL', 100);
    await adapter.submit({ clientOrderId: 'after-bad', symbol: 'AAPL', side: 'sell', size: 2, type: 'Market' });
    await until(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'after-bad' && e.order.status === 'filled'));
    expect(await adapter.positions()).toEqual([{ symbol: 'AAPL', size: -2, avgPrice: 100 }]);
  });

  it('historical data pacing (162) is retried with backoff; past the retries it is a VENUE_RATE_LIMITED error', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const t0 = Date.UTC(2026, 0, 5, 14, 30);
    tws.setHistory('AAPL', Array.from({ length: 30 }, (_, i) => ({ time: t0 + i * 60_000, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 1000 + i })));
    tws.pacingViolations(2);
    const source = ibSource({ port: tws.port, clientId: 21, symbol: 'AAPL', history: { duration: '1 D', barSize: '1 min' }, ...fast });
    cleanups.push(async () => source.stop());
    const cols = await source.history!();
    expect(tws.stats.pacingErrors).toBe(2);
    expect(tws.stats.historicalRequests).toBe(3);
    expect(source.stats.paced).toBe(2);
    expect(cols!.close.length).toBe(30);
    expect(cols!.datetime[0]).toBe(t0 + 60_000); // stamped with the bar's end
    expect(cols!.close[29]).toBe(129.5);

    tws.pacingViolations(10);
    const impatient = ibSource({ port: tws.port, clientId: 22, symbol: 'AAPL', history: { duration: '1 D', barSize: '1 min' }, ...fast, maxRetries: 2 });
    cleanups.push(async () => impatient.stop());
    await expect(impatient.history!()).rejects.toMatchObject({ code: 'VENUE_RATE_LIMITED', message: expect.stringMatching(/IB 162/) });
  });

  it('the source delivers real-time bars, trades and quotes, and resubscribes after a reconnect', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const bars = ibSource({ port: tws.port, clientId: 31, symbol: 'AAPL', data: 'bars', ...fast });
    const quotes = ibSource({ port: tws.port, clientId: 32, symbol: 'AAPL', data: 'quotes', ...fast });
    const trades = ibSource({ port: tws.port, clientId: 33, symbol: 'AAPL', data: 'trades', ...fast });
    cleanups.push(async () => { await bars.stop(); await quotes.stop(); await trades.stop(); });
    const b = collectingSink();
    const q = collectingSink();
    const t = collectingSink();
    await bars.start(b.sink);
    await quotes.start(q.sink);
    await trades.start(t.sink);
    expect(bars.frame).toEqual({ timeframe: 'Seconds', compression: 5 });
    const subscribed = (clientId: number, msgId: string) => tws.received.filter((r) => r.clientId === clientId && r.fields[0] === msgId).length;
    await until(() => subscribed(31, '50') === 1 && subscribed(32, '1') === 1 && subscribed(33, '1') === 1);
    const t0 = Date.UTC(2026, 0, 5, 14, 30);
    await tws.pushBar('AAPL', { time: t0, open: 10, high: 11, low: 9, close: 10.5, volume: 700 });
    await tws.setPrice('AAPL', 10.75);
    await until(() => b.messages.length === 1 && q.messages.some((m) => m.type === 'quote') && t.messages.some((m) => m.type === 'tick'));
    expect(b.messages[0]).toEqual({ type: 'bar', time: t0 + 5000, open: 10, high: 11, low: 9, close: 10.5, volume: 700 });
    expect(q.messages.find((m) => m.type === 'quote')).toMatchObject({ bid: 10.75, ask: 10.75 });
    expect(t.messages.find((m) => m.type === 'tick')).toMatchObject({ price: 10.75 });

    tws.dropConnections();
    await until(() => b.messages.some((m) => m.type === 'status' && m.state === 'connected') && tws.clientIds.includes(31));
    await until(() => subscribed(31, '50') === 2);
    await tws.pushBar('AAPL', { time: t0 + 5000, open: 10.5, high: 12, low: 10, close: 11, volume: 300 });
    await until(() => b.messages.filter((m) => m.type === 'bar').length === 2);
    expect(b.messages.map((m) => m.type)).toEqual(['bar', 'status', 'status', 'bar']);
  });
});
