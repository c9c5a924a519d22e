/**
 * examples/venue-ashare-gateway runs: the same A-share strategy on the paper broker's A-share
 * profile and through the local securities gateway, on the same bars, places the same orders and
 * gets the same fills (price, size, fees), and ends with the same cash and position.
 */
import { describe, expect, it } from 'vitest';
import { OrderStatus } from '../ts/index.js';
import { runAShareGatewayExample } from '../examples/venue-ashare-gateway.js';

describe('examples/venue-ashare-gateway', () => {
  it('orders and fills through the gateway match the paper broker with setChinaAShare() on the same bars', async () => {
    const { paper, live, server } = await runAShareGatewayExample();
    expect(live.summary.mode).toBe('live');
    expect(live.errors).toEqual([]);
    const view = (r: typeof live) => r.orders.map((o) => ({
      createdBar: o.created.bar, size: o.size, limit: o.created.price, status: o.status,
      filledBar: o.executed.bar, filled: o.executed.size, price: o.executed.price,
    }));
    const onPaper = view(paper);
    expect(onPaper.length).toBeGreaterThanOrEqual(6);
    expect(onPaper.every((o) => o.status === OrderStatus.Completed && Math.abs(o.size) % 100 === 0)).toBe(true);
    expect(view(live)).toEqual(onPaper);
    // every engine fill is one gateway deal, at the open of the bar after the order
    expect(server.deals).toHaveLength(live.orders.length);
    expect(server.deals.map((d) => d.deal_price)).toEqual(live.orders.map((o) => o.executed.price));
    // fees: the gateway rounds each to the cent, the paper broker does not; on these sizes they agree to the cent
    live.orders.forEach((o, i) => expect(o.executed.comm).toBeCloseTo(paper.orders[i]!.executed.comm, 2));
    expect(live.finalCash).toBeCloseTo(paper.finalCash, 1);
    expect(live.finalCash).toBeCloseTo(server.cash, 6);
    expect(live.strategy.position.size).toBe(paper.strategy.position.size);
  });

  it('an account too small for a lot: the gateway refuses with no funds, booked as Margin as on paper', async () => {
    const { paper, live, server } = await runAShareGatewayExample(undefined, 5_000);
    expect(live.errors).toEqual([]);
    const statuses = (r: typeof live) => r.orders.map((o) => [o.created.bar, o.getStatusName()]);
    expect(paper.orders.length).toBeGreaterThan(0);
    expect(paper.orders.every((o) => o.status === OrderStatus.Margin)).toBe(true);
    expect(statuses(live)).toEqual(statuses(paper));
    expect(server.orders).toHaveLength(0);
    expect(live.finalCash).toBe(5_000);
  });
});
