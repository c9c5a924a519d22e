/**
 * China A-share quotes: a paper session trading on 5-level books polled from a Sina-format quote
 * service, with the A-share broker profile (lots of 100, minimum commission, stamp duty, T+1).
 * It runs offline against the local quote server of `test/venues/`, which plays a short morning
 * of snapshots; against the real service drop `baseUrl` (and poll every 3 s, as it refreshes).
 *
 * Run it with `npx tsx examples/venue-ashare-quotes.ts`.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Cerebro, paper, Strategy, type Fill, type LiveResult, type Order } from '../ts/index.js';
import { aShareQuoteSource } from '../ts/venues/index.js';
import { startAShareQuoteServer, type QuoteSnapshot } from '../test/venues/ashare-quote-server.js';

/** Buys 500 shares when the bid side outweighs the ask side two to one over 5 levels. */
export class BookImbalanceBuyer extends Strategy {
  fills: { price: number; size: number; comm: number }[] = [];
  override onQuote(): void {
    if (this.position.size > 0 || this.broker.getOrdersOpen().length > 0) return;
    if (this.book().imbalance(5) > 0.33) this.buy({ size: 500 });
  }
  override onFill(_order: Order, fill: Fill): void {
    this.fills.push({ price: fill.price, size: fill.size, comm: fill.comm });
  }
}

/** A morning of snapshots: the bid side builds up from the fourth one on. */
export function morning(): QuoteSnapshot[] {
  const out: QuoteSnapshot[] = [];
  let volume = 12_000_000;
  for (let i = 0; i < 8; i++) {
    const bidWeight = i >= 3 ? 4 : 1;
    const mid = 6.6 + i * 0.01;
    volume += 20_000 + i * 1_000;
    const t = 9 * 3600 + 31 * 60 + i * 3;
    out.push({
      name: '浦发银行', date: '2024-01-02', time: `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`,
      open: 6.6, prevClose: 6.59, last: mid, high: mid + 0.02, low: 6.58, volume, amount: volume * mid,
      bids: [0, 1, 2, 3, 4].map((k) => [Math.round((mid - 0.01 * (k + 1)) * 100) / 100, 40_000 * bidWeight] as [number, number]),
      asks: [0, 1, 2, 3, 4].map((k) => [Math.round((mid + 0.01 * k) * 100) / 100, 40_000] as [number, number]),
    });
  }
  return out;
}

/** Runs the session; returns its result. */
export async function runAShareExample(): Promise<LiveResult> {
  const server = await startAShareQuoteServer();
  try {
    server.play('sh600000', morning());
    const cerebro = new Cerebro();
    cerebro.broker.setCash(100_000);
    cerebro.broker.setChinaAShare();
    cerebro.addStrategy(BookImbalanceBuyer);
    const [result] = await cerebro.runLive({
      sources: [aShareQuoteSource({ code: 'sh600000', provider: 'sina', baseUrl: server.url, pollMs: 2, maxSnapshots: 8, logger: false })],
      broker: paper(), logger: false, handleSignals: false,
    });
    return result!;
  } finally {
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runAShareExample();
  const s = result.strategy as BookImbalanceBuyer;
  console.log(`snapshots ${result.sources[0]?.quotes ?? '-'}, fills ${JSON.stringify(s.fills)}, value ${result.finalValue.toFixed(2)}`);
}
