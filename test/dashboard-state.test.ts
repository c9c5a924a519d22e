/** The dashboard's state, folded from events: positions from fills (adds, partial exits, reversals), open orders, risk and connections. */
import { describe, expect, it } from 'vitest';
import { DashboardState } from '../ts/dashboard/state.js';
import type { OrderSnapshot } from '../ts/events/types.js';

const order = (ref: number, side: 'buy' | 'sell', size: number, status: string, filled = 0): OrderSnapshot => ({ ref, symbol: 'ES', side, orderType: 'Market', size, status, filled, avgPrice: NaN });
const fill = (ref: number, side: 'buy' | 'sell', size: number, price: number) => ({ type: 'fill' as const, time: ref * 1000, order: order(ref, side, size, 'Completed', size), size, price, commission: 0.5 });

describe('DashboardState', () => {
  it('builds positions from fills: size-weighted entry, unchanged on a partial exit, reset on a reversal', () => {
    const s = new DashboardState();
    s.apply(fill(1, 'buy', 2, 100));
    s.apply(fill(2, 'buy', 2, 110));
    expect(s.snapshot().positions).toEqual([{ symbol: 'ES', size: 4, price: 105 }]);
    s.apply(fill(3, 'sell', 1, 120));
    expect(s.snapshot().positions).toEqual([{ symbol: 'ES', size: 3, price: 105 }]);
    s.apply(fill(4, 'sell', 5, 90));
    expect(s.snapshot().positions).toEqual([{ symbol: 'ES', size: -2, price: 90 }]);
    s.apply(fill(5, 'buy', 2, 95));
    expect(s.snapshot().positions).toEqual([]);
    expect(s.snapshot().fills.map((f) => f.price)).toEqual([100, 110, 120, 90, 95]);
  });

  it('keeps each order once in its last state; open orders are the ones not done', () => {
    const s = new DashboardState();
    s.apply({ type: 'order', time: 1, order: order(1, 'buy', 1, 'Submitted') });
    s.apply({ type: 'order', time: 2, order: order(2, 'sell', 1, 'Accepted') });
    s.apply({ type: 'order', time: 3, order: order(1, 'buy', 1, 'Completed', 1) });
    const snap = s.snapshot();
    expect(snap.orders.map((o) => [o.ref, o.status])).toEqual([[2, 'Accepted'], [1, 'Completed']]);
    expect(snap.openOrders.map((o) => o.ref)).toEqual([2]);
  });

  it('shows the risk state, each connection\'s last state and equity points in time order', () => {
    const s = new DashboardState(3);
    s.apply({ type: 'risk', time: 1, state: 'HALTED', previous: 'ACTIVE', reason: 'kill switch: dashboard', killSwitch: true });
    s.apply({ type: 'connection', time: 1, component: 'source:ccxt', state: 'lost' });
    s.apply({ type: 'connection', time: 2, component: 'source:ccxt', state: 'restored' });
    for (const [t, v] of [[1, 10], [2, 11], [2, 12], [3, 13], [4, 14]]) s.addEquity(t!, v!);
    s.addEquity(5, NaN);
    const snap = s.snapshot();
    expect(snap.risk).toEqual({ state: 'HALTED', reason: 'kill switch: dashboard', killSwitch: true });
    expect(snap.connections).toEqual([{ component: 'source:ccxt', state: 'restored', time: 2 }]);
    expect(snap.equity).toEqual([{ time: 2, value: 12 }, { time: 3, value: 13 }, { time: 4, value: 14 }]);
  });
});
