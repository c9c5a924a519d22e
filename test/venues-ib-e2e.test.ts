/**
 * End to end on the scripted TWS's market: the SMA-cross example strategy runs through
 * `runLive` on IB data (warm-up through reqHistoricalData, then IB's real-time bars) with paper
 * fills, and places the same orders with the same fills, trades and final value as a paper run
 * replaying the same prices.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, iterableSource, paper, type LiveMessage, type LiveResult, type Order } from '../ts/index.js';
import { ibSource } from '../ts/venues/ib/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { ScriptedTws, type TwsBar } from './venues/ib-tws-server.js';

const FIVE_S = { timeframe: 'Seconds', compression: 5 } as const;

/** The sample file's prices as 5-second bars (IB stamps a real-time bar with its start). */
function sampleBars(n: number): TwsBar[] {
  const c = feeds.backtraderCsv(new URL('../examples/data/sample-daily.csv', import.meta.url).pathname).columns;
  const t0 = Date.UTC(2026, 0, 5, 14, 30);
  return Array.from({ length: n }, (_, i) => ({ time: t0 + i * 5000, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! }));
}

function cerebroWithSma(): Cerebro {
  const cerebro = new Cerebro();
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });
  return cerebro;
}

const orderRow = (o: Order) => ({ ref: o.ref, size: o.size, type: o.getOrdertypeName(), status: o.getStatusName(), fills: o.history.filter((h) => h.fill).map((h) => [h.fill!.price, h.fill!.size, h.fill!.comm]) });

describe('SMA cross on IB data (scripted TWS) = a paper run on the same prices', () => {
  it('warm-up by reqHistoricalData, live real-time bars, paper fills: same orders, fills, trades, final value', async () => {
    const bars = sampleBars(400);
    const warm = 40;
    const tws = await ScriptedTws.start({ contracts: [{ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', minTick: 0.01 }] });
    let ibRun: LiveResult;
    let ibSrc: ReturnType<typeof ibSource>;
    try {
      tws.setHistory('AAPL', bars.slice(0, warm));
      ibSrc = ibSource({ port: tws.port, clientId: 41, symbol: 'AAPL', data: 'bars', history: { duration: '1 D', barSize: '5 secs' }, paced: false, maxBars: bars.length - warm, logger: false });
      const running = cerebroWithSma().runLive({ sources: [ibSrc], broker: paper(), logger: false, handleSignals: false });
      // The market: once the subscription is in, each bar after the warm-up.
      for (let i = 0; i < 400 && !tws.received.some((r) => r.fields[0] === '50'); i++) await new Promise((r) => setTimeout(r, 10));
      for (const b of bars.slice(warm)) await tws.pushBar('AAPL', b);
      [ibRun] = (await running) as [LiveResult];
    } finally {
      await tws.close();
    }

    // The paper run on the same prices: the same warm-up and the same bars, from memory.
    const asBar = (b: TwsBar): LiveMessage => ({ type: 'bar', time: b.time + 5000, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
    const history = () => {
      const h = bars.slice(0, warm);
      const col = (f: (b: TwsBar) => number) => Float64Array.from(h, f);
      return { datetime: col((b) => b.time + 5000), open: col((b) => b.open), high: col((b) => b.high), low: col((b) => b.low), close: col((b) => b.close), volume: col((b) => b.volume), openinterest: new Float64Array(warm) };
    };
    const src = iterableSource('AAPL', bars.slice(warm).map(asBar), { frame: FIVE_S, history });
    const [paperRun] = await cerebroWithSma().runLive({ sources: [{ ...src, paced: false }], broker: paper(), logger: false, handleSignals: false });

    expect(ibRun!.errors).toEqual([]);
    expect(ibRun!.reason).toBe('ended');
    expect(ibRun!.bars).toBe(paperRun!.bars);
    expect(ibRun!.orders.length).toBeGreaterThan(4);
    expect(ibRun!.orders.map(orderRow)).toEqual(paperRun!.orders.map(orderRow));
    expect(ibRun!.trades.map((t) => [t.size, t.price, t.pnlcomm])).toEqual(paperRun!.trades.map((t) => [t.size, t.price, t.pnlcomm]));
    expect(ibRun!.finalValue).toBe(paperRun!.finalValue);
    expect(ibSrc!.stats.bars).toBe(bars.length - warm);
  });
});
