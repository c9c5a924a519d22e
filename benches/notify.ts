/**
 * Notifications must cost trading nothing measurable. A live-like strategy loop (an SMA 10/30
 * crossover updated bar by bar, bars arriving in batches of 1,000 with the event loop free
 * between batches, as a feed delivers them) runs for a fixed wall time:
 *   (1) alone;
 *   (2) with the strategy sending 1,000 notifications a second (each a distinct text, so none
 *       is folded) through the event bus and the notifier to a webhook that answers after 2 s.
 * Reported: the time per bar inside the loop, and bars processed per second of wall time (which
 * also pays for the notifier's work between batches), with their ratios. The "peer" is the same
 * loop without notifications.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { channels, EventBus, Notifier } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { median } from './lib/harness.js';
import { generateBars } from './lib/synthetic.js';

const RUN_MS = 3000;
const BATCH = 1000;
const RATE_PER_S = 1000;
const ANSWER_MS = 2000;

interface LoopRun {
  bars: number;
  /** Time inside the strategy loop, per bar. */
  nsPerBar: number;
  /** Bars per second of wall time. */
  barsPerSecond: number;
  notifications: number;
}

/** The strategy: SMA 10/30 crossover, incremental; `notify` is called at the given rate. */
async function strategyLoop(closes: Float64Array, notify: ((text: string) => void) | null): Promise<LoopRun> {
  const fast = 10;
  const slow = 30;
  let sumFast = 0;
  let sumSlow = 0;
  let prevDiff = 0;
  let position = 0;
  let bars = 0;
  let inLoopMs = 0;
  let sent = 0;
  const start = performance.now();
  let i = 0;
  for (;;) {
    const t0 = performance.now();
    if (t0 - start >= RUN_MS) break;
    const due = notify ? Math.floor(((t0 - start) / 1000) * RATE_PER_S) : 0;
    for (let k = 0; k < BATCH; k++, i++) {
      if (i === closes.length) {
        i = 0;
        sumFast = sumSlow = 0;
      }
      const c = closes[i]!;
      sumFast += c - (i >= fast ? closes[i - fast]! : 0);
      sumSlow += c - (i >= slow ? closes[i - slow]! : 0);
      if (i >= slow) {
        const diff = sumFast / fast - sumSlow / slow;
        if (prevDiff <= 0 && diff > 0 && position === 0) position = 1;
        else if (prevDiff >= 0 && diff < 0 && position === 1) position = 0;
        prevDiff = diff;
      }
      // The strategy tells the desk what it sees, 1,000 times a second of wall time.
      if (notify && sent < due) {
        notify(`bar ${bars + k}: close ${c.toFixed(2)}, position ${position}`);
        sent++;
      }
    }
    bars += BATCH;
    inLoopMs += performance.now() - t0;
    await yieldToLoop(); // the feed's next batch: the event loop runs I/O in between
  }
  const wallMs = performance.now() - start;
  return { bars, nsPerBar: (inLoopMs * 1e6) / bars, barsPerSecond: bars / (wallMs / 1000), notifications: sent };
}

/** A webhook endpoint that answers every request after 2 s. */
async function slowWebhook(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      setTimeout(() => res.end('ok'), ANSWER_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: () => received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function withNotifications(closes: Float64Array): Promise<LoopRun & { sentToServer: number; dropped: number }> {
  const server = await slowWebhook();
  const bus = new EventBus();
  const notifier = new Notifier({
    channels: [channels.webhook({ url: server.url })],
    retry: { timeoutMs: 10_000 },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  notifier.attach(bus);
  let time = 0;
  const run = await strategyLoop(closes, (text) => bus.emit({ type: 'message', time: time++, level: 'INFO', text, source: 'bench' }));
  const stats = notifier.stats().webhook!;
  await notifier.close({ discard: true });
  const sentToServer = server.received();
  await server.close();
  return { ...run, sentToServer, dropped: stats.dropped };
}

export async function notifyBench(options: BenchOptions): Promise<object> {
  const bars = generateBars({ n: Math.min(options.bars, 100_000), seed: options.seed });
  const runs = Math.min(options.runs, 3);
  const alone: LoopRun[] = [];
  const loaded: Array<LoopRun & { sentToServer: number; dropped: number }> = [];
  await strategyLoop(bars.close, null); // warm-up
  for (let r = 0; r < runs; r++) {
    progress(`notify: run ${r + 1}/${runs} without notifications`);
    alone.push(await strategyLoop(bars.close, null));
    progress(`notify: run ${r + 1}/${runs} with ${RATE_PER_S} notifications/s to a ${ANSWER_MS / 1000} s webhook`);
    loaded.push(await withNotifications(bars.close));
  }
  const nsAlone = median(alone.map((r) => r.nsPerBar));
  const nsLoaded = median(loaded.map((r) => r.nsPerBar));
  const bpsAlone = median(alone.map((r) => r.barsPerSecond));
  const bpsLoaded = median(loaded.map((r) => r.barsPerSecond));
  return {
    bench: 'notify',
    machine: machineInfo(),
    setup: { run_ms: RUN_MS, batch_bars: BATCH, notifications_per_s: RATE_PER_S, webhook_answer_ms: ANSWER_MS, runs },
    ferrotrade: {
      ns_per_bar: nsLoaded,
      bars_per_s: bpsLoaded,
      notifications: median(loaded.map((r) => r.notifications)),
      reached_server: median(loaded.map((r) => r.sentToServer)),
      dropped_queue_full: median(loaded.map((r) => r.dropped)),
    },
    peer: { name: 'same loop without notifications', ns_per_bar: nsAlone, bars_per_s: bpsAlone },
    ratio_ns_per_bar: nsLoaded / nsAlone,
    ratio_bars_per_s: bpsLoaded / bpsAlone,
  };
}
