/**
 * A perpetual on a futures venue through ccxt's websockets, against the local Binance USDⓈ-M
 * server (`test/venues/`), so it runs offline: the adapter connects (leverage set, the user data
 * stream subscribed through a listen key), opens a short, the market moves, the position and the
 * margin account show the short's profit, and a buy covers it. Every order event and fill arrives
 * on the websocket user stream, none by polling.
 *
 * Against the real venue: drop the server, pass `exchange: 'binanceusdm'` and put the keys in
 * FERROTRADE_BINANCEUSDM_API_KEY / FERROTRADE_BINANCEUSDM_SECRET.
 *
 * Run it with `npx tsx examples/venue-ccxt-futures.ts`.
 */
import ccxt from 'ccxt';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VenueAccount, VenueEvent, VenuePosition } from '../ts/index.js';
import { ccxtBroker, type CcxtExchange } from '../ts/venues/index.js';
import { startBinanceFuturesServer } from '../test/venues/binance-futures-server.js';

const PERP = 'BTC/USDT:USDT';

/** What the example saw: the events, the short's position and account, and the account after the cover. */
export interface FuturesExampleResult {
  events: VenueEvent[];
  whileShort: { position: VenuePosition[]; account: VenueAccount };
  afterCover: { position: VenuePosition[]; account: VenueAccount };
  streamed: number;
}

export async function runFuturesVenueExample(): Promise<FuturesExampleResult> {
  const server = await startBinanceFuturesServer({ apiKey: 'example-key', secret: 'example-secret', wallet: 10_000 });
  const Pro = (ccxt as unknown as { pro: Record<string, new (o: Record<string, unknown>) => { urls: { api: Record<string, unknown> } }> }).pro.binanceusdm!;
  const ex = new Pro({ apiKey: 'example-key', secret: 'example-secret', enableRateLimit: true, options: { fetchMarkets: { types: ['linear'] }, fetchCurrencies: false } });
  server.pointCcxt(ex);
  const adapter = ccxtBroker({ exchange: ex as unknown as CcxtExchange, symbols: [PERP], leverage: 5, logger: false });
  const events: VenueEvent[] = [];
  adapter.events((e) => events.push(e));
  const filled = (id: string) => new Promise<void>((done) => {
    const off = adapter.events((e) => {
      if (e.type === 'fill' && e.fill.clientOrderId === id) {
        off();
        done();
      }
    });
  });
  try {
    server.setPrice('BTCUSDT', 100);
    await adapter.connect();
    const shortFilled = filled('short-1');
    await adapter.submit({ clientOrderId: 'short-1', symbol: PERP, side: 'sell', size: 3, type: 'Market' });
    await shortFilled;
    server.setPrice('BTCUSDT', 95); // the market falls: the short gains 15
    const whileShort = { position: await adapter.positions(), account: await adapter.account() };
    const coverFilled = filled('cover-1');
    await adapter.submit({ clientOrderId: 'cover-1', symbol: PERP, side: 'buy', size: 3, type: 'Market' });
    await coverFilled;
    const afterCover = { position: await adapter.positions(), account: await adapter.account() };
    return { events, whileShort, afterCover, streamed: adapter.stats.streamed };
  } finally {
    await adapter.disconnect();
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runFuturesVenueExample();
  console.log('while short:', r.whileShort.position, r.whileShort.account);
  console.log('after the cover:', r.afterCover.position, r.afterCover.account);
  console.log(`${r.streamed} order changes and fills arrived on the user stream`);
}
