/**
 * Live paper mode, in process: a stream of quotes through `cerebro.runLive` replayed as fast as
 * possible, with a trivial strategy (count the quotes in `onQuote`; a market buy every 1,000th).
 * Reports quotes per second, and the tick-to-order latency (a quote pushed into the session →
 * `onQuote` → `buy()` → the broker's submit returned) at p50 and p99, measured on every quote
 * that places an order in a second run that pushes quotes one at a time.
 * Peer: nautilus_trader's BacktestEngine (its fastest path) on the same quotes with the same
 * strategy (`peers/nautilus_quotes.py`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Cerebro, replaySource, Strategy, type LiveMessage, type LiveSource } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, CACHE_DIR, ensureBacktrader, measure, runPython } from './lib/harness.js';
import { mulberry32 } from '../ts/util/prng.js';

const EVERY = 1000;
/** Exact nautilus_trader release the comparison is pinned to. */
export const NAUTILUS_VERSION = '1.221.0';

/** The latency run's probe: when the current quote was pushed, and the latencies (ns). */
const probe = { pushedAt: 0n, latencies: null as number[] | null };

class QuoteCounter extends Strategy {
  quotes = 0;
  orders = 0;
  override onQuote(): void {
    if (++this.quotes % EVERY !== 0) return;
    this.buy({ size: 1 });
    this.orders++;
    if (probe.latencies) probe.latencies.push(Number(process.hrtime.bigint() - probe.pushedAt));
  }
}

function quotes(n: number, seed: number): LiveMessage[] {
  const rnd = mulberry32(seed);
  const out: LiveMessage[] = new Array(n);
  let p = 1.1;
  const t0 = Date.UTC(2024, 0, 2, 9, 30);
  for (let i = 0; i < n; i++) {
    p = Math.round((p + (rnd() < 0.5 ? -1 : 1) * 0.00001) * 1e5) / 1e5;
    out[i] = { type: 'quote', time: t0 + i * 10, bid: p, ask: Math.round((p + 0.00002) * 1e5) / 1e5, bidSize: (1 + Math.floor(rnd() * 9)) * 100_000, askSize: (1 + Math.floor(rnd() * 9)) * 100_000 };
  }
  return out;
}

async function throughput(messages: LiveMessage[]): Promise<QuoteCounter> {
  const cerebro = new Cerebro();
  cerebro.broker.setCash(1e9);
  cerebro.addStrategy(QuoteCounter);
  const source = { ...replaySource(messages, { frame: { timeframe: 'Minutes', compression: 1 }, chunk: 65_536 }), history: warmup };
  const [r] = await cerebro.runLive({ sources: [source], logger: false, handleSignals: false });
  if (r!.reason !== 'ended' || r!.errors.length > 0) throw new Error(`live_paper: the session ended with ${r!.reason}: ${JSON.stringify(r!.errors)}`);
  return r!.strategy as QuoteCounter;
}

/** Pushes quotes one at a time, noting the time of each push for the strategy. */
async function latency(messages: LiveMessage[]): Promise<number[]> {
  const cerebro = new Cerebro();
  cerebro.broker.setCash(1e9);
  cerebro.addStrategy(QuoteCounter);
  const source: LiveSource = {
    name: 'quotes', frame: { timeframe: 'Minutes', compression: 1 }, paced: false, history: warmup,
    start(sink) {
      setImmediate(() => {
        for (const m of messages) {
          probe.pushedAt = process.hrtime.bigint();
          sink.push(m);
        }
        sink.end();
      });
    },
    stop() {},
  };
  probe.latencies = [];
  try {
    const [r] = await cerebro.runLive({ sources: [source], logger: false, handleSignals: false });
    if (r!.reason !== 'ended' || r!.errors.length > 0) throw new Error(`live_paper: the latency session ended with ${r!.reason}: ${JSON.stringify(r!.errors)}`);
    return probe.latencies;
  } finally {
    probe.latencies = null;
  }
}

/** One bar of history: orders need a bar to be placed at, and a quote stream builds none. */
const warmup = () => {
  const t = Date.UTC(2024, 0, 2, 9, 29);
  const one = (v: number) => Float64Array.of(v);
  return { datetime: one(t), open: one(1.1), high: one(1.1), low: one(1.1), close: one(1.1), volume: one(0), openinterest: one(0) };
};

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function ensureNautilus(): string {
  const python = ensureBacktrader();
  const has = () => spawnSync(python, ['-c', 'import nautilus_trader; print(nautilus_trader.__version__)'], { encoding: 'utf8' }).stdout?.trim() === NAUTILUS_VERSION;
  if (!has()) {
    progress(`installing nautilus-trader==${NAUTILUS_VERSION} into the bench venv`);
    const r = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `nautilus-trader==${NAUTILUS_VERSION}`], { stdio: ['ignore', 2, 'inherit'] });
    if (r.status !== 0 || !has()) throw new Error(`nautilus-trader ${NAUTILUS_VERSION} could not be installed into the bench venv`);
  }
  return python;
}

/** Runs the bench; see the module comment. */
export async function livePaper(options: BenchOptions): Promise<object> {
  const n = options.bars;
  progress(`live_paper: ${n} quotes`);
  const messages = quotes(n, options.seed);
  let last: QuoteCounter | undefined;
  const run = await measure(async () => {
    last = await throughput(messages);
  }, { runs: options.runs, warmup: 1 });
  const qps = n / (run.medianMs / 1000);
  progress('live_paper: latency run');
  const lat = await latency(messages);
  const ours = {
    median_ms: run.medianMs, runs_ms: run.runsMs, quotes_per_s: Math.round(qps), quotes: last?.quotes, orders: last?.orders,
    tick_to_order_ns: { p50: pct(lat, 0.5), p99: pct(lat, 0.99), samples: lat.length },
  };
  let nautilus: object;
  let ratio: number | null = null;
  try {
    const python = ensureNautilus();
    const dir = CACHE_DIR;
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    const file = join(dir, `quotes-${n}-${options.seed}.csv`);
    if (!existsSync(file)) {
      writeFileSync(file, messages.map((m) => (m.type === 'quote' ? `${m.time},${m.bid},${m.ask},${m.bidSize},${m.askSize}` : '')).join('\n') + '\n');
    }
    progress(`live_paper: nautilus_trader x${options.peerRuns}`);
    const peer = await runPython<{ quotes: number; runs_s: number[]; seconds: number; quotes_per_s: number; orders: number; version: string }>(
      join(BENCHES_DIR, 'peers', 'nautilus_quotes.py'), [file, String(options.peerRuns), String(EVERY)], { python },
    );
    nautilus = { median_ms: peer.seconds * 1000, runs_ms: peer.runs_s.map((s) => s * 1000), quotes_per_s: Math.round(peer.quotes_per_s), quotes: peer.quotes, orders: peer.orders, version: peer.version };
    ratio = qps / peer.quotes_per_s;
  } catch (err) {
    nautilus = { error: (err as Error).message };
  }
  return {
    bench: 'live_paper',
    ferrotrade: ours,
    nautilus_trader: nautilus,
    // ferrotrade's quotes per second over nautilus_trader's (above 1: ferrotrade is faster).
    ratio_quotes_per_s: ratio,
    note:
      'Same quotes, same strategy (count quotes; a market buy of 1 every 1000th). ferrotrade: runLive in paper mode with a ' +
      'replay as fast as possible (messages pushed in chunks), the strategy called per quote, orders into the Rust broker; ' +
      'latency: quote pushed -> onQuote -> buy() returned, per order. nautilus_trader: BacktestEngine.run() on QuoteTick ' +
      'objects built beforehand (not timed), logging bypassed, a fresh engine per run.',
    machine: machineInfo(),
  };
}
