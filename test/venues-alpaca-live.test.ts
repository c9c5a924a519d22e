/**
 * End to end: the SMA-cross example strategy runs live with `cerebro.runLive({ sources:
 * [alpacaSource(...)], broker: alpaca({...}) })` against the local Alpaca server's market, and
 * its orders and fills match a backtest on the same prices. The market is replayed bar by bar as
 * a market runs: each bar opens with a trade at its open (the orders sent after the previous bar
 * fill there at Alpaca, and their fills come back over the trade_updates stream), then the bar is
 * printed on the market-data stream, the strategy sees it, and its orders reach Alpaca before the
 * next bar opens.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, feeds, type Order, type Trade } from '../ts/index.js';
import { alpaca, alpacaSource } from '../ts/venues/alpaca/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { startAlpacaServer, type AlpacaBar, type AlpacaServer } from './venues/alpaca-server.js';

const KEY = 'PKLIVE0123456789';
const SECRET = 'live-secret-abcdefghij';
const MIN = 60_000;
const root = join(import.meta.dirname, '..');
const fast = { logger: false as const, backoff: { baseMs: 10, maxMs: 50 } };

/** How far the strategy got: bars it saw and orders it placed (read by the market's driver). */
const tally = { bars: 0, placed: 0 };
class TalliedSmaCross extends SmaCross {
  override prenext(): void {
    tally.bars++;
  }
  override next(): void {
    const before = this.pending;
    super.next();
    if (this.pending && this.pending !== before) tally.placed++;
    tally.bars++;
  }
}

const until = async (p: () => boolean, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
};

function sampleBars(n: number): AlpacaBar[] {
  const c = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
  const first = Math.floor(Date.now() / MIN) * MIN - (n + 1) * MIN;
  return Array.from({ length: n }, (_, i) => ({ t: first + i * MIN, o: c.open[i]!, h: c.high[i]!, l: c.low[i]!, c: c.close[i]!, v: c.volume[i]! }));
}

describe('live at Alpaca (local server) = backtest', () => {
  let server: AlpacaServer;
  afterEach(async () => server?.close());

  it('the SMA cross routed to Alpaca places the same orders, gets the same fills and ends with the backtest value', async () => {
    const N = 160;
    const H = 15;
    const bars = sampleBars(N);
    tally.bars = 0;
    tally.placed = 0;
    // Alpaca charges no commission: the backtest has none either
    server = await startAlpacaServer({ keyId: KEY, secretKey: SECRET, cash: 100_000, fillOnSubmit: false });
    server.setBars('AAPL', bars.slice(0, H));
    const keys = { keyId: KEY, secretKey: SECRET, baseUrl: server.url, dataUrl: server.url };
    const broker = alpaca({ ...keys, ...fast });
    let venueFills = 0;
    broker.events((e) => void (e.type === 'fill' && venueFills++));

    const market = (async () => {
      await until(() => server.subscribers('bars', 'AAPL') === 1 && server.listening === 1, 'the session subscribed');
      for (let i = H; i < N; i++) {
        server.trade('AAPL', bars[i]!.o); // the bar opens: orders sent after the previous bar fill here
        await until(() => venueFills === server.market.fills.length, `fills of bar ${i} back over the stream`);
        const seen = tally.bars;
        server.bar('AAPL', bars[i]!);
        await until(() => tally.bars > seen, `the strategy saw bar ${i}`);
        await until(() => server.market.orders.size >= tally.placed, `the orders of bar ${i} at Alpaca`);
      }
    })();
    const live = new Cerebro();
    live.addStrategy(TalliedSmaCross, { fast: 10, slow: 30, stake: 10 });
    const source = alpacaSource({ ...keys, ...fast, symbol: 'AAPL', history: H, paced: false, endAt: bars.at(-1)!.t + MIN });
    const [lv] = await live.runLive({ sources: [source], broker, journal: ':memory:', clock: 'data', logger: false, handleSignals: false });
    await market;

    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-alpaca-live-'));
    const csv = join(dir, 'bars.csv');
    const iso = (t: number) => new Date(t).toISOString();
    writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...bars.map((b) => `${iso(b.t + MIN).slice(0, 10)},${iso(b.t + MIN).slice(11, 19)},${b.o},${b.h},${b.l},${b.c},${b.v},0`)].join('\n'));
    const backtest = new Cerebro();
    backtest.addData(feeds.backtraderCsv(csv, { timeframe: 'Minutes' }));
    backtest.broker.setCash(100_000);
    backtest.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 10 });
    const [bt] = backtest.run();

    const orderRow = (o: Order) => [o.size, o.getOrdertypeName(), o.getStatusName(), o.executed.price, o.executed.size, o.executed.comm];
    const tradeRow = (t: Trade) => [t.size, t.price, t.pnl, t.pnlcomm, t.dtopen, t.dtclose];
    expect(lv!.errors).toEqual([]);
    expect(lv!.reason).toBe('ended');
    expect(lv!.summary.mode).toBe('live');
    expect(bt!.orders.length).toBeGreaterThan(2);
    expect(lv!.orders.map(orderRow)).toEqual(bt!.orders.map(orderRow));
    expect(lv!.trades.map(tradeRow)).toEqual(bt!.trades.map(tradeRow));
    expect(lv!.finalCash).toBeCloseTo(bt!.finalCash, 6);
    expect(lv!.finalValue).toBeCloseTo(bt!.finalValue, 6);
    // the fills are Alpaca's: one execution per engine fill, and Alpaca's position is the engine's
    const engineFills = lv!.orders.flatMap((o) => o.history.filter((h) => h.fill));
    expect(server.market.fills.length).toBe(engineFills.length);
    expect(server.market.positions.get('AAPL')?.qty ?? 0).toBe(lv!.openTrades.reduce((a, t) => a + t.size, 0));
    expect(server.market.cash).toBeCloseTo(lv!.finalCash, 6);
  }, 120_000);
});
