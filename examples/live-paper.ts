/**
 * From backtest to paper trading with the same strategy class: a backtest of the sample data,
 * then a paper session replaying the same file as fast as possible (the same orders and final
 * value), then a paper session on the synthetic market with the order journal, warm-up history
 * and a graceful stop after a few hundred bars.
 *
 * Run it with `npx tsx examples/live-paper.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Cerebro, EventBus, feeds, ind, paper, replaySource, Strategy, syntheticSource, type Indicator, type LiveResult, type RunResult } from '../ts/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** SMA cross, market orders; counts its sessions in `this.state` (kept in the journal). */
export class PaperSmaCross extends Strategy<{ fast: number; slow: number }> {
  static override params = { fast: 10, slow: 30 };
  cross!: Indicator;
  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  override start(): void {
    this.state.sessions = ((this.state.sessions as number | undefined) ?? 0) + 1;
  }
  override next(): void {
    if (!this.position.size && this.cross.get() > 0) this.buy({ size: 10 });
    else if (this.position.size && this.cross.get() < 0) this.close();
  }
}

function setup(): Cerebro {
  const cerebro = new Cerebro();
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(PaperSmaCross);
  return cerebro;
}

/** Runs the three steps; returns their results. */
export async function runLivePaperExample(file = join(here, 'data', 'sample-daily.csv')): Promise<{ backtest: RunResult; replay: LiveResult; synthetic: LiveResult; fills: number }> {
  // 1. Backtest.
  const bt = setup();
  bt.addData(feeds.backtraderCsv(file));
  const [backtest] = bt.run();

  // 2. Paper trading on a replay of the same file, as fast as possible: the same orders.
  const [replay] = await setup().runLive({ sources: [replaySource(file, { speed: 'max' })], broker: paper(), logger: false, handleSignals: false });

  // 3. Paper trading on a synthetic market (one-minute bars from its trades, 300 of them),
  //    journaled, with fills on the event bus. A live source has no end: cerebro.stop(), Ctrl-C
  //    or an AbortSignal ends the session gracefully.
  const journal = join(mkdtempSync(join(tmpdir(), 'ferrotrade-example-')), 'journal.db');
  const cerebro = setup();
  cerebro.events = new EventBus();
  let fills = 0;
  cerebro.events.on('fill', () => fills++);
  const [synthetic] = await cerebro.runLive({
    sources: [syntheticSource({ seed: 7, speed: 'max', intervalMs: 5_000, count: 300 * 12, volatility: 0.002, start: Date.UTC(2024, 0, 2, 9, 30, 5) })],
    broker: paper(), journal, session: 'example', logger: false, handleSignals: false,
  });
  return { backtest: backtest!, replay: replay!, synthetic: synthetic!, fills };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { backtest, replay, synthetic, fills } = await runLivePaperExample();
  console.log('backtest      ', { orders: backtest.orders.length, finalValue: backtest.finalValue.toFixed(2) });
  console.log('paper (replay)', replay.summary);
  console.log('paper (synth) ', { ...synthetic.summary, reason: synthetic.reason, fills, sources: synthetic.sources });
}
