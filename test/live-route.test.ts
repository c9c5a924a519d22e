/**
 * runLive with a broker adapter: the oracle's SMA-cross strategies routed to a SimulatedVenue
 * that meets each replayed bar as the paper broker does (Market at the open; Limit and Stop at
 * the open when it is through their price, else at their price when the bar reaches it) place
 * the same orders, get the same notifications and fills, close the same trades and end with the
 * same value as the paper run. The venue does the filling: the engine books its fills.
 */
import { describe, expect, it } from 'vitest';
import { OrderStatus, paper, replaySource, SimulatedVenue, type Order, type Trade } from '../ts/index.js';
import { setupScenario } from './support/scenario-runner.js';
import { venueReplay } from './support/venue-replay.js';

const orderRow = (o: Order) => ({
  ref: o.ref, size: o.size, type: o.getOrdertypeName(), status: o.getStatusName(), created: o.created,
  history: o.history.map((h) => [OrderStatus[h.status], h.bar, h.fill?.price, h.fill?.size, h.fill?.comm]),
});
const tradeRow = (t: Trade) => [t.ref, t.size, t.price, t.pnl, t.pnlcomm, t.commission, t.baropen, t.barclose, t.dtopen, t.dtclose];

async function paperRun(name: string) {
  const s = setupScenario(name);
  const data = s.cerebro.datas[0]!;
  const [r] = await s.cerebro.runLive({ sources: [replaySource(data, { speed: 'max' })], broker: paper(), logger: false, handleSignals: false });
  return r!;
}

async function venueRun(name: string, venueOptions: ConstructorParameters<typeof SimulatedVenue>[0] = {}) {
  const s = setupScenario(name);
  const data = s.cerebro.datas[0]!;
  const venue = new SimulatedVenue({ cash: s.sc.config.broker.cash, commission: s.sc.config.setcommission_kwargs.commission, ...venueOptions });
  const [r] = await s.cerebro.runLive({
    sources: [venueReplay(venue, data)], broker: venue.adapter('sim'), journal: ':memory:', logger: false, handleSignals: false, clock: 'data',
  });
  return { r: r!, venue };
}

describe.each(['sma_cross_market', 'sma_cross_limit', 'sma_cross_stop', 'sma_cross_bracket'])('live at a venue = paper: %s', (name) => {
  it('routes every order to the venue and books its fills where the paper broker fills', async () => {
    const p = await paperRun(name);
    const { r: v, venue } = await venueRun(name);
    expect(v.errors).toEqual([]);
    expect(v.summary.mode).toBe('live');
    expect(v.orders.length).toBeGreaterThan(0);
    expect(v.orders.map(orderRow)).toEqual(p.orders.map(orderRow));
    expect(v.trades.map(tradeRow)).toEqual(p.trades.map(tradeRow));
    expect(v.openTrades.map(tradeRow)).toEqual(p.openTrades.map(tradeRow));
    expect(v.finalCash).toBe(p.finalCash);
    expect(v.finalValue).toBe(p.finalValue);
    // The fills are the venue's: one venue fill per engine fill, and the venue's position is the engine's.
    const fills = v.orders.flatMap((o) => o.history.filter((h) => h.fill));
    const snap = venue.snapshot();
    expect(snap.fills.length).toBe(fills.length);
    const engineSize = v.openTrades.reduce((a, t) => a + t.size, 0);
    expect(snap.positions['2006-day-001']?.size ?? 0).toBe(engineSize);
  });
});
