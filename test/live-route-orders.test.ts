/**
 * Orders routed to a venue, one behaviour at a time, on a SimulatedVenue meeting hand-made bars:
 * emulation of what the venue lacks (a bracket on a venue with only Market and Limit orders),
 * partial fills, the venue's refusals, a lost acknowledgement, cancel on stop, and the venue's
 * position and cash taken over on start.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, EventBus, OrderStatus, paper, SimulatedVenue, Strategy, type Order } from '../ts/index.js';
import { venueBars, type Ohlc } from './support/venue-bars.js';

const hist = (o: Order) => o.history.map((h) => [OrderStatus[h.status], h.bar, h.fill?.price ?? null, h.fill?.size ?? null]);
const live = { logger: false as const, handleSignals: false, clock: 'data' as const, journal: ':memory:' };

/** Runs `cls` on `bars` at `venue` (and, for comparison, on the paper broker). */
async function runAt(venue: SimulatedVenue, cls: new () => Strategy, bars: readonly Ohlc[], setup?: (c: Cerebro) => void, extra: object = {}) {
  const c = new Cerebro();
  c.addStrategy(cls);
  setup?.(c);
  const [r] = await c.runLive({ sources: [venueBars(venue, 'X', bars)], broker: venue.adapter('sim'), ...live, ...extra });
  return r!;
}

async function runPaper(cls: new () => Strategy, bars: readonly Ohlc[], cash: number) {
  const c = new Cerebro();
  c.addStrategy(cls);
  c.broker.setCash(cash);
  const [r] = await c.runLive({ sources: [venueBars(null, 'X', bars)], broker: paper(), ...live });
  return r!;
}

const FLAT: Ohlc = [10, 10.4, 9.8, 10.1];

class BracketOnce extends Strategy {
  override next(): void {
    if (this.data.size === 1) this.buyBracket({ size: 10, exectype: 'Limit', price: 10.2, stopprice: 9, limitprice: 12 });
  }
}

describe('emulated at the venue', () => {
  it('a bracket on a Market+Limit venue: parent filled there, stop triggered here and sent as Market, take-profit canceled there', async () => {
    const venue = new SimulatedVenue({ cash: 10_000, capabilities: { orderTypes: ['Market', 'Limit'] } });
    const bars: Ohlc[] = [FLAT, FLAT, [10, 10.3, 9.6, 10], [9.5, 9.6, 8.5, 9], [8.8, 9, 8.6, 8.9], FLAT];
    const r = await runAt(venue, BracketOnce, bars);
    const [parent, stop, tp] = r.orders;
    expect(hist(parent!)).toEqual([['Submitted', 1, null, null], ['Accepted', 1, null, null], ['Completed', 1, 10, 10]]);
    // The stop (9) is reached on bar 3 here; it goes to the venue as Market, which fills it at the next open.
    expect(hist(stop!).at(-1)).toEqual(['Completed', 4, 8.8, -10]);
    expect(tp!.status).toBe(OrderStatus.Canceled);
    expect(r.openTrades).toEqual([]);
    expect(r.trades.map((t) => t.pnl)).toEqual([(8.8 - 10) * 10]);
    const at = venue.snapshot().orders;
    expect(at.map((o) => [o.type, o.side, o.status])).toEqual([['Limit', 'buy', 'filled'], ['Limit', 'sell', 'canceled'], ['Market', 'sell', 'filled']]);
    expect(venue.received.filter((x) => x.kind === 'cancel').map((x) => x.clientOrderId)).toEqual([at[1]!.clientOrderId]);
    expect(venue.snapshot().positions.X!.size).toBe(0);
    expect(r.finalCash).toBe(venue.snapshot().cash);

    // The rule against the paper broker: the same trigger bar; the paper fill is at the stop
    // price on that bar, the venue's at its next price (the next bar's open).
    const p = await runPaper(BracketOnce, bars, 10_000);
    expect(hist(p.orders[1]!).at(-1)).toEqual(['Completed', 3, 9, -10]);
    expect(hist(p.orders[0]!)).toEqual(hist(parent!));
  });

  it('a stop-limit on a venue without stops is sent as a Limit at its limit price when its stop triggers', async () => {
    class StopLimitOnce extends Strategy {
      override next(): void {
        if (this.data.size === 1) this.sell({ size: 5, exectype: 'StopLimit', price: 9.5, plimit: 9.4 });
      }
    }
    const venue = new SimulatedVenue({ cash: 10_000, capabilities: { orderTypes: ['Market', 'Limit'] } });
    const r = await runAt(venue, StopLimitOnce, [FLAT, FLAT, [9.9, 10, 9.3, 9.6], [9.5, 9.6, 9.2, 9.3], FLAT]);
    expect(venue.snapshot().orders.map((o) => [o.type, o.price])).toEqual([['Limit', 9.4]]);
    expect(hist(r.orders[0]!).at(-1)).toEqual(['Completed', 3, 9.5, -5]);
  });
});

describe('venue answers', () => {
  class BuyTen extends Strategy {
    override next(): void {
      if (this.data.size === 1) this.buy({ size: 10 });
    }
  }

  it('a partial fill gives Partial then Completed', async () => {
    const venue = new SimulatedVenue({ cash: 10_000, liquidity: 6 });
    const r = await runAt(venue, BuyTen, [FLAT, [10, 10.5, 9.9, 10.2], [10.3, 10.5, 10, 10.4], FLAT]);
    expect(hist(r.orders[0]!)).toEqual([
      ['Submitted', 1, null, null], ['Accepted', 1, null, null], ['Partial', 1, 10, 6], ['Completed', 2, 10.3, 4],
    ]);
    expect(r.openTrades[0]!.size).toBe(10);
  });

  it('insufficient funds at the venue is Margin, with the venue\'s words', async () => {
    const venue = new SimulatedVenue({ cash: 50 });
    const r = await runAt(venue, BuyTen, [FLAT, FLAT], (c) => c.broker.setChecksubmit(false));
    const o = r.orders[0]!;
    expect(o.status).toBe(OrderStatus.Margin);
    expect(o.reason).toMatch(/insufficient funds/);
    expect(r.openTrades).toEqual([]);
    expect(r.finalCash).toBe(50);
  });

  it('a price the venue refuses is Rejected, with the venue\'s words', async () => {
    class OffTick extends Strategy {
      override next(): void {
        if (this.data.size === 1) this.buy({ size: 1, exectype: 'Limit', price: 10.03 });
      }
    }
    const venue = new SimulatedVenue({ cash: 10_000, tickSize: 0.05 });
    const r = await runAt(venue, OffTick, [FLAT, FLAT]);
    expect(r.orders[0]!.status).toBe(OrderStatus.Rejected);
    expect(r.orders[0]!.reason).toMatch(/not a multiple of the tick size 0.05/);
  });

  it('a lost acknowledgement leaves the order unknown until reconciliation finds it; its fill is booked once', async () => {
    const venue = new SimulatedVenue({ cash: 10_000, timeoutMs: 5 });
    venue.timeoutNextSubmit({ silent: true });
    const r = await runAt(venue, BuyTen, [FLAT, FLAT, FLAT, FLAT, FLAT, FLAT]);
    const o = r.orders[0]!;
    expect(o.status).toBe(OrderStatus.Completed);
    expect(o.executed.size).toBe(10);
    expect(venue.snapshot().orders.length).toBe(1);
    expect(r.openTrades[0]!.size).toBe(venue.snapshot().positions.X!.size);
  });

  it('cancelOnStop cancels the orders still open at the venue', async () => {
    class LowBid extends Strategy {
      override next(): void {
        if (this.data.size === 1) this.buy({ size: 1, exectype: 'Limit', price: 5 });
      }
    }
    const venue = new SimulatedVenue({ cash: 10_000 });
    const r = await runAt(venue, LowBid, [FLAT, FLAT, FLAT], undefined, { cancelOnStop: true });
    expect(r.canceledOnStop).toBe(1);
    expect(venue.snapshot().orders.map((o) => o.status)).toEqual(['canceled']);
  });
});

describe('reconciliation on start', () => {
  it('the venue\'s cash and position are the engine\'s before the first next(), and the report is on the result and the bus', async () => {
    const venue = new SimulatedVenue({ cash: 10_000 });
    const before = venue.adapter('earlier');
    await before.connect();
    venue.setPrice('X', 10);
    await before.submit({ clientOrderId: 'earlier-1', symbol: 'X', side: 'buy', size: 7, type: 'Market' });
    await before.disconnect();
    const seen: number[] = [];
    class Sees extends Strategy {
      override next(): void {
        if (seen.length === 0) seen.push(this.position.size, this.position.price, this.broker.getCash());
        if (this.data.size === 2) this.close();
      }
    }
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('session', (e) => states.push(e.state));
    const r = await runAt(venue, Sees, [FLAT, FLAT, [10.8, 11, 10.5, 10.9]], undefined, { bus });
    expect(seen).toEqual([7, 10, 10_000 - 70]);
    expect(r.reconciliation!.positions).toEqual([{ symbol: 'X', size: 7, avgPrice: 10 }]);
    expect(states.indexOf('reconciled')).toBeLessThan(states.indexOf('trading'));
    // Closing the taken-over position closes a trade, at the venue's price.
    expect(r.trades.map((t) => t.pnl)).toEqual([(10.8 - 10) * 7]);
    expect(venue.snapshot().positions.X!.size).toBe(0);
  });
});
