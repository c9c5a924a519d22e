/**
 * Interactive Brokers against the scripted TWS (`test/venues/ib-tws-server.ts`), so it runs
 * offline: (1) the SMA-cross strategy paper-trading on IB's real-time bars (warm-up through
 * reqHistoricalData), and (2) the IB adapter: contract details into the instruments registry, an
 * IB bracket (parent + take-profit + stop-loss in one OCA group), the market moving through it.
 *
 * Against TWS or IB Gateway: drop the scripted TWS and use its API port (TWS paper 7497, IB
 * Gateway paper 4002) with a paper account first.
 *
 * Run it with `npx tsx examples/venue-ib.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Cerebro, feeds, paper, type LiveResult, type VenueEvent } from '../ts/index.js';
import { ib, ibSource } from '../ts/venues/ib/index.js';
import { ScriptedTws } from '../test/venues/ib-tws-server.js';
import { SmaCross } from './sma-cross.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs both parts; returns the paper session, the bracket's events and the instruments loaded. */
export async function runIbExample(file = join(here, 'data', 'sample-daily.csv')) {
  const tws = await ScriptedTws.start({
    cash: 100_000,
    contracts: [
      { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD', minTick: 0.01, timeZoneId: 'US/Eastern' },
      { conId: 495512563, symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', localSymbol: 'ESZ6', lastTradeDateOrContractMonth: '20261218', multiplier: 50, minTick: 0.25 },
    ],
  });
  try {
    // The market: the sample file's prices as IB's 5-second bars; the first 40 are the history.
    const c = feeds.backtraderCsv(file).columns;
    const t0 = Date.UTC(2026, 0, 5, 14, 30);
    const bars = Array.from({ length: 300 }, (_, i) => ({ time: t0 + i * 5000, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! }));
    tws.setHistory('AAPL', bars.slice(0, 40));

    // 1. Paper trading on IB's bars.
    const cerebro = new Cerebro();
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.001 });
    cerebro.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });
    const source = ibSource({ port: tws.port, clientId: 2, symbol: 'AAPL', data: 'bars', history: { duration: '200 S', barSize: '5 secs' }, paced: false, maxBars: 260, logger: false });
    const running = cerebro.runLive({ sources: [source], broker: paper(), logger: false, handleSignals: false });
    while (!tws.received.some((r) => r.fields[0] === '50')) await new Promise((r) => setTimeout(r, 5));
    for (const b of bars.slice(40)) await tws.pushBar('AAPL', b);
    const [paperRun] = (await running) as [LiveResult];

    // 2. The adapter: instruments, then a bracket sent as IB's parent/children.
    const broker = ib({ port: tws.port, clientId: 1, logger: false });
    const events: VenueEvent[] = [];
    broker.events((e) => events.push(e));
    await broker.connect();
    const instruments = await broker.instruments(['AAPL', 'FUT:ES:202612']);
    await tws.setPrice('AAPL', 100);
    await broker.submitBracket(
      { clientOrderId: 'entry-1', symbol: 'AAPL', side: 'buy', size: 10, type: 'Limit', price: 99.5 },
      { clientOrderId: 'profit-1', price: 104 },
      { clientOrderId: 'stop-1', stopPrice: 97 },
    );
    for (const price of [99.4, 101, 104.2]) await tws.setPrice('AAPL', price);
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'order' && e.order.clientOrderId === 'stop-1' && e.order.status === 'canceled'); i++) await new Promise((r) => setTimeout(r, 10));
    const position = (await broker.positions()).find((p) => p.symbol === 'AAPL')?.size ?? 0;
    await broker.disconnect();
    return { paperRun: paperRun!, events, instruments, position };
  } finally {
    await tws.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { paperRun, events, instruments, position } = await runIbExample();
  console.log(`paper on IB's bars: ${paperRun.bars} bars, ${paperRun.summary.orders} orders, final value ${paperRun.finalValue.toFixed(2)}`);
  console.log(`instruments: ${instruments.list().map((i) => `${i.symbol} tick ${i.tickSize} x${i.multiplier}`).join(', ')}`);
  for (const e of events) if (e.type === 'order') console.log(e.order.clientOrderId, e.order.status);
  console.log(`AAPL position after the bracket: ${position}`);
}
