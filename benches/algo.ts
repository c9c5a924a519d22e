/**
 * Simple-API benchmark: the same long-only 15/30 SMA crossover as an `Algo` (indicators streamed
 * bar by bar through `instrument.bars.sma`), as a `Strategy` (indicators computed once over the
 * column) and as backtrader's strategy (`peers/backtrader_sma_cross.py`), on the same bars. All
 * three must close the same trades; the bench reports each one's bars/s and the ratios, i.e.
 * what the simple API's convenience costs against the backtrader-style API and what it still
 * gains over backtrader.
 */
import { join } from 'node:path';

import { Algo, Cerebro, feeds, ind, Strategy, type AlgoInstrument, type DataFeed, type Indicator, type Order, type Trade } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions, type MachineInfo } from './lib/bench.js';
import { BENCHES_DIR, ensureBacktrader, ensureCsv, measure, runPython } from './lib/harness.js';
import { generateBars } from './lib/synthetic.js';

const PARAMS = { fast: 15, slow: 30, stake: 10 } as const;
const CASH = 100_000;
const COMMISSION = 0.001;

/** backtrader's CrossOver over two streamed values: +1 / -1 when the difference changes sign. */
class Cross {
  private nzd = NaN;
  update(a: number, b: number): number {
    const d = a - b;
    if (Number.isNaN(d)) return 0;
    const prev = this.nzd;
    if (d !== 0) this.nzd = d;
    if (Number.isNaN(prev)) return 0;
    return prev < 0 && d > 0 ? 1 : prev > 0 && d < 0 ? -1 : 0;
  }
}

class SmaCrossAlgo extends Algo<typeof PARAMS> {
  static override params = { ...PARAMS };
  private cross = new Cross();
  override onBar(instrument: AlgoInstrument): void {
    const c = this.cross.update(instrument.bars.sma(this.p.fast), instrument.bars.sma(this.p.slow));
    if (instrument.orders.length > 0) return; // the peer's pending order
    const held = instrument.position.size;
    if (held === 0 && c > 0) instrument.buy(this.p.stake);
    else if (held > 0 && c < 0) instrument.exit();
  }
}

class SmaCrossStrategy extends Strategy<typeof PARAMS> {
  static override params = { ...PARAMS };
  cross!: Indicator;
  pending: Order | null = null;
  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  override notifyOrder(order: Order): void {
    if (!order.alive()) this.pending = null;
  }
  override next(): void {
    if (this.pending) return;
    const c = this.cross.get(0);
    if (this.position.size === 0 && c > 0) this.pending = this.buy({ size: this.p.stake });
    else if (this.position.size > 0 && c < 0) this.pending = this.close();
  }
}

interface PeerOutput {
  median_s: number;
  bars_per_s: number;
  runs_s: number[];
  final_value: number;
  trades: { open_bar: number; close_bar: number; pnlcomm: number }[];
  backtrader_version: string;
}

function run(data: DataFeed, kind: 'algo' | 'strategy') {
  const cerebro = new Cerebro();
  cerebro.addData(data);
  cerebro.broker.setCash(CASH);
  cerebro.broker.setCommission({ commission: COMMISSION });
  if (kind === 'algo') cerebro.addAlgo(SmaCrossAlgo);
  else cerebro.addStrategy(SmaCrossStrategy);
  return cerebro.run()[0]!;
}

const key = (t: Trade | PeerOutput['trades'][number]) =>
  'openBar' in t ? `${t.openBar}-${t.closeBar}-${t.pnlcomm.toPrecision(10)}` : `${t.open_bar}-${t.close_bar}-${t.pnlcomm.toPrecision(10)}`;

/** Result of {@link algoBench}; durations are medians. */
export interface AlgoBenchResult {
  bench: 'algo';
  bars: number;
  algo: { median_ms: number; bars_per_s: number; runs_ms: number[] };
  strategy: { median_ms: number; bars_per_s: number; runs_ms: number[] };
  backtrader: { median_s: number; bars_per_s: number; runs_s: number[]; version: string };
  /** Algo bars/s over Strategy bars/s (below 1: the simple API's cost). */
  ratio_algo_vs_strategy: number;
  /** Algo bars/s over backtrader bars/s. */
  ratio_algo_vs_backtrader: number;
  trades: { algo: number; strategy: number; backtrader: number; all_match: boolean };
  machine: MachineInfo;
}

/** Runs the simple-API benchmark. */
export async function algoBench(options: BenchOptions): Promise<AlgoBenchResult> {
  const { bars: n, seed, runs, peerRuns } = options;
  const python = ensureBacktrader();
  const data = feeds.fromColumns(generateBars({ n, seed }), { name: 'synthetic' });
  const csv = ensureCsv(n, seed);
  progress(`algo: Algo run x${runs} (+1 warm-up)`);
  const algo = await measure(() => run(data, 'algo'), { runs });
  progress(`algo: Strategy run x${runs} (+1 warm-up)`);
  const strategy = await measure(() => run(data, 'strategy'), { runs });
  const onCsv = feeds.backtraderCsv(csv);
  const a = run(onCsv, 'algo').trades.map(key);
  const s = run(onCsv, 'strategy').trades.map(key);
  progress(`algo: backtrader run x${peerRuns}`);
  const peer = await runPython<PeerOutput>(join(BENCHES_DIR, 'peers', 'backtrader_sma_cross.py'), [
    '--csv', csv, '--fast', String(PARAMS.fast), '--slow', String(PARAMS.slow), '--stake', String(PARAMS.stake),
    '--cash', String(CASH), '--commission', String(COMMISSION), '--runs', String(peerRuns), '--load-runs', '0',
  ], { python });
  const b = peer.trades.map(key);
  const perSecond = (ms: number) => n / (ms / 1000);
  return {
    bench: 'algo',
    bars: n,
    algo: { median_ms: algo.medianMs, bars_per_s: perSecond(algo.medianMs), runs_ms: algo.runsMs },
    strategy: { median_ms: strategy.medianMs, bars_per_s: perSecond(strategy.medianMs), runs_ms: strategy.runsMs },
    backtrader: { median_s: peer.median_s, bars_per_s: peer.bars_per_s, runs_s: peer.runs_s, version: peer.backtrader_version },
    ratio_algo_vs_strategy: strategy.medianMs / algo.medianMs,
    ratio_algo_vs_backtrader: perSecond(algo.medianMs) / peer.bars_per_s,
    trades: { algo: a.length, strategy: s.length, backtrader: b.length, all_match: a.join() === s.join() && s.join() === b.join() },
    machine: machineInfo(),
  };
}
