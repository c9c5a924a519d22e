/**
 * SMA-crossover benchmark: ferrotrade against backtrader on the same synthetic bars.
 *
 * Measures, for ferrotrade:
 * - the full `cerebro.run()` (indicators plus the bar loop) of a 15/30 SMA crossover;
 * - parsing the benchmark CSV with `feeds.backtraderCsv`;
 * - the engine's own per-bar cost, with a strategy that does nothing on every bar, and the
 *   crossover's run less its indicators (computed alone over the same closes), per bar;
 * - the peak RSS of a fresh process that parses the CSV and runs the crossover once, keeping
 *   its result (the profiling driver `benches/profile/sma-cross.mjs --memory`, on `dist/`);
 *
 * and for backtrader the same strategy via `peers/backtrader_sma_cross.py`. Both
 * engines must also agree on every closed trade, otherwise the speed comparison
 * would be between two different computations.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { Cerebro, feeds, ind, Strategy, ta, type DataFeed, type Indicator, type Order, type RunResult, type Trade } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions, type MachineInfo } from './lib/bench.js';
import { BENCHES_DIR, ensureBacktrader, ensureCsv, measure, runPython } from './lib/harness.js';
import { generateBars, type Bars } from './lib/synthetic.js';

/** Strategy parameters, identical on both sides. */
const PARAMS = { fast: 15, slow: 30, stake: 10 } as const;
const CASH = 100_000;
const COMMISSION = 0.001;
/** Relative tolerance for prices and P&L: both engines do the same double arithmetic, so only last-bit noise is allowed. */
const REL_TOL = 1e-9;

/** Long-only SMA crossover, the same logic as the backtrader peer's `SmaCross`. */
class SmaCross extends Strategy<{ fast: number; slow: number; stake: number }> {
  static override params = { ...PARAMS };
  cross!: Indicator;
  /** Pending order: no new decision until it is resolved, exactly as the peer does. */
  pending: Order | null = null;

  override init(): void {
    const fast = ind.SMA(this.data.close, { period: this.p.fast });
    const slow = ind.SMA(this.data.close, { period: this.p.slow });
    this.cross = ind.CrossOver(fast, slow);
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

/**
 * A strategy with no indicators and an empty `next()`: timing it leaves only what the
 * engine itself spends per bar (cursor moves, broker checks, cash/value bookkeeping).
 */
class Idle extends Strategy {
  override next(): void {}
}

/** One closed trade in the peer script's shape (0-based bar indices). */
interface TradeRow {
  open_bar: number;
  close_bar: number;
  price: number;
  pnl: number;
  pnlcomm: number;
}

/** What `peers/backtrader_sma_cross.py` prints. */
interface PeerOutput {
  bars: number;
  runs_s: number[];
  median_s: number;
  bars_per_s: number | null;
  load_runs_s: number[];
  load_s: number | null;
  final_value: number;
  trades: TradeRow[];
  backtrader_version: string;
  python_version: string;
}

/** The first point where the two trade lists disagree. */
export interface TradeMismatch {
  /** 0-based position in the list of closed trades. */
  index: number;
  /** Field that differs, or `missing` when one engine has fewer trades. */
  field: keyof TradeRow | 'missing';
  ferrotrade: TradeRow | null;
  backtrader: TradeRow | null;
}

/** Result of {@link smaCross}; every duration is a median over the timed runs. */
export interface SmaCrossResult {
  bench: 'sma_cross';
  bars: number;
  seed: number;
  params: { fast: number; slow: number; stake: number; cash: number; commission: number };
  ferrotrade: {
    /** Median `cerebro.run()` (indicators + loop; data already in memory). */
    median_ms: number;
    bars_per_s: number;
    runs_ms: number[];
    final_value: number;
    /** True when the CSV parses back to exactly the generated columns, so timed and compared runs saw the same data. */
    csv_equals_generated: boolean;
  };
  backtrader: {
    /** Median `cerebro.run()`; with `preload=True` this includes parsing the CSV. */
    median_s: number;
    bars_per_s: number;
    runs_s: number[];
    /** Median CSV parse + preload alone, for comparison with `csv_parse`. */
    load_s: number | null;
    final_value: number;
    version: string;
    python: string;
  };
  /** ferrotrade bars/s over backtrader bars/s, each as measured above. */
  ratio_bars_per_s: number;
  /**
   * The same ratio with ferrotrade's CSV parse added to its run time, because backtrader's
   * timed `run()` parses its CSV and ferrotrade's does not.
   */
  ratio_bars_per_s_incl_csv: number;
  trades: {
    ferrotrade: number;
    backtrader: number;
    match: boolean;
    first_mismatch: TradeMismatch | null;
    final_value_match: boolean;
  };
  csv_parse: { median_ms: number; rows_per_s: number; runs_ms: number[] };
  engine_overhead_ns_per_bar: number;
  /** Median crossover run less the median time of its three indicators computed alone, per bar. */
  sma_cross_minus_indicators_ns_per_bar: number;
  /** A fresh process that parses the CSV and runs the crossover once, its result kept (MB). */
  memory: MemoryProfile;
  machine: MachineInfo;
}

/** What `benches/profile/sma-cross.mjs --memory` reports, in MB. */
export interface MemoryProfile {
  peak_rss_mb: number;
  /** RSS once the library is loaded, before the parse. */
  start_rss_mb: number;
  after_parse_rss_mb: number;
  after_run_rss_mb: number;
}

/**
 * Peak RSS of a fresh process that loads `csv` and runs the crossover once: the bench's own
 * process has run many times and holds the generated columns, so its RSS would say little.
 */
function memoryProfile(csv: string): MemoryProfile {
  const driver = join(BENCHES_DIR, 'profile', 'sma-cross.mjs');
  const res = spawnSync(process.execPath, [driver, csv, '--memory'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`sma_cross: the memory run failed: ${res.stderr}`);
  type Stage = { rss: number };
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as {
    peak_rss_mb: number;
    memory_mb: { start: Stage; after_parse: Stage; after_sma_cross: Stage };
  };
  return {
    peak_rss_mb: out.peak_rss_mb,
    start_rss_mb: out.memory_mb.start.rss,
    after_parse_rss_mb: out.memory_mb.after_parse.rss,
    after_run_rss_mb: out.memory_mb.after_sma_cross.rss,
  };
}

/** Builds a fresh engine over `data`, configured as the peer script configures backtrader. */
function makeCerebro(data: DataFeed, strategy: typeof SmaCross | typeof Idle): Cerebro {
  const cerebro = new Cerebro();
  cerebro.addData(data);
  cerebro.broker.setCash(CASH);
  cerebro.broker.setCommission({ commission: COMMISSION });
  if (strategy === SmaCross) cerebro.addStrategy(SmaCross, { ...PARAMS });
  else cerebro.addStrategy(Idle);
  return cerebro;
}

function runOnce(data: DataFeed, strategy: typeof SmaCross | typeof Idle): RunResult {
  const [result] = makeCerebro(data, strategy).run();
  if (result === undefined) throw new Error('cerebro.run() returned no result');
  return result;
}

function toRow(t: Trade): TradeRow {
  return { open_bar: t.openBar, close_bar: t.closeBar, price: t.price, pnl: t.pnl, pnlcomm: t.pnlcomm };
}

/** Equal within {@link REL_TOL} of the larger magnitude (exact equality covers zeros). */
function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= REL_TOL * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Finds the first disagreement between two trade lists: bar indices must match exactly,
 * prices and P&L within {@link REL_TOL}.
 *
 * @returns the first mismatch, or `null` when the lists agree trade for trade.
 */
export function compareTrades(ours: readonly TradeRow[], theirs: readonly TradeRow[]): TradeMismatch | null {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === undefined || b === undefined) {
      return { index: i, field: 'missing', ferrotrade: a ?? null, backtrader: b ?? null };
    }
    if (a.open_bar !== b.open_bar) return { index: i, field: 'open_bar', ferrotrade: a, backtrader: b };
    if (a.close_bar !== b.close_bar) return { index: i, field: 'close_bar', ferrotrade: a, backtrader: b };
    for (const field of ['price', 'pnl', 'pnlcomm'] as const) {
      if (!close(a[field], b[field])) return { index: i, field, ferrotrade: a, backtrader: b };
    }
  }
  return null;
}

/** True when every column of `feed` holds exactly the generated values. */
function sameColumns(feed: DataFeed, bars: Bars): boolean {
  const names = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;
  return names.every((name) => {
    const a = feed.columns[name];
    const b = bars[name];
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  });
}

/** Rounds for display; the raw runs stay available in `runs_ms`/`runs_s`. */
function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Runs the SMA-crossover benchmark.
 *
 * ferrotrade's timed runs use the generator's columns in memory (so parsing is not
 * part of them); the run whose trades are compared with backtrader's reads the very
 * CSV file backtrader reads, so both engines start from identical doubles even if
 * the text round trip were ever lossy.
 *
 * @param options - bar count, seed and number of timed runs per engine.
 * @returns timings, throughput, the trade comparison and the machine description.
 */
export async function smaCross(options: BenchOptions): Promise<SmaCrossResult> {
  const { bars: n, seed, runs, peerRuns } = options;

  progress(`sma_cross: generating ${n} bars (seed ${seed})`);
  const bars = generateBars({ n, seed });
  const csvPath = ensureCsv(n, seed);
  // Resolve the Python peer before any timing, so a first-time venv install
  // (minutes of pip) happens up front rather than between measurements.
  const python = ensureBacktrader();

  // Validating the columns is a one-off cost of building the feed, not of run(): one feed
  // serves every timed run (run() rewinds its cursor).
  const memFeed = feeds.fromColumns(bars, { name: 'synthetic' });

  progress(`sma_cross: ferrotrade run x${runs} (+1 warm-up)`);
  let timed: RunResult | undefined;
  // Building the Cerebro is inside the timed function but costs microseconds against
  // hundreds of milliseconds of run(), well below run-to-run noise.
  const full = await measure(() => {
    timed = runOnce(memFeed, SmaCross);
  }, { runs });
  if (timed === undefined || timed.bars !== n) throw new Error(`ferrotrade processed ${timed?.bars} bars, expected ${n}`);

  progress(`sma_cross: ferrotrade CSV parse x${runs} (+1 warm-up)`);
  let csvFeed: DataFeed | undefined;
  const parse = await measure(() => {
    csvFeed = feeds.backtraderCsv(csvPath);
  }, { runs });
  if (csvFeed === undefined || csvFeed.size !== n) throw new Error(`CSV feed has ${csvFeed?.size} rows, expected ${n}`);
  const csvEqualsGenerated = sameColumns(csvFeed, bars);
  if (!csvEqualsGenerated) progress('sma_cross: WARNING the CSV does not parse back to the generated columns');

  progress(`sma_cross: ferrotrade engine overhead x${runs} (+1 warm-up)`);
  const idle = await measure(() => runOnce(memFeed, Idle), { runs });

  progress(`sma_cross: the crossover's indicators alone x${runs} (+1 warm-up)`);
  const closes = memFeed.columns.close;
  const indicators = await measure(() => ta.crossover(ta.sma(closes, { period: PARAMS.fast }), ta.sma(closes, { period: PARAMS.slow })), { runs });

  progress('sma_cross: peak RSS of a fresh process (parse + one run, result kept)');
  const memory = memoryProfile(csvPath);

  progress('sma_cross: ferrotrade run on the CSV feed for the trade comparison');
  const compared = runOnce(csvFeed, SmaCross);
  const ours = compared.trades.map(toRow);

  progress(`sma_cross: backtrader run x${peerRuns} (about 40 s per run per million bars)`);
  const peer = await runPython<PeerOutput>(
    join(BENCHES_DIR, 'peers', 'backtrader_sma_cross.py'),
    [
      '--csv', csvPath,
      '--fast', String(PARAMS.fast),
      '--slow', String(PARAMS.slow),
      '--stake', String(PARAMS.stake),
      '--cash', String(CASH),
      '--commission', String(COMMISSION),
      '--runs', String(peerRuns),
      '--load-runs', '1',
    ],
    { python },
  );
  if (peer.bars !== n) throw new Error(`backtrader processed ${peer.bars} bars, expected ${n}`);

  const mismatch = compareTrades(ours, peer.trades);
  if (mismatch) progress(`sma_cross: TRADES DIFFER at trade ${mismatch.index} (${mismatch.field})`);

  const ferroBarsPerS = n / (full.medianMs / 1000);
  const peerBarsPerS = n / peer.median_s;
  const ferroInclCsvBarsPerS = n / ((full.medianMs + parse.medianMs) / 1000);

  return {
    bench: 'sma_cross',
    bars: n,
    seed,
    params: { ...PARAMS, cash: CASH, commission: COMMISSION },
    ferrotrade: {
      median_ms: round(full.medianMs, 3),
      bars_per_s: Math.round(ferroBarsPerS),
      runs_ms: full.runsMs.map((ms) => round(ms, 3)),
      final_value: compared.finalValue,
      csv_equals_generated: csvEqualsGenerated,
    },
    backtrader: {
      median_s: round(peer.median_s, 4),
      bars_per_s: Math.round(peerBarsPerS),
      runs_s: peer.runs_s.map((s) => round(s, 4)),
      load_s: peer.load_s === null ? null : round(peer.load_s, 4),
      final_value: peer.final_value,
      version: peer.backtrader_version,
      python: peer.python_version,
    },
    ratio_bars_per_s: round(ferroBarsPerS / peerBarsPerS, 2),
    ratio_bars_per_s_incl_csv: round(ferroInclCsvBarsPerS / peerBarsPerS, 2),
    trades: {
      ferrotrade: ours.length,
      backtrader: peer.trades.length,
      match: mismatch === null,
      first_mismatch: mismatch,
      final_value_match: close(compared.finalValue, peer.final_value),
    },
    csv_parse: {
      median_ms: round(parse.medianMs, 3),
      rows_per_s: Math.round(n / (parse.medianMs / 1000)),
      runs_ms: parse.runsMs.map((ms) => round(ms, 3)),
    },
    engine_overhead_ns_per_bar: round((idle.medianMs * 1e6) / n, 2),
    sma_cross_minus_indicators_ns_per_bar: round(((full.medianMs - indicators.medianMs) * 1e6) / n, 2),
    memory,
    machine: machineInfo(),
  };
}
