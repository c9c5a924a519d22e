/**
 * The A-share gateway adapter against the loopback gateway (test/venues/ashare-gateway-server.ts):
 * the conformance suite with one-lot orders inside the daily band and a position held from an
 * earlier day; the exchange's and the broker's refusals (lots, T+1, the price band, the sessions)
 * as Rejected orders carrying the gateway's text, no funds as Margin; a deal made while the
 * gateway could not be reached found by reconciliation, once; a lost answer to an entrust resent
 * as one order; busy, malformed and expired-session answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAdapterConformance, ParamError, VenueError, type VenueEvent } from '../ts/index.js';
import { aShareGateway, type AShareGatewayBroker } from '../ts/venues/ashare/index.js';
import { startAShareGatewayServer, type AShareGatewayServer, type AShareGatewayServerOptions } from './venues/ashare-gateway-server.js';

const ACCOUNT = '880012345678';
const PASSWORD = 'trade-pass-951';
const fast = { logger: false as const, pollMs: 20, backoff: { baseMs: 10, maxMs: 40 } };
const STOCK = '600000.SH';

brokerAdapterConformance('ashare gateway (local server)', {
  setup: async () => {
    const server = await startAShareGatewayServer({ account: ACCOUNT, password: PASSWORD });
    server.list(STOCK, 100);
    // the suite's sell rests against shares held from an earlier day (T+1: today's buys cannot be sold)
    server.hold(STOCK, 1000, 95);
    const adapter = aShareGateway({ url: server.url, account: ACCOUNT, password: PASSWORD, ...fast });
    return { adapter, symbol: STOCK, setPrice: async (s, p) => server.setPrice(s, p), teardown: () => server.close() };
  },
  orderSize: 100,
  // inside ±10% of the previous close (100)
  limitPrices: { restingBuy: 95, modifiedBuy: 96, restingSell: 105, marketThrough: 106 },
}, { describe, it });

describe('ashare gateway adapter on the local gateway', () => {
  let server: AShareGatewayServer;
  let adapter: AShareGatewayBroker | undefined;
  afterEach(async () => {
    await adapter?.disconnect();
    adapter = undefined;
    await server?.close();
  });

  async function connected(serverOpts: Partial<AShareGatewayServerOptions> = {}, opts: Record<string, unknown> = {}) {
    server = await startAShareGatewayServer({ account: ACCOUNT, password: PASSWORD, ...serverOpts });
    server.list(STOCK, 100);
    server.list('300750.SZ', 100);
    const a = aShareGateway({ url: server.url, account: ACCOUNT, password: PASSWORD, ...fast, ...opts });
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
  const fills = (events: VenueEvent[], id: string) => events.flatMap((e) => (e.type === 'fill' && e.fill.clientOrderId === id ? [e.fill] : []));

  it('refuses buys that are not whole lots, and odd lots unless selling the whole remainder', async () => {
    const { adapter } = await connected();
    server.hold(STOCK, 1050, 90);
    const odd = await adapter.submit({ clientOrderId: 'lot-1', symbol: STOCK, side: 'buy', size: 150, type: 'Limit', price: 100 });
    expect(odd).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(odd.reason).toContain('100股');
    const part = await adapter.submit({ clientOrderId: 'lot-2', symbol: STOCK, side: 'sell', size: 50, type: 'Limit', price: 100 });
    expect(part).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(part.reason).toContain('零股');
    const whole = await adapter.submit({ clientOrderId: 'lot-3', symbol: STOCK, side: 'sell', size: 1050, type: 'Limit', price: 100 });
    expect(whole).toMatchObject({ status: 'filled', filled: 1050 });
    expect(await adapter.order('lot-1')).toMatchObject({ status: 'rejected' });
    expect(server.orders.map((o) => o.remark)).toEqual(['lot-3']);
  });

  it('T+1: shares bought today are refused for sale until the next trading day', async () => {
    const { adapter, events } = await connected();
    await adapter.submit({ clientOrderId: 't1-buy', symbol: STOCK, side: 'buy', size: 200, type: 'Market' });
    expect((await adapter.positions()).find((p) => p.symbol === STOCK)?.size).toBe(200);
    const early = await adapter.submit({ clientOrderId: 't1-sell', symbol: STOCK, side: 'sell', size: 200, type: 'Market' });
    expect(early).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(early.reason).toContain('可卖数量不足');
    expect(events.some((e) => e.type === 'order' && e.order.clientOrderId === 't1-sell' && e.order.status === 'rejected')).toBe(true);
    server.nextTradingDay();
    const next = await adapter.submit({ clientOrderId: 't1-sell-next', symbol: STOCK, side: 'sell', size: 200, type: 'Market' });
    expect(next).toMatchObject({ status: 'filled', filled: 200 });
    await until(() => fills(events, 't1-sell-next').length === 1);
    // a sell pays stamp duty (0.05%) on top of commission (min 5) and the transfer fee
    expect(fills(events, 't1-sell-next')[0]!.commission).toBeCloseTo(5 + 10 + 0.2, 6);
  });

  it('refuses a price outside the daily band: ±10% on the main board, ±20% on ChiNext', async () => {
    const { adapter } = await connected();
    const high = await adapter.submit({ clientOrderId: 'band-1', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 110.01 });
    expect(high).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(high.reason).toContain('涨跌停');
    expect(high.reason).toContain('110.00');
    const low = await adapter.submit({ clientOrderId: 'band-2', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 89.99 });
    expect(low.status).toBe('rejected');
    const growth = await adapter.submit({ clientOrderId: 'band-3', symbol: '300750.SZ', side: 'buy', size: 100, type: 'Limit', price: 85 });
    expect(growth.status).toBe('accepted');
    const beyond = await adapter.submit({ clientOrderId: 'band-4', symbol: '300750.SZ', side: 'buy', size: 100, type: 'Limit', price: 79.99 });
    expect(beyond.status).toBe('rejected');
    // the market itself stops at limit-up: a resting sell above it never fills
    server.setPrice(STOCK, 130);
    expect(server.band(STOCK).up).toBe(110);
  });

  it('refuses orders outside the trading sessions (the lunch break)', async () => {
    const { adapter } = await connected({ time: '12:00' });
    const o = await adapter.submit({ clientOrderId: 'lunch', symbol: STOCK, side: 'buy', size: 100, type: 'Market' });
    expect(o).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(o.reason).toContain('非交易时间');
    server.setTime('13:00');
    expect((await adapter.submit({ clientOrderId: 'afternoon', symbol: STOCK, side: 'buy', size: 100, type: 'Market' })).status).toBe('filled');
  });

  it('the opening call auction takes limit orders only and matches them at the open', async () => {
    const { adapter } = await connected({ time: '09:20' });
    const market = await adapter.submit({ clientOrderId: 'auc-m', symbol: STOCK, side: 'buy', size: 100, type: 'Market' });
    expect(market).toMatchObject({ status: 'rejected', rejection: 'Rejected' });
    expect(market.reason).toContain('集合竞价');
    expect(await adapter.submit({ clientOrderId: 'auc-l', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 102 })).toMatchObject({ status: 'accepted', filled: 0 });
    expect(await adapter.submit({ clientOrderId: 'auc-below', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 100.5 })).toMatchObject({ status: 'accepted' });
    server.open(STOCK, 101);
    expect(await adapter.order('auc-l')).toMatchObject({ status: 'filled', filled: 100, avgPrice: 101 });
    expect(await adapter.order('auc-below')).toMatchObject({ status: 'accepted', filled: 0 });
  });

  it('no funds is a Margin rejection with the gateway text; the cash a resting buy freezes counts', async () => {
    const { adapter } = await connected({ cash: 15_000 });
    const big = await adapter.submit({ clientOrderId: 'cash-1', symbol: STOCK, side: 'buy', size: 300, type: 'Limit', price: 100 });
    expect(big).toMatchObject({ status: 'rejected', rejection: 'Margin' });
    expect(big.reason).toContain('可用资金不足');
    expect((await adapter.submit({ clientOrderId: 'cash-2', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 99 })).status).toBe('accepted');
    const second = await adapter.submit({ clientOrderId: 'cash-3', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 99 });
    expect(second.rejection).toBe('Margin');
  });

  it('a deal made while the gateway could not be reached arrives once, by reconciliation', async () => {
    const { adapter, events } = await connected();
    await adapter.submit({ clientOrderId: 'away', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 98 });
    server.setDown(true);
    await until(() => adapter.connectionState === 'reconnecting');
    server.setPrice(STOCK, 97.5);
    expect(server.deals).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(fills(events, 'away')).toHaveLength(0);
    server.setDown(false);
    await until(() => fills(events, 'away').length === 1);
    await until(() => adapter.connectionState === 'connected');
    expect(fills(events, 'away')[0]).toMatchObject({ size: 100, price: 98, fillId: server.deals[0]!.deal_no });
    expect(adapter.stats.reconciledFills).toBe(1);
    expect(adapter.stats.reconnects).toBe(1);
    expect(events.some((e) => e.type === 'connection' && e.state === 'reconnecting')).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(fills(events, 'away')).toHaveLength(1);
    expect(events.some((e) => e.type === 'order' && e.order.clientOrderId === 'away' && e.order.status === 'filled')).toBe(true);
  });

  it('deals made before connecting are history (fillsSince has them), not new fill events', async () => {
    const { adapter: first } = await connected();
    await first.submit({ clientOrderId: 'before', symbol: STOCK, side: 'buy', size: 100, type: 'Market' });
    await first.disconnect();
    const second = aShareGateway({ url: server.url, account: ACCOUNT, password: PASSWORD, ...fast });
    adapter = second;
    const events: VenueEvent[] = [];
    second.events((e) => events.push(e));
    await second.connect();
    const polls = second.stats.polls;
    await until(() => second.stats.polls >= polls + 3);
    expect(fills(events, 'before')).toHaveLength(0);
    expect((await second.fillsSince(0)).map((f) => f.clientOrderId)).toEqual(['before']);
    await second.submit({ clientOrderId: 'after', symbol: STOCK, side: 'buy', size: 100, type: 'Market' });
    await until(() => fills(events, 'after').length === 1);
  });

  it('an entrust whose answer was lost is resent under the same remark and is one order', async () => {
    const { adapter } = await connected();
    await adapter.disconnect(); // no polls: the fault meets the entrust
    server.fault('drop-reply');
    const ack = await adapter.submit({ clientOrderId: 'lost', symbol: STOCK, side: 'buy', size: 100, type: 'Market' });
    expect(ack.status).toBe('filled');
    expect(server.orders.filter((o) => o.remark === 'lost')).toHaveLength(1);
    expect(server.deals).toHaveLength(1);
    expect(server.requests.filter((r) => r === 'POST /api/entrust')).toHaveLength(2);
  });

  it('retries a busy gateway, logs in again when the session expired, and fails typed on a malformed body', async () => {
    const { adapter } = await connected();
    // polling stopped, so the faults meet these calls and not a poll
    await adapter.disconnect();
    server.fault('busy', 'busy');
    expect((await adapter.account()).cash).toBe(1_000_000);
    expect(adapter.stats.busy).toBe(2);
    server.fault('expire-token');
    expect((await adapter.positions())).toEqual([]);
    expect(adapter.stats.logins).toBe(2);
    server.fault('malformed');
    const err = await adapter.account().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueError);
    expect((err as VenueError).code).toBe('VENUE_BAD_RESPONSE');
    expect(adapter.stats.malformed).toBe(1);
  });

  it('gives up on a gateway that stays busy with VENUE_RATE_LIMITED', async () => {
    const { adapter } = await connected({}, { maxRetries: 2 });
    await adapter.disconnect();
    server.fault('busy', 'busy', 'busy');
    const err = await adapter.account().catch((e: unknown) => e);
    expect((err as VenueError).code).toBe('VENUE_RATE_LIMITED');
  });

  it('says what is wrong: credentials, symbols, order types, time in force, modify', async () => {
    server = await startAShareGatewayServer({ account: ACCOUNT, password: PASSWORD });
    server.list(STOCK, 100);
    const wrong = aShareGateway({ url: server.url, account: ACCOUNT, password: 'nope', ...fast });
    await expect(wrong.connect()).rejects.toThrow(/1002.*密码错误/);
    const saved = [process.env.ASHARE_GATEWAY_ACCOUNT, process.env.ASHARE_GATEWAY_PASSWORD];
    delete process.env.ASHARE_GATEWAY_ACCOUNT;
    delete process.env.ASHARE_GATEWAY_PASSWORD;
    expect(() => aShareGateway({ url: server.url })).toThrow(/ASHARE_GATEWAY_ACCOUNT/);
    process.env.ASHARE_GATEWAY_ACCOUNT = ACCOUNT;
    process.env.ASHARE_GATEWAY_PASSWORD = PASSWORD;
    const a = aShareGateway({ url: server.url, ...fast });
    adapter = a;
    await a.connect();
    [process.env.ASHARE_GATEWAY_ACCOUNT, process.env.ASHARE_GATEWAY_PASSWORD] = saved;
    if (saved[0] === undefined) delete process.env.ASHARE_GATEWAY_ACCOUNT;
    if (saved[1] === undefined) delete process.env.ASHARE_GATEWAY_PASSWORD;
    const viaPrefix = await a.submit({ clientOrderId: 'sym', symbol: 'sh600000', side: 'buy', size: 100, type: 'Market' });
    expect(viaPrefix.symbol).toBe('sh600000');
    expect(server.orders[0]!.stock_code).toBe(STOCK);
    expect((await a.positions())[0]!.symbol).toBe('sh600000');
    await expect(a.submit({ clientOrderId: 'x1', symbol: 'AAPL', side: 'buy', size: 100, type: 'Market' })).rejects.toBeInstanceOf(ParamError);
    await expect(a.submit({ clientOrderId: 'x2', symbol: STOCK, side: 'buy', size: 100, type: 'Stop', stopPrice: 101 })).rejects.toThrow(/VENUE_UNSUPPORTED|not sent/);
    await expect(a.submit({ clientOrderId: 'x3', symbol: STOCK, side: 'buy', size: 100, type: 'Limit', price: 99, tif: 'GTC' })).rejects.toThrow(/DAY/);
    await expect(a.modify()).rejects.toThrow(/cannot be modified/);
    expect(a.capabilities()).toMatchObject({ orderTypes: ['Market', 'Limit'], timeInForce: ['DAY'], modify: false });
  });
});
