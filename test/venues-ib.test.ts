/**
 * The Interactive Brokers adapter, through the real `@stoqey/ib` client, against the scripted
 * TWS on loopback: the conformance suite, an order's life (accepted → partial → filled), cancel,
 * refusals with IB's reasons, a bracket sent as parent/children, contract details into the
 * instruments registry, idempotence after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAdapterConformance, type VenueEvent } from '../ts/index.js';
import { ib, type IbBroker } from '../ts/venues/ib/index.js';
import { ScriptedTws, type TwsContract } from './venues/ib-tws-server.js';

const AAPL: TwsContract = { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD', minTick: 0.01, longName: 'APPLE INC', timeZoneId: 'US/Eastern' };
const ES: TwsContract = { conId: 495512563, symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', localSymbol: 'ESZ6', lastTradeDateOrContractMonth: '20261218', multiplier: 50, minTick: 0.25, timeZoneId: 'US/Central' };
const EURUSD: TwsContract = { conId: 12087792, symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD', localSymbol: 'EUR.USD', minTick: 0.00005, minSize: 1, sizeIncrement: 1 };

const fast = { logger: false as const, timeoutMs: 2000, backoff: { baseMs: 10, maxMs: 40 } };
let clientIds = 10;

brokerAdapterConformance('ib (scripted TWS)', {
  setup: async () => {
    const tws = await ScriptedTws.start({ contracts: [AAPL] });
    const adapter = ib({ port: tws.port, clientId: ++clientIds, ...fast });
    return { adapter, symbol: 'AAPL', setPrice: (s, p) => tws.setPrice(s, p), teardown: () => tws.close() };
  },
}, { describe, it });

describe('ib adapter on the scripted TWS', () => {
  let tws: ScriptedTws;
  const adapters: IbBroker[] = [];
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.disconnect();
    await tws?.close();
  });

  async function connected(opts: Record<string, unknown> = {}) {
    tws ??= await ScriptedTws.start({ contracts: [AAPL, ES, EURUSD] });
    const adapter = ib({ port: tws.port, clientId: 7, ...fast, ...opts });
    adapters.push(adapter);
    const events: VenueEvent[] = [];
    adapter.events((e) => events.push(e));
    await adapter.connect();
    return { adapter, events };
  }
  const until = async (p: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!p()) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const statuses = (events: VenueEvent[], id: string) => events.flatMap((e) => (e.type === 'order' && e.order.clientOrderId === id ? [e.order.status] : []));

  it('submit → accepted → partially filled → filled, the client order id in orderRef and the commission on each fill', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter, events } = await connected();
    await tws.setPrice('AAPL', 190);
    const ack = await adapter.submit({ clientOrderId: 'life-1', symbol: 'AAPL', side: 'buy', size: 10, type: 'Limit', price: 185 });
    expect(ack.status).toBe('accepted');
    const placed = tws.listOrders().find((o) => o.orderRef === 'life-1')!;
    expect(placed).toMatchObject({ orderType: 'LMT', lmtPrice: 185, action: 'BUY', totalQuantity: 10, clientId: 7 });
    expect(String(placed.orderId)).toBe(ack.venueOrderId);

    tws.setLiquidity('AAPL', 4);
    await tws.setPrice('AAPL', 184.5);
    await until(() => statuses(events, 'life-1').includes('partial'));
    tws.setLiquidity('AAPL', undefined);
    await tws.setPrice('AAPL', 184);
    await until(() => statuses(events, 'life-1').includes('filled'));
    expect(statuses(events, 'life-1')).toEqual(['accepted', 'partial', 'filled']);
    const fills = events.flatMap((e) => (e.type === 'fill' ? [e.fill] : []));
    expect(fills.map((f) => [f.size, f.price])).toEqual([[4, 184.5], [6, 184]]);
    expect(fills.every((f) => f.commission === 1 && f.clientOrderId === 'life-1')).toBe(true);
    const order = await adapter.order('life-1');
    expect(order).toMatchObject({ status: 'filled', filled: 10 });
    expect(order!.avgPrice).toBeCloseTo((4 * 184.5 + 6 * 184) / 10, 9);
    expect(await adapter.positions()).toEqual([{ symbol: 'AAPL', size: 10, avgPrice: expect.closeTo((4 * 184.5 + 6 * 184) / 10, 9) }]);
    const account = await adapter.account();
    expect(account.cash).toBeCloseTo(1_000_000 - 4 * 184.5 - 6 * 184 - 2, 6);
  });

  it('sends IB native types: STP, STP LMT, TRAIL with its trail amount, TRAIL LIMIT with its offset, GTD with its date', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter } = await connected();
    await tws.setPrice('AAPL', 100);
    await adapter.submit({ clientOrderId: 'stp', symbol: 'AAPL', side: 'sell', size: 1, type: 'Stop', stopPrice: 95 });
    await adapter.submit({ clientOrderId: 'stplmt', symbol: 'AAPL', side: 'sell', size: 1, type: 'StopLimit', stopPrice: 95, price: 94.5 });
    await adapter.submit({ clientOrderId: 'trail', symbol: 'AAPL', side: 'sell', size: 1, type: 'StopTrail', trailAmount: 2 } as never);
    await adapter.submit({ clientOrderId: 'traillmt', symbol: 'AAPL', side: 'sell', size: 1, type: 'StopTrailLimit', trailPercent: 3, limitOffset: 0.5 } as never);
    await adapter.submit({ clientOrderId: 'gtd', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit', price: 90, tif: 'GTD', expireAt: Date.UTC(2030, 0, 2, 15, 30) });
    const by = (ref: string) => tws.listOrders().find((o) => o.orderRef === ref)!;
    expect(by('stp')).toMatchObject({ orderType: 'STP', auxPrice: 95 });
    expect(by('stplmt')).toMatchObject({ orderType: 'STP LMT', auxPrice: 95, lmtPrice: 94.5 });
    expect(by('trail')).toMatchObject({ orderType: 'TRAIL', auxPrice: 2 });
    expect(by('traillmt')).toMatchObject({ orderType: 'TRAIL LIMIT', trailingPercent: 3, lmtPriceOffset: 0.5 });
    expect(by('gtd')).toMatchObject({ tif: 'GTD', goodTillDate: '20300102 15:30:00 UTC' });
    // The trailing stop follows the market up and fires 2 below the high.
    await tws.setPrice('AAPL', 104);
    expect((await adapter.order('trail'))?.status).toBe('accepted');
    await tws.setPrice('AAPL', 101.9);
    await until(() => tws.listOrders().find((o) => o.orderRef === 'trail')?.status === 'Filled');
  });

  it('cancels a resting order, and says why when the order cannot be cancelled', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter, events } = await connected();
    await tws.setPrice('AAPL', 100);
    await adapter.submit({ clientOrderId: 'c-1', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit', price: 50 });
    const canceled = await adapter.cancel('c-1');
    expect(canceled.status).toBe('canceled');
    expect(tws.listOrders().find((o) => o.orderRef === 'c-1')?.status).toBe('Cancelled');
    expect(statuses(events, 'c-1')).toEqual(['accepted', 'canceled']);
    // A filled order stays filled: cancel returns it as it is.
    await adapter.submit({ clientOrderId: 'c-2', symbol: 'AAPL', side: 'buy', size: 1, type: 'Market' });
    await until(() => statuses(events, 'c-2').includes('filled'));
    expect((await adapter.cancel('c-2')).status).toBe('filled');
    await expect(adapter.cancel('never')).rejects.toMatchObject({ code: 'VENUE_UNKNOWN_ORDER' });
  });

  it('refuses with IB\'s reasons: margin (201 equity with loan) → Margin, an unknown contract → a typed error naming the fix', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL], cash: 1000 });
    const { adapter, events } = await connected();
    await tws.setPrice('AAPL', 100);
    const refused = await adapter.submit({ clientOrderId: 'r-1', symbol: 'AAPL', side: 'buy', size: 50, type: 'Market' });
    expect(refused.status).toBe('rejected');
    expect(refused.rejection).toBe('Margin');
    expect(refused.reason).toMatch(/^IB 201: Order rejected - reason:YOUR ORDER IS NOT ACCEPTED.*INITIAL MARGIN/);
    expect(events.some((e) => e.type === 'order' && e.order.clientOrderId === 'r-1' && e.order.status === 'rejected')).toBe(true);
    expect((await adapter.openOrders()).some((o) => o.clientOrderId === 'r-1')).toBe(false);
    await expect(adapter.submit({ clientOrderId: 'r-2', symbol: 'MSFT', side: 'buy', size: 1, type: 'Market' })).rejects.toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/TWS knows no contract for 'MSFT'.*contracts:/) });
    await expect(adapter.submit({ clientOrderId: 'r-3', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit' })).rejects.toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/needs a positive price/) });
    expect(tws.listOrders().map((o) => o.orderRef)).toEqual(['r-1']);
  });

  it('modifies a working order with placeOrder on the same IB order id', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter } = await connected();
    await tws.setPrice('AAPL', 100);
    const ack = await adapter.submit({ clientOrderId: 'm-1', symbol: 'AAPL', side: 'buy', size: 2, type: 'Limit', price: 90 });
    const m = await adapter.modify('m-1', { price: 95, size: 3 });
    expect(m).toMatchObject({ price: 95, size: 3, venueOrderId: ack.venueOrderId });
    const atTws = tws.listOrders().filter((o) => o.orderRef === 'm-1');
    expect(atTws).toHaveLength(1);
    expect(atTws[0]).toMatchObject({ lmtPrice: 95, totalQuantity: 3 });
    expect(tws.received.filter((r) => r.fields[0] === '3').map((r) => r.fields[1])).toEqual([ack.venueOrderId, ack.venueOrderId]);
  });

  it('sends a bracket as IB parent/children: transmit false until the last child, the exits one OCA group; TWS activates them on the entry\'s fill', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const { adapter, events } = await connected();
    await tws.setPrice('AAPL', 100);
    const [entry, tp, sl] = await adapter.submitBracket(
      { clientOrderId: 'b-entry', symbol: 'AAPL', side: 'buy', size: 5, type: 'Limit', price: 99 },
      { clientOrderId: 'b-tp', price: 110 },
      { clientOrderId: 'b-sl', stopPrice: 95 },
    );
    const sent = tws.received.filter((r) => r.fields[0] === '3').map((r) => ({ id: Number(r.fields[1]), ref: r.fields[26], transmit: r.fields[27], parentId: Number(r.fields[28]), oca: r.fields[22], ocaType: r.fields[47] }));
    expect(sent.map((s) => [s.ref, s.transmit])).toEqual([['b-entry', '0'], ['b-tp', '0'], ['b-sl', '1']]);
    expect(sent[1]!.parentId).toBe(sent[0]!.id);
    expect(sent[2]!.parentId).toBe(sent[0]!.id);
    expect(sent[1]!.oca).toBe(sent[2]!.oca);
    expect(sent[1]!.oca).not.toBe('');
    expect(sent[1]!.ocaType).toBe('1');
    expect([entry!.status, tp!.status, sl!.status]).toEqual(['accepted', 'accepted', 'accepted']);
    await tws.setPrice('AAPL', 98.5); // entry fills; the exits start working at TWS
    await until(() => statuses(events, 'b-entry').includes('filled'));
    expect(tws.position('AAPL')).toBe(5);
    await tws.setPrice('AAPL', 111); // take-profit fills; TWS cancels the stop (OCA)
    await until(() => statuses(events, 'b-tp').includes('filled') && statuses(events, 'b-sl').includes('canceled'));
    expect(tws.position('AAPL')).toBe(0);
  });

  it('loads contract details into the instruments registry: tick size, multiplier, expiry, lot, timezone', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL, ES, EURUSD] });
    const { adapter } = await connected();
    const registry = await adapter.instruments(['AAPL', 'FUT:ES:202612', 'EUR.USD']);
    expect(registry.get('AAPL')).toMatchObject({ assetClass: 'stock', tickSize: 0.01, exchange: 'NASDAQ', currency: 'USD', timezone: 'US/Eastern' });
    expect(registry.get('ESZ6')).toMatchObject({ assetClass: 'future', tickSize: 0.25, multiplier: 50, expiry: Date.UTC(2026, 11, 18), root: 'ES', timezone: 'US/Central' });
    expect(registry.get('EUR.USD')).toMatchObject({ assetClass: 'forex', tickSize: 0.00005, currency: 'USD' });
    // A future traded under its ferrotrade name is reported under it.
    await tws.setPrice('ESZ6', 6000);
    await adapter.submit({ clientOrderId: 'es-1', symbol: 'FUT:ES:202612', side: 'buy', size: 1, type: 'Market' });
    await until(() => tws.position('ESZ6') === 1);
    expect(await adapter.positions()).toEqual([{ symbol: 'FUT:ES:202612', size: 1, avgPrice: 6000 }]);
  });

  it('is idempotent across a restart: a new adapter on the same client id finds the order by orderRef and does not send it again', async () => {
    tws = await ScriptedTws.start({ contracts: [AAPL] });
    const first = await connected();
    await tws.setPrice('AAPL', 100);
    const a = await first.adapter.submit({ clientOrderId: 'idem-1', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit', price: 90 });
    await first.adapter.disconnect();
    const second = await connected();
    const b = await second.adapter.submit({ clientOrderId: 'idem-1', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit', price: 90 });
    expect(b.venueOrderId).toBe(a.venueOrderId);
    expect(tws.listOrders().filter((o) => o.orderRef === 'idem-1')).toHaveLength(1);
    // And its new orders take ids after the ones TWS has seen from this client.
    const c = await second.adapter.submit({ clientOrderId: 'idem-2', symbol: 'AAPL', side: 'buy', size: 1, type: 'Limit', price: 90 });
    expect(Number(c.venueOrderId)).toBeGreaterThan(Number(a.venueOrderId));
  });
});
