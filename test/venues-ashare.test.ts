/**
 * China A-share quotes: the Sina and Tencent formats parsed into 5-level books (GBK names
 * included), a local server speaking both, halted / unknown / malformed lines counted and never
 * fatal, an outage seen as a reconnect, and a paper session trading on the polled books with the
 * A-share broker profile (lots of 100, minimum commission).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cerebro, EventBus, paper, Strategy, type LiveMessage, type Order, type Fill } from '../ts/index.js';
import { aShareQuoteSource, parseSina, parseTencent } from '../ts/venues/index.js';
import { encodeGbk, sinaLine, startAShareQuoteServer, tencentLine, type AShareQuoteServer, type QuoteSnapshot } from './venues/ashare-quote-server.js';

const snap = (over: Partial<QuoteSnapshot> = {}): QuoteSnapshot => ({
  name: '浦发银行', date: '2024-01-02', time: '10:15:03', open: 6.6, prevClose: 6.59, last: 6.62, high: 6.65, low: 6.58, volume: 12_345_600, amount: 81_700_000,
  bids: [[6.62, 50_000], [6.61, 120_000], [6.6, 300_000], [6.59, 80_000], [6.58, 60_000]],
  asks: [[6.63, 40_000], [6.64, 90_000], [6.65, 200_000], [6.66, 70_000], [6.67, 50_000]],
  ...over,
});

describe('A-share quote formats', () => {
  it('Sina and Tencent lines of the same snapshot give the same quote and 5-level book (volumes in shares)', () => {
    const a = parseSina(sinaLine('sh600000', snap()));
    const b = parseTencent(tencentLine('sh600000', snap()));
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    const [qa] = a.quotes;
    const [qb] = b.quotes;
    expect(qa).toMatchObject({ code: 'sh600000', name: '浦发银行', last: 6.62, prevClose: 6.59, open: 6.6, high: 6.65, low: 6.58, volume: 12_345_600, halted: false });
    expect(qa!.time).toBe(Date.UTC(2024, 0, 2, 10, 15, 3));
    expect(qa!.bidPrice).toEqual([6.62, 6.61, 6.6, 6.59, 6.58]);
    expect(qa!.askVolume).toEqual([40_000, 90_000, 200_000, 70_000, 50_000]);
    for (const k of ['code', 'name', 'time', 'last', 'prevClose', 'open', 'high', 'low', 'volume', 'bidPrice', 'bidVolume', 'askPrice', 'askVolume', 'halted'] as const) {
      expect(qb![k], k).toEqual(qa![k]);
    }
  });

  it('a real Sina line with its trailing comma, an unknown code, a halted stock and a truncated line', () => {
    const text = [
      'var hq_str_sh510050="50ETF,3.011,3.003,3.007,3.015,2.989,3.006,3.007,394183855,1182882190.000,1745600,3.006,1043100,3.005,1310300,3.004,1141700,3.003,144400,3.002,83080,3.007,354700,3.008,1352400,3.009,2022300,3.010,419900,3.011,2019-09-19,15:00:00,00,";',
      'var hq_str_sh699999="";',
      sinaLine('sh600001', snap({ halted: true })),
      'var hq_str_sh600002="name,1.0,1.0,1.0";',
      'garbage',
    ].join('\n');
    const { quotes, problems } = parseSina(text);
    expect(quotes.map((q) => [q.code, q.halted])).toEqual([['sh510050', false], ['sh600001', true]]);
    expect(quotes[0]!.bidVolume[0]).toBe(1_745_600);
    expect(quotes[0]!.askPrice[4]).toBe(3.011);
    expect(problems.map((p) => p.reason)).toEqual(['no quote for sh699999 (unknown code)', '4 fields, expected at least 32', 'not a var hq_str_<code>="..." line']);
  });
});

describe('A-share quote source on the local server', () => {
  let server: AShareQuoteServer;
  afterEach(async () => server?.close());

  const collect = (src: ReturnType<typeof aShareQuoteSource>) => {
    const got: LiveMessage[] = [];
    const done = new Promise<void>((resolve, reject) => void src.start({ push: (m) => got.push(m), pushMany: (ms) => got.push(...ms), end: resolve, error: reject }));
    return { got, done };
  };

  it.each(['sina', 'tencent'] as const)('%s: books with the trade since the last snapshot; unchanged, halted and malformed answers skipped and counted', async (provider) => {
    server = await startAShareQuoteServer();
    server.play('sh600000', [
      snap(),
      snap(), // unchanged
      snap({ halted: true, time: '10:15:06' }),
      snap({ time: '10:15:09', last: 6.63, volume: 12_345_600 + 20_000, bids: [[6.63, 10_000], [6.62, 50_000], [6.61, 120_000], [6.6, 300_000], [6.59, 80_000]] }),
    ]);
    const src = aShareQuoteSource({ code: 'sh600000', provider, baseUrl: server.url, pollMs: 2, maxSnapshots: 2, logger: false });
    expect(src.calendar?.name).toBe('SSE');
    expect(src.tz).toBe('Asia/Shanghai');
    server.answerNextWith(provider === 'sina' ? 'var hq_str_sh600000="broken' : 'v_sh600000="1~x~600000";');
    const { got, done } = collect(src);
    await done;
    await src.stop();
    const books = got.filter((m) => m.type === 'book');
    expect(books).toHaveLength(2);
    const [first, second] = books as Extract<LiveMessage, { type: 'book' }>[];
    expect(first!.lastVolume).toBeUndefined();
    expect(Array.from(first!.askPrice)).toEqual([6.63, 6.64, 6.65, 6.66, 6.67]);
    expect(second).toMatchObject({ last: 6.63, lastVolume: 20_000, time: Date.UTC(2024, 0, 2, 10, 15, 9) });
    expect(src.stats.halted).toBeGreaterThanOrEqual(1);
    expect(src.stats.unchanged).toBeGreaterThanOrEqual(1);
    expect(src.stats.malformed).toBeGreaterThanOrEqual(1);
  });

  it('the server speaks GBK, as the real services do', async () => {
    server = await startAShareQuoteServer();
    server.setSnapshot('sh600000', snap());
    const res = await fetch(`${server.url}/list=sh600000`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(encodeGbk('浦发银行'))).toBe(true);
    expect(bytes.includes(Buffer.from('浦发银行', 'utf8'))).toBe(false);
  });

  it('an outage is a reconnect: status messages and connection events', async () => {
    server = await startAShareQuoteServer();
    server.setSnapshot('sh600000', snap());
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('connection', (e) => states.push(e.state));
    const src = aShareQuoteSource({ code: 'sh600000', provider: 'tencent', baseUrl: server.url, pollMs: 2, level2: false, bus, backoff: { baseMs: 5, maxMs: 10 }, logger: false });
    const { got } = collect(src);
    await new Promise((r) => setTimeout(r, 20));
    server.setOffline(true);
    await new Promise((r) => setTimeout(r, 40));
    server.setOffline(false);
    server.setSnapshot('sh600000', snap({ time: '10:16:00', volume: 12_345_600 + 300, last: 6.63 }));
    const end = Date.now() + 2000;
    while (!got.some((m) => m.type === 'tick') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    await src.stop();
    expect(got.filter((m) => m.type === 'status').map((m) => m.type === 'status' && m.state)).toEqual(['disconnected', 'connected']);
    expect(got.find((m) => m.type === 'tick')).toMatchObject({ price: 6.63, size: 300 });
    expect(got.find((m) => m.type === 'quote')).toMatchObject({ bid: 6.62, ask: 6.63, bidSize: 50_000, askSize: 40_000 });
    expect(states).toEqual(expect.arrayContaining(['connecting', 'connected', 'reconnecting', 'stopped']));
    expect(src.stats.reconnects).toBe(1);
  });

  it('paper trading on the polled books with the A-share profile: a market buy fills at the ask, commission at its minimum', async () => {
    server = await startAShareQuoteServer();
    server.play('sh600000', [
      snap(),
      snap({ time: '10:15:06', volume: 12_345_600 + 1000, last: 6.63 }),
      snap({ time: '10:15:09', volume: 12_345_600 + 2000, last: 6.63 }),
    ]);
    class BuyOnce extends Strategy {
      fills: [number, number, number][] = [];
      override onQuote(): void {
        if (this.position.size === 0 && this.broker.getOrdersOpen().length === 0 && this.fills.length === 0) this.buy({ size: 300 });
      }
      override onFill(_o: Order, f: Fill): void {
        this.fills.push([f.price, f.size, f.comm]);
      }
    }
    const cerebro = new Cerebro();
    cerebro.broker.setCash(100_000);
    cerebro.broker.setChinaAShare();
    cerebro.addStrategy(BuyOnce);
    const src = aShareQuoteSource({ code: 'sh600000', provider: 'sina', baseUrl: server.url, pollMs: 2, maxSnapshots: 3, logger: false });
    const [live] = await cerebro.runLive({ sources: [src], broker: paper(), logger: false, handleSignals: false });
    expect(live!.reason).toBe('ended');
    expect(live!.errors).toEqual([]);
    const s = live!.strategy as BuyOnce;
    expect(s.fills).toHaveLength(1);
    const [price, size, comm] = s.fills[0]!;
    expect(price).toBe(6.63); // the best ask of the book
    expect(size).toBe(300);
    expect(comm).toBeCloseTo(5 + 300 * 6.63 * 0.00001, 6); // minimum commission 5 plus the transfer fee
  });
});
