/** examples/venue-alpaca.ts runs in the suite against the local Alpaca server. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAlpacaExample } from '../examples/venue-alpaca.js';
import { runDemo } from '../examples/sma-cross.js';

describe('examples/venue-alpaca', () => {
  it("paper trading on the local Alpaca market's bars equals the backtest; a bracket's entry and take-profit fill, the stop-loss is canceled", async () => {
    const { paperRun, events, position } = await runAlpacaExample();
    const backtest = runDemo(undefined, join(mkdtempSync(join(tmpdir(), 'ft-ex-')), 'r.html')).result;
    expect(paperRun.reason).toBe('ended');
    expect(paperRun.summary.orders).toBe(backtest.orders.length);
    expect(paperRun.finalValue).toBeCloseTo(backtest.finalValue, 9);
    expect(events.filter((e) => e.type === 'fill').map((e) => e.type === 'fill' && [e.fill.price, e.fill.size])).toEqual([[98.9, 10], [105.5, 10]]);
    const final = new Map(events.flatMap((e) => (e.type === 'order' ? [[e.order.venueOrderId, `${e.order.type}:${e.order.status}`] as const] : [])));
    expect([...final.values()].sort()).toEqual(['Limit:filled', 'Limit:filled', 'Stop:canceled']);
    expect(position).toBe(0);
  }, 60_000);
});
