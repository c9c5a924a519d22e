/** examples/venue-ib.ts runs in the suite against the scripted TWS. */
import { describe, expect, it } from 'vitest';
import type { VenueEvent } from '../ts/index.js';

describe('examples/venue-ib', () => {
  it("paper-trades the SMA cross on IB's bars, loads instruments, and the bracket's exits cancel each other", async () => {
    const { runIbExample } = await import('../examples/venue-ib.js');
    const { paperRun, events, instruments, position } = await runIbExample();
    expect(paperRun.reason).toBe('ended');
    expect(paperRun.bars).toBe(260);
    expect(paperRun.summary.orders).toBeGreaterThan(2);
    expect(instruments.get('ESZ6')).toMatchObject({ multiplier: 50, tickSize: 0.25 });
    const last = (id: string) => events.filter((e): e is Extract<VenueEvent, { type: 'order' }> => e.type === 'order' && e.order.clientOrderId === id).at(-1)?.order.status;
    expect([last('entry-1'), last('profit-1'), last('stop-1')]).toEqual(['filled', 'filled', 'canceled']);
    expect(position).toBe(0);
  }, 60_000);
});
