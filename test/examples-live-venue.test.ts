/** examples/live-venue runs: the same strategy on paper and at a Market+Limit venue. */
import { describe, expect, it } from 'vitest';
import { OrderStatus } from '../ts/index.js';
import { runLiveVenueExample } from '../examples/live-venue.js';

describe('examples/live-venue', () => {
  it('places the same brackets on paper and at the venue; the venue does the filling, stops go there as Market orders', async () => {
    const { paper, live, venue } = await runLiveVenueExample();
    expect(live.summary.mode).toBe('live');
    expect(live.errors).toEqual([]);
    expect(live.trades.length).toBeGreaterThan(2);
    // Same entries on the same bars: each bracket's parent is created where the paper run's is.
    const parents = (r: typeof live) => r.orders.filter((o) => Number.isNaN(o.created.pricelimit) && o.size > 0).map((o) => o.created.bar);
    expect(parents(live)).toEqual(parents(paper));
    const snap = venue.snapshot();
    // Every engine fill is a venue fill, and the venue's position is the engine's.
    const fills = live.orders.reduce((a, o) => a + o.history.filter((h) => h.fill).length, 0);
    expect(snap.fills.length).toBe(fills);
    expect(snap.positions[live.strategy.data.name]?.size ?? 0).toBe(live.strategy.position.size);
    expect(live.finalCash).toBeCloseTo(snap.cash, 6);
    // Stops reached locally went as Market orders; their take-profits were canceled at the venue.
    const stopsFilled = live.orders.filter((o) => o.getOrdertypeName() === 'Stop' && o.status === OrderStatus.Completed).length;
    expect(stopsFilled).toBeGreaterThan(0);
    expect(snap.orders.filter((o) => o.type === 'Market' && o.side === 'sell').length).toBe(stopsFilled);
    expect(snap.orders.filter((o) => o.type === 'Limit' && o.side === 'sell' && o.status === 'canceled').length).toBeGreaterThanOrEqual(stopsFilled);
  });
});
