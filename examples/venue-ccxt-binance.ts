/**
 * A crypto venue through ccxt, against the local Binance spot server (`test/venues/`), so it runs
 * offline: (1) the SMA-cross strategy paper-trading on candles polled from the venue (warm-up
 * history through fetchOHLCV, then each closed candle), and (2) the venue adapter under the
 * journaled order router: reconcile, a limit order, the market moving through it, the fill.
 *
 * Against the real Binance: drop the server, make `ccxt.binance()` (or pass `exchange: 'binance'`)
 * and put the keys in FERROTRADE_BINANCE_API_KEY / FERROTRADE_BINANCE_SECRET.
 *
 * Run it with `npx tsx examples/venue-ccxt-binance.ts`.
 */
import ccxt from 'ccxt';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Cerebro, feeds, openJournal, OrderRouter, paper, type LiveResult, type VenueEvent } from '../ts/index.js';
import { ccxtBroker, ccxtSource, type CcxtExchange } from '../ts/venues/index.js';
import { startBinanceSpotServer } from '../test/venues/binance-spot-server.js';
import { SmaCross } from './sma-cross.js';

const here = dirname(fileURLToPath(import.meta.url));
const DAY = 86_400_000;

/** Runs both parts; returns the paper session and what the venue did with the routed order. */
export async function runCcxtExample(file = join(here, 'data', 'sample-daily.csv')): Promise<{ paperRun: LiveResult; routed: VenueEvent[]; position: number }> {
  const server = await startBinanceSpotServer({ apiKey: 'example-key', secret: 'example-secret' });
  const venue = () => {
    const ex = new ccxt.binance({ apiKey: 'example-key', secret: 'example-secret', enableRateLimit: true, rateLimit: 1, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
    ex.urls.api = server.ccxtUrls(ex.urls.api as Record<string, string>);
    return ex as unknown as CcxtExchange;
  };
  try {
    // The local market: the sample file's daily candles, the next one printed on each poll for it.
    const data = feeds.backtraderCsv(file);
    const c = data.columns;
    const klines = Array.from({ length: data.size }, (_, i) => ({ openTime: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]!, closeTime: c.datetime[i]! + DAY - 1 }));
    const warm = 20;
    server.setKlines('BTCUSDT', klines.slice(0, warm));
    let next = warm;
    let now = klines[warm - 1]!.openTime + DAY;
    server.onRequest = (_m, path, params) => {
      if (path !== '/api/v3/klines' || next >= klines.length || Number(params.get('startTime')) !== klines[next - 1]!.openTime + 1) return;
      server.addKline('BTCUSDT', klines[next]!);
      now = klines[next++]!.openTime + DAY;
    };

    // 1. Paper trading on the venue's candles.
    const cerebro = new Cerebro();
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.001 });
    cerebro.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });
    const source = ccxtSource({
      exchange: venue(), symbol: 'BTC/USDT', frame: { timeframe: 'Days', compression: 1 }, history: warm, pollMs: 1, paced: false,
      now: () => now, endAt: klines.at(-1)!.openTime, logger: false,
    });
    const [paperRun] = await cerebro.runLive({ sources: [source], broker: paper(), logger: false, handleSignals: false });
    server.onRequest = undefined;

    // 2. The venue adapter under the journaled router.
    server.setPrice('BTCUSDT', 100);
    const adapter = ccxtBroker({ exchange: venue(), symbols: ['BTC/USDT'], pollMs: 20, logger: false });
    const routed: VenueEvent[] = [];
    adapter.events((e) => routed.push(e));
    const router = new OrderRouter(adapter, openJournal(':memory:'), { session: 'example' });
    await router.start();
    await router.submit({ clientOrderId: router.nextClientOrderId(), symbol: 'BTC/USDT', side: 'buy', size: 0.5, type: 'Limit', price: 99 });
    server.setPrice('BTCUSDT', 98.5);
    for (let i = 0; i < 200 && !routed.some((e) => e.type === 'fill'); i++) await new Promise((r) => setTimeout(r, 10));
    const position = (await adapter.positions())[0]!.size;
    await router.stop();
    await adapter.disconnect();
    return { paperRun: paperRun!, routed, position };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { paperRun, routed, position } = await runCcxtExample();
  console.log(`paper on the venue's candles: ${paperRun.bars} bars, ${paperRun.summary.orders} orders, final value ${paperRun.finalValue.toFixed(2)}`);
  for (const e of routed) if (e.type !== 'connection') console.log(e.type, JSON.stringify(e.type === 'order' ? { id: e.order.clientOrderId, status: e.order.status, filled: e.order.filled } : e.type === 'fill' ? { price: e.fill.price, size: e.fill.size } : e));
  console.log(`BTC held at the venue: ${position}`);
}
