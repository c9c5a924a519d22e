/** The ccxt futures example runs as part of the suite, against the local Binance USDⓈ-M server. */
import { describe, expect, it } from 'vitest';
import { runFuturesVenueExample } from '../examples/venue-ccxt-futures.js';

describe('examples/venue-ccxt-futures', () => {
  it('opens a short on the perpetual, shows its profit in the margin account, covers it; events on the user stream', async () => {
    const r = await runFuturesVenueExample();
    expect(r.whileShort.position).toEqual([{ symbol: 'BTC/USDT:USDT', size: -3, avgPrice: 100 }]);
    expect(r.whileShort.account.equity - r.whileShort.account.cash).toBeCloseTo(15, 9);
    expect(r.afterCover.position).toEqual([]);
    expect(r.afterCover.account.cash).toBeCloseTo(10_015, 9);
    expect(r.events.filter((e) => e.type === 'fill').map((e) => e.type === 'fill' && [e.fill.side, e.fill.size, e.fill.price])).toEqual([['sell', 3, 100], ['buy', 3, 95]]);
    expect(r.streamed).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
