/**
 * The conformance suite every broker adapter runs: the same checks of the `BrokerAdapter`
 * contract against the simulated venue, a local server speaking a venue's protocol, or a venue's
 * paper account. It registers its tests with the test runner's `describe`/`it` (vitest, jest,
 * node:test) and checks with `node:assert`, so it depends on no runner.
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * brokerAdapterConformance('my venue', { setup: async () => ({ adapter, symbol: 'AAPL', setPrice }) }, { describe, it });
 * ```
 */
import assert from 'node:assert/strict';
import type { BrokerAdapter, VenueEvent, VenueOrder } from './broker-adapter.js';

/** What the suite needs from the adapter under test. */
export interface ConformanceHarness {
  /**
   * A fresh adapter (not yet connected) on a venue with cash, a tradable `symbol`, and a way to
   * move the market there (resting orders fill when the price reaches them).
   */
  setup(): Promise<{ adapter: BrokerAdapter; symbol: string; setPrice(symbol: string, price: number): Promise<void>; teardown?(): Promise<void> }>;
  /** How long to wait for an event, ms (default 2000). */
  eventTimeoutMs?: number;
  /**
   * The size of every order the suite sends (default: 3 for the market order, 2 for the resend,
   * 1 for the limits). A venue that trades in lots (A-shares: 100) sets one lot.
   */
  orderSize?: number;
  /**
   * The prices of the limit checks, with the market set to 100 (defaults: a buy resting at 50,
   * modified to 60; a sell resting at 110, filled when the market moves to 111). A venue with a
   * daily price band (A-shares: ±10% of the previous close) keeps them inside it. The sell is
   * covered by what `setup` holds: a venue that refuses to sell short seeds a position there.
   */
  limitPrices?: { restingBuy: number; modifiedBuy: number; restingSell: number; marketThrough: number };
}

/** The test runner's registration functions. */
export interface TestRunner {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>): void;
}

let ids = 0;
const cid = (tag: string) => `conf-${tag}-${process.pid}-${Date.now()}-${++ids}`;

/** Registers the suite for adapter `name`. */
export function brokerAdapterConformance(name: string, harness: ConformanceHarness, t: TestRunner): void {
  const timeout = harness.eventTimeoutMs ?? 2000;
  const size = (fallback: number) => harness.orderSize ?? fallback;
  const prices = harness.limitPrices ?? { restingBuy: 50, modifiedBuy: 60, restingSell: 110, marketThrough: 111 };
  const withVenue = (fn: (v: Awaited<ReturnType<ConformanceHarness['setup']>> & { events: VenueEvent[]; waitFor(p: (e: VenueEvent) => boolean, what: string): Promise<VenueEvent> }) => Promise<void>) => async () => {
    const v = await harness.setup();
    const events: VenueEvent[] = [];
    const waiters: { p: (e: VenueEvent) => boolean; resolve: (e: VenueEvent) => void }[] = [];
    const off = v.adapter.events((e) => {
      events.push(e);
      for (const w of [...waiters]) if (w.p(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    });
    const waitFor = (p: (e: VenueEvent) => boolean, what: string) => {
      const seen = events.find(p);
      if (seen) return Promise.resolve(seen);
      return new Promise<VenueEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${what} event within ${timeout} ms`)), timeout);
        waiters.push({ p, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    };
    try {
      await v.adapter.connect();
      await fn({ ...v, events, waitFor });
    } finally {
      off();
      await v.adapter.disconnect();
      await v.teardown?.();
    }
  };
  const isOrder = (id: string, status?: VenueOrder['status']) => (e: VenueEvent) => e.type === 'order' && e.order.clientOrderId === id && (status === undefined || e.order.status === status);

  t.describe(`BrokerAdapter conformance: ${name}`, () => {
    t.it('says what it does natively: at least Market and Limit orders', withVenue(async ({ adapter }) => {
      const caps = adapter.capabilities();
      assert.ok(caps.orderTypes.includes('Market') && caps.orderTypes.includes('Limit'), 'capabilities().orderTypes lists Market and Limit');
      assert.equal(typeof caps.modify, 'boolean');
      assert.ok(Array.isArray(caps.timeInForce) && caps.timeInForce.length > 0);
    }));

    t.it('reports an account with finite cash and equity', withVenue(async ({ adapter }) => {
      const a = await adapter.account();
      assert.ok(Number.isFinite(a.cash) && Number.isFinite(a.equity), `account ${JSON.stringify(a)}`);
    }));

    t.it('fills a market order: acknowledgement, fill event, position and fillsSince agree', withVenue(async ({ adapter, symbol, setPrice, waitFor }) => {
      await setPrice(symbol, 100);
      const since = Date.now() - 1;
      const before = (await adapter.positions()).find((p) => p.symbol === symbol)?.size ?? 0;
      const id = cid('mkt');
      const ack = await adapter.submit({ clientOrderId: id, symbol, side: 'buy', size: size(3), type: 'Market' });
      assert.equal(ack.clientOrderId, id);
      assert.ok(ack.venueOrderId, 'the acknowledgement carries the venue order id');
      const fill = await waitFor((e) => e.type === 'fill' && e.fill.clientOrderId === id, 'fill');
      assert.equal(fill.type === 'fill' && fill.fill.size, size(3));
      await waitFor(isOrder(id, 'filled'), 'order filled');
      const after = (await adapter.positions()).find((p) => p.symbol === symbol)?.size ?? 0;
      assert.equal(after - before, size(3));
      const fills = (await adapter.fillsSince(since)).filter((f) => f.clientOrderId === id);
      assert.equal(fills.length, 1);
      assert.equal((await adapter.order(id))?.status, 'filled');
    }));

    t.it('is idempotent on the client order id: a resend is the same order, filled once', withVenue(async ({ adapter, symbol, setPrice, waitFor }) => {
      await setPrice(symbol, 100);
      const since = Date.now() - 1;
      const id = cid('idem');
      const a = await adapter.submit({ clientOrderId: id, symbol, side: 'buy', size: size(2), type: 'Market' });
      await waitFor(isOrder(id, 'filled'), 'order filled');
      const b = await adapter.submit({ clientOrderId: id, symbol, side: 'buy', size: size(2), type: 'Market' });
      assert.equal(b.venueOrderId, a.venueOrderId);
      assert.equal((await adapter.fillsSince(since)).filter((f) => f.clientOrderId === id).length, 1);
    }));

    t.it('rests a limit order away from the market, lists it open, and cancels it', withVenue(async ({ adapter, symbol, setPrice, waitFor }) => {
      await setPrice(symbol, 100);
      const id = cid('lmt');
      await adapter.submit({ clientOrderId: id, symbol, side: 'buy', size: size(1), type: 'Limit', price: prices.restingBuy });
      assert.ok((await adapter.openOrders()).some((o) => o.clientOrderId === id), 'the resting limit is open');
      const canceled = await adapter.cancel(id);
      assert.equal(canceled.status, 'canceled');
      await waitFor(isOrder(id, 'canceled'), 'order canceled');
      assert.ok(!(await adapter.openOrders()).some((o) => o.clientOrderId === id), 'a canceled order is not open');
    }));

    t.it('fills a resting limit when the market reaches it', withVenue(async ({ adapter, symbol, setPrice, waitFor }) => {
      await setPrice(symbol, 100);
      const id = cid('rest');
      await adapter.submit({ clientOrderId: id, symbol, side: 'sell', size: size(1), type: 'Limit', price: prices.restingSell });
      await setPrice(symbol, prices.marketThrough);
      await waitFor(isOrder(id, 'filled'), 'order filled');
    }));

    t.it('modifies an open order when it says it can', withVenue(async ({ adapter, symbol, setPrice }) => {
      if (!adapter.capabilities().modify) return;
      await setPrice(symbol, 100);
      const id = cid('mod');
      await adapter.submit({ clientOrderId: id, symbol, side: 'buy', size: size(1), type: 'Limit', price: prices.restingBuy });
      const m = await adapter.modify(id, { price: prices.modifiedBuy });
      assert.equal(m.price, prices.modifiedBuy);
      await adapter.cancel(id);
    }));

    t.it('refuses a bad order with a reason, leaving nothing open', withVenue(async ({ adapter, symbol, setPrice }) => {
      await setPrice(symbol, 100);
      const id = cid('bad');
      let refused: VenueOrder | undefined;
      try {
        refused = await adapter.submit({ clientOrderId: id, symbol, side: 'buy', size: -5, type: 'Market' });
      } catch (err) {
        assert.ok(err instanceof Error && err.message.length > 0, 'a thrown refusal says why');
        return;
      }
      assert.equal(refused.status, 'rejected');
      assert.ok(refused.reason && refused.reason.length > 0, 'a rejection carries its reason');
      assert.ok(!(await adapter.openOrders()).some((o) => o.clientOrderId === id));
    }));

    t.it('knows no order it never received', withVenue(async ({ adapter }) => {
      assert.equal(await adapter.order(cid('never')), undefined);
    }));
  });
}
