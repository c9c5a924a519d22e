/**
 * Tick bars bench: `--bars` synthetic trades (default 1,000,000) into 1-minute bars, in trades
 * per second, through the Rust streaming resampler live sessions use (`TickBars`): its batch
 * entry point (`addMany`, chunks of 4096 trades, one crossing per chunk: a replay as fast as
 * possible) and its per-trade entry point (`add`: live; trades that cannot complete a bar are
 * held and cross with the one that can). Side by side in
 * the same run: the TypeScript builder it replaced (the baseline), `feeds.resample` over the
 * whole column, and backtrader's `resampledata` (a streaming resampler too) on a tenth of the
 * trades. Every ferrotrade path must give the same bars.
 */
import { join } from 'node:path';

import { feeds, TickBars } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, ensureBacktrader, measure, runPython } from './lib/harness.js';
import { ensureTicksCsv, generateTicks } from './lib/ticks.js';
import { BarBuilder } from './lib/ts-bar-builder.js';

const FRAME = { timeframe: 'Minutes', compression: 1 } as const;
const CHUNK = 4096;

/** What the per-trade paths have in common: a trade in, the bar it completed (or null) out. */
interface TradeBuilder {
  add(time: number, price: number, size: number): { close: number } | null;
  flush(): { close: number } | null;
}

interface PeerResult {
  ticks: number;
  median_s: number;
  ticks_per_s: number;
}

/** Runs the bench; see the module comment. */
export async function tickBarsBench(options: BenchOptions): Promise<object> {
  const n = options.bars;
  const { datetime, price, volume } = generateTicks(n, options.seed);
  const sums: Record<string, [number, number]> = {};
  const note = (name: string, bars: number, closeSum: number) => (sums[name] = [bars, closeSum]);

  progress(`tick_bars: TickBars.addMany x${options.runs} on ${n} trades`);
  const chunked = await measure(() => {
    const b = new TickBars(FRAME);
    let bars = 0;
    let s = 0;
    for (let at = 0; at < n; at += CHUNK) {
      const to = Math.min(n, at + CHUNK);
      const out = b.addMany(datetime.subarray(at, to), price.subarray(at, to), volume.subarray(at, to));
      bars += out.close.length;
      for (let k = 0; k < out.close.length; k++) s += out.close[k]!;
    }
    const last = b.flush();
    note('rust_chunked', bars + (last ? 1 : 0), s + (last?.close ?? 0));
  }, { runs: options.runs, warmup: 1 });

  /** Every trade through `add` of a fresh builder, then `flush`; notes the bars as `name`. */
  const tradeByTrade = (name: string, make: () => TradeBuilder) => measure(() => {
    const b = make();
    let bars = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const bar = b.add(datetime[i]!, price[i]!, volume[i]!);
      if (bar) {
        bars++;
        s += bar.close;
      }
    }
    const last = b.flush();
    note(name, bars + (last ? 1 : 0), s + (last?.close ?? 0));
  }, { runs: options.runs, warmup: 1 });

  progress(`tick_bars: TickBars.add x${options.runs} on ${n} trades`);
  const perTick = await tradeByTrade('rust_per_trade', () => new TickBars(FRAME));
  progress(`tick_bars: TypeScript builder x${options.runs} on ${n} trades`);
  const baseline = await tradeByTrade('ts_builder', () => new BarBuilder(FRAME));

  const ticks = feeds.fromColumns({ datetime, open: price, high: price, low: price, close: price, volume }, { timeframe: 'Ticks' });
  progress(`tick_bars: feeds.resample x${options.runs} on ${n} trades`);
  const batch = await measure(() => {
    const c = feeds.resample(ticks, FRAME).columns;
    note('resample_batch', c.close.length, c.close.reduce((a, x) => a + x, 0));
  }, { runs: options.runs, warmup: 1 });

  const peerTicks = Math.max(1000, Math.floor(n / 10));
  progress(`tick_bars: backtrader x${options.peerRuns} on ${peerTicks} trades`);
  const peer = await runPython<PeerResult>(join(BENCHES_DIR, 'peers', 'backtrader_resample.py'), [
    '--csv', ensureTicksCsv(peerTicks, options.seed), '--runs', String(options.peerRuns),
  ], { python: ensureBacktrader() });

  const rate = (ms: number) => Math.round(n / (ms / 1000));
  const row = (m: { medianMs: number; runsMs: number[] }) => ({ median_ms: m.medianMs, ticks_per_s: rate(m.medianMs), runs_ms: m.runsMs });
  const ref = sums.resample_batch!;
  return {
    bench: 'tick_bars',
    ticks: n,
    frame: '1 minute',
    ferrotrade_rust_chunked: row(chunked),
    ferrotrade_rust_per_trade: row(perTick),
    baseline_ts_builder: row(baseline),
    ferrotrade_resample_batch: row(batch),
    backtrader: { ticks: peer.ticks, median_s: peer.median_s, ticks_per_s: Math.round(peer.ticks_per_s) },
    ratios: {
      rust_chunked_vs_ts_builder: Number((baseline.medianMs / chunked.medianMs).toFixed(2)),
      rust_per_trade_vs_ts_builder: Number((baseline.medianMs / perTick.medianMs).toFixed(2)),
      rust_chunked_vs_resample_batch: Number((batch.medianMs / chunked.medianMs).toFixed(2)),
      rust_chunked_vs_backtrader: Number((rate(chunked.medianMs) / peer.ticks_per_s).toFixed(1)),
    },
    // [bars, sum of closes] of each path: the Rust paths and the batch agree exactly.
    same_bars: { ...sums, match: ['rust_chunked', 'rust_per_trade'].every((k) => sums[k]![0] === ref[0] && sums[k]![1] === ref[1]) },
    machine: machineInfo(),
  };
}
