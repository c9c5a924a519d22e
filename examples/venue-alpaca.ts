/**
 * Alpaca, against the local Alpaca server (`test/venues/alpaca-server.ts`), so it runs offline:
 * (1) the SMA-cross strategy paper-trading on Alpaca's prices (warm-up from the REST bars
 * endpoint, then minute bars from the market-data stream), and (2) the Alpaca adapter with a
 * native bracket order: the entry fills, its take-profit and stop-loss start working, the market
 * reaches the take-profit and Alpaca cancels the stop-loss.
 *
 * Against Alpaca's paper account: drop the server and the URLs, and put your paper keys in
 * APCA_API_KEY_ID / APCA_API_SECRET_KEY (`alpaca({ paper: true })` is the default).
 *
 * Run it with `npx tsx examples/venue-alpaca.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { alpaca, alpacaSource, Cerebro, feeds, paper, type LiveResult, type VenueEvent } from '../ts/index.js';
import { startAlpacaServer } from '../test/venues/alpaca-server.js';
import { SmaCross } from './sma-cross.js';

const here = dirname(fileURLToPath(import.meta.url));
const MIN = 60_000;

/** Runs both parts; returns the paper session, the adapter's events and the position left. */
export async function runAlpacaExample(file = join(here, 'data', 'sample-daily.csv')): Promise<{ paperRun: LiveResult; events: VenueEvent[]; position: number }> {
  const keys = { keyId: 'PKEXAMPLE0001', secretKey: 'example-secret-0001' };
  const server = await startAlpacaServer(keys);
  const at = { ...keys, baseUrl: server.url, dataUrl: server.url, logger: false as const };
  try {
    // The local market: the sample file's prices as the last minutes' bars.
    const c = feeds.backtraderCsv(file).columns;
    const first = Math.floor(Date.now() / MIN) * MIN - (c.close.length + 1) * MIN;
    const bars = Array.from(c.close, (close, i) => ({ t: first + i * MIN, o: c.open[i]!, h: c.high[i]!, l: c.low[i]!, c: close, v: c.volume[i]! }));
    const warm = 20;
    server.setBars('AAPL', bars.slice(0, warm));

    // 1. Paper trading on Alpaca's bars: the rest of them come down the stream once subscribed.
    const cerebro = new Cerebro();
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.001 });
    cerebro.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });
    const source = alpacaSource({ ...at, symbol: 'AAPL', history: warm, paced: false, endAt: bars.at(-1)!.t + MIN });
    const market = (async () => {
      while (server.subscribers('bars', 'AAPL') === 0) await new Promise((r) => setTimeout(r, 5));
      for (const b of bars.slice(warm)) server.bar('AAPL', b);
    })();
    const [paperRun] = await cerebro.runLive({ sources: [source], broker: paper(), logger: false, handleSignals: false });
    await market;

    // 2. The adapter: a bracket order, native at Alpaca (order_class: bracket).
    server.setPrice('AAPL', 100);
    const broker = alpaca(at);
    const events: VenueEvent[] = [];
    broker.events((e) => events.push(e));
    await broker.connect();
    await broker.submit({
      clientOrderId: 'entry-1', symbol: 'AAPL', side: 'buy', size: 10, type: 'Limit', price: 99,
      alpaca: { orderClass: 'bracket', takeProfit: { limitPrice: 105 }, stopLoss: { stopPrice: 95 } },
    });
    const waitFor = async (p: () => boolean) => {
      for (let i = 0; i < 500 && !p(); i++) await new Promise((r) => setTimeout(r, 5));
    };
    server.setPrice('AAPL', 98.9); // the entry fills; its exits start working
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'entry-1' && e.order.status === 'filled'));
    await waitFor(() => events.filter((e) => e.type === 'order' && e.order.status === 'accepted').length >= 3);
    server.setPrice('AAPL', 105.5); // the take-profit fills; Alpaca cancels the stop-loss
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.type === 'Stop' && e.order.status === 'canceled'));
    const position = (await broker.positions()).find((p) => p.symbol === 'AAPL')?.size ?? 0;
    await broker.disconnect();
    return { paperRun: paperRun!, events, position };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { paperRun, events, position } = await runAlpacaExample();
  console.log(`paper on Alpaca's bars: ${paperRun.bars} bars, ${paperRun.summary.orders} orders, final value ${paperRun.finalValue.toFixed(2)}`);
  for (const e of events) if (e.type !== 'connection') console.log(e.type, JSON.stringify(e.type === 'order' ? { id: e.order.clientOrderId, type: e.order.type, status: e.order.status } : e.type === 'fill' ? { price: e.fill.price, size: e.fill.size } : e));
  console.log(`AAPL held at Alpaca: ${position}`);
}
