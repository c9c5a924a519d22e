/**
 * Live trading a perpetual: `runLive` with the ccxt adapter on a real ccxt.pro.binanceusdm (the
 * local USDⓈ-M server) as its broker. A strategy that sells short and later buys to cover: its
 * orders reach the venue through the journaled router, the venue's fills (pushed on the futures
 * user stream) are booked by the engine, and the engine ends where the venue ends: flat, with
 * the wallet's cash, the short's profit in its closed trade.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, Strategy, type LiveSource } from '../ts/index.js';
import type { LiveSink } from '../ts/live/source.js';
import { ccxtBroker, type CcxtExchange } from '../ts/venues/ccxt/index.js';
import { startBinanceFuturesServer, type BinanceFuturesServer } from './venues/binance-futures-server.js';

const PERP = 'BTC/USDT:USDT';
const MIN = 60_000;
const OPENS = [100, 101, 102, 103, 101, 99, 97, 96, 98, 99];

class ShortThenCover extends Strategy {
  bars = 0;
  override next(): void {
    this.bars++;
    if (this.bars === 3) this.sell({ size: 2 });
    if (this.bars === 7) this.close();
  }
}

/** Bars of the local market, one price each: the venue trades there while the bar is the last one. */
function marketBars(server: BinanceFuturesServer): LiveSource {
  let stopped = false;
  const t0 = 1_700_000_000_000 - (1_700_000_000_000 % MIN);
  return {
    name: PERP, frame: { timeframe: 'Minutes', compression: 1 }, paced: false, startTime: t0 + MIN,
    async start(sink: LiveSink) {
      for (let i = 0; i < OPENS.length && !stopped; i++) {
        server.setPrice('BTCUSDT', OPENS[i]!); // the venue trades at this bar's price: market orders sent on it fill there
        await new Promise((r) => setTimeout(r, 250)); // the fills of orders sent on the previous bar reach the engine
        const o = OPENS[i]!;
        sink.push({ type: 'bar', time: t0 + (i + 1) * MIN, open: o, high: o + 1, low: o - 1, close: o, volume: 1 });
        await new Promise((r) => setTimeout(r, 250)); // the strategy's orders reach the venue
      }
      if (!stopped) sink.end();
    },
    stop() {
      stopped = true;
    },
  };
}

describe('live trading a perpetual through the ccxt adapter', () => {
  let server: BinanceFuturesServer;
  afterEach(async () => server?.close());

  it('a short opened and covered at the venue; the engine books its fills and ends with its cash', async () => {
    server = await startBinanceFuturesServer({ apiKey: 'perp-key', secret: 'perp-secret', wallet: 10_000 });
    server.setPrice('BTCUSDT', OPENS[0]!);
    const Pro = (ccxt as unknown as { pro: Record<string, new (o: Record<string, unknown>) => { urls: { api: Record<string, unknown> } }> }).pro.binanceusdm!;
    const ex = new Pro({ apiKey: 'perp-key', secret: 'perp-secret', enableRateLimit: true, rateLimit: 5, options: { fetchMarkets: { types: ['linear'] }, fetchCurrencies: false } });
    server.pointCcxt(ex);
    const adapter = ccxtBroker({ exchange: ex as unknown as CcxtExchange, symbols: [PERP], leverage: 3, logger: false });
    const cerebro = new Cerebro();
    cerebro.addStrategy(ShortThenCover);
    const [r] = await cerebro.runLive({ sources: [marketBars(server)], broker: adapter, journal: ':memory:', logger: false, handleSignals: false, clock: 'data' });
    expect(r!.errors).toEqual([]);
    expect(adapter.stats.streamed).toBeGreaterThan(0); // the fills came on the user stream
    expect(server.leverageOf('BTCUSDT')).toBe(3);
    // the venue: a sell of 2 then a buy of 2, filled at its price when they arrive (the signal bar's)
    const sent = server.listOrders().map((o) => [o.side, o.origQty, o.status, o.quote / o.executedQty]);
    expect(sent).toEqual([['SELL', 2, 'FILLED', OPENS[2]], ['BUY', 2, 'FILLED', OPENS[6]]]);
    expect(server.position('BTCUSDT').amt).toBe(0);
    // the engine: the same fills, one closed short trade with the venue's profit, its cash
    const fills = r!.orders.flatMap((o) => o.history.filter((h) => h.fill).map((h) => [o.isBuy() ? 'buy' : 'sell', h.fill!.size, h.fill!.price]));
    expect(fills).toEqual([['sell', -2, OPENS[2]], ['buy', 2, OPENS[6]]]);
    expect(r!.trades).toHaveLength(1);
    expect(r!.trades[0]!.pnl).toBeCloseTo((OPENS[2]! - OPENS[6]!) * 2, 9);
    expect(server.walletBalance()).toBeCloseTo(10_000 + (OPENS[2]! - OPENS[6]!) * 2, 9);
    expect(r!.finalCash).toBeCloseTo(server.walletBalance(), 9);
    expect(r!.openTrades).toHaveLength(0);
  }, 60_000);
});
