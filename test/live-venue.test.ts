/** The simulated venue passes the adapter conformance suite, and its faults behave as documented. */
import { describe, expect, it } from 'vitest';
import { brokerAdapterConformance, SimulatedVenue, VenueError } from '../ts/index.js';

brokerAdapterConformance('simulated venue', {
  setup: async () => {
    const venue = new SimulatedVenue({ cash: 10_000, timeoutMs: 20 });
    return { adapter: venue.adapter(), symbol: 'XYZ', setPrice: async (s, p) => venue.setPrice(s, p) };
  },
}, { describe, it });

describe('simulated venue faults', () => {
  it('a dropped submit times out and the venue never saw it; a lost acknowledgement times out but the order exists', async () => {
    const venue = new SimulatedVenue({ timeoutMs: 10 });
    const a = venue.adapter();
    await a.connect();
    venue.setPrice('X', 10);
    venue.dropNextSubmit();
    await expect(a.submit({ clientOrderId: 'd1', symbol: 'X', side: 'buy', size: 1, type: 'Market' })).rejects.toMatchObject({ code: 'VENUE_TIMEOUT' });
    expect(await a.order('d1')).toBeUndefined();
    venue.timeoutNextSubmit();
    await expect(a.submit({ clientOrderId: 't1', symbol: 'X', side: 'buy', size: 1, type: 'Market' })).rejects.toBeInstanceOf(VenueError);
    expect((await a.order('t1'))?.status).toBe('filled');
  });

  it('orders fill while disconnected; their events are lost and fillsSince finds them', async () => {
    const venue = new SimulatedVenue();
    const a = venue.adapter();
    const fills: string[] = [];
    a.events((e) => e.type === 'fill' && fills.push(e.fill.clientOrderId));
    await a.connect();
    venue.setPrice('X', 10);
    await a.submit({ clientOrderId: 'l1', symbol: 'X', side: 'buy', size: 1, type: 'Limit', price: 9 });
    venue.disconnect();
    await expect(a.positions()).rejects.toMatchObject({ code: 'VENUE_DISCONNECTED' });
    venue.setPrice('X', 8.5);
    venue.reconnect();
    await new Promise((r) => setTimeout(r, 5));
    expect(fills).toEqual([]);
    expect((await a.fillsSince(0)).map((f) => f.clientOrderId)).toEqual(['l1']);
    expect(await a.positions()).toEqual([{ symbol: 'X', size: 1, avgPrice: 8.5 }]);
  });
});
