/**
 * End to end on the scripted TWS's market: the SMA-cross example strategy runs through
 * `runLive` on IB data (warm-up through reqHistoricalData, then IB's real-time bars), once with
 * paper fills and once with its orders sent to the IB account through the IB adapter, and places
 * the same orders with the same fills, trades and final value as a paper run replaying the same
 * prices.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, iterableSource, paper, type LiveMessage, type LiveResult, type Order } from '../ts/index.js';
import { ib, ibSource } from '../ts/venues/ib/index.js';
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

/** A paper run of the SMA cross on `bars` (the first `warm` as history), from memory. */
async function paperOnSameBars(bars: TwsBar[], warm: number): Promise<LiveResult> {
  const asBar = (b: TwsBar): LiveMessage => ({ type: 'bar', time: b.time + 5000, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
  const history = () => {
    const h = bars.slice(0, warm);
    const col = (f: (b: TwsBar) => number) => Float64Array.from(h, f);
    return { datetime: col((b) => b.time + 5000), open: col((b) => b.open), high: col((b) => b.high), low: col((b) => b.low), close: col((b) => b.close), volume: col((b) => b.volume), openinterest: new Float64Array(warm) };
  };
  const src = iterableSource('AAPL', bars.slice(warm).map(asBar), { frame: FIVE_S, history });
  const [run] = await cerebroWithSma().runLive({ sources: [{ ...src, paced: false }], broker: paper(), logger: false, handleSignals: false });
  return run!;
}

/** SmaCross, counting the bars it has seen and the orders it has placed (so the test paces the market on them). */
class PacedSma extends SmaCross {
  static bars = 0;
  static orders = 0;
  override next(): void {
    const before = this.pending;
    super.next();
    if (this.pending && this.pending !== before) PacedSma.orders++;
    PacedSma.bars++;
  }
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

  it("orders routed to the IB account through the adapter: TWS fills them at the next bar's open, as the paper broker does; same orders, fills, trades, final value", async () => {
    const bars = sampleBars(300);
    const warm = 40;
    const tws = await ScriptedTws.start({
      cash: 100_000, barFills: true, commission: (shares, price) => shares * price * 0.001,
      contracts: [{ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', minTick: 0.01 }],
    });
    let venueRun: LiveResult;
    try {
      tws.setHistory('AAPL', bars.slice(0, warm));
      const source = ibSource({ port: tws.port, clientId: 52, symbol: 'AAPL', data: 'bars', history: { duration: '1 D', barSize: '5 secs' }, paced: false, maxBars: bars.length - warm, logger: false });
      const broker = ib({ port: tws.port, clientId: 51, logger: false });
      const cerebro = new Cerebro();
      cerebro.broker.setCommission({ commission: 0.001 });
      cerebro.addStrategy(PacedSma, { fast: 10, slow: 30, stake: 100 });
      PacedSma.bars = 0;
      PacedSma.orders = 0;
      const running = cerebro.runLive({ sources: [source], broker, journal: ':memory:', logger: false, handleSignals: false, clock: 'data' });
      const until = async (p: () => boolean, what: string) => {
        for (let i = 0; !p(); i++) {
          if (i > 2000) throw new Error(`waited too long for ${what}`);
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      await until(() => tws.received.some((r) => r.clientId === 52 && r.fields[0] === '50'), 'the bar subscription');
      // Each bar, once the strategy has seen the previous one and its order (if any) is at TWS.
      const live = bars.slice(warm);
      for (let i = 0; i < live.length; i++) {
        await tws.pushBar('AAPL', live[i]!);
        await until(() => PacedSma.bars === i + 1 && tws.stats.placeOrders === PacedSma.orders, `bar ${i}`);
      }
      [venueRun] = (await running) as [LiveResult];
    } finally {
      await tws.close();
    }
    const paperRun = await paperOnSameBars(bars, warm);
    expect(venueRun!.errors).toEqual([]);
    expect(venueRun!.summary.mode).toBe('live');
    expect(venueRun!.orders.length).toBeGreaterThan(4);
    // TWS's commission travels as text: equal to the paper broker's to the last printed digit.
    const nano = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v);
    const row = (o: Order) => { const r = orderRow(o); return { ...r, fills: r.fills.map((f) => f.map(nano)) }; };
    expect(venueRun!.orders.map(row)).toEqual(paperRun.orders.map(row));
    expect(venueRun!.trades.map((t) => [t.size, t.price, nano(t.pnlcomm)])).toEqual(paperRun.trades.map((t) => [t.size, t.price, nano(t.pnlcomm)]));
    expect(venueRun!.finalValue).toBeCloseTo(paperRun.finalValue, 6);
    // The fills were TWS's: one execution per engine fill, each with the order's client id in orderRef.
    const fills = venueRun!.orders.flatMap((o) => o.history.filter((h) => h.fill));
    expect(tws.listExecutions()).toHaveLength(fills.length);
    expect(new Set(tws.listExecutions().map((e) => e.orderRef)).size).toBe(fills.length);
    expect(tws.position('AAPL')).toBe(venueRun!.openTrades.reduce((a, t) => a + t.size, 0));
  }, 60_000);
});
