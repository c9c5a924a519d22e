/**
 * Replay bench: `--bars` synthetic 1-minute rows (default 1,000,000; sessions of 390 minutes,
 * 09:31-16:00, on weekdays) replayed to days with `cerebro.replayData`, against backtrader's
 * `cerebro.replaydata` in the same run, in rows per second.
 *
 * The strategy on both sides: SMA(20) over the replayed days and `CrossOver(close, sma)`; buy 1
 * unit when the close so far crosses above the SMA so far, close the position (a market order)
 * when it crosses below, no new decision while an order is pending. So next() runs on every
 * minute, the indicators show their value on the day so far at every row, and orders fill
 * against the minutes.
 *
 * ferrotrade is timed in three parts: `feeds.replay` alone, the indicators over the replayed
 * feed alone (SMA + CrossOver, the precompute a run does in `init()`), and the whole run
 * (`replayData` + `run()`, which includes both). backtrader (`peers/backtrader_replay.py`)
 * runs on a tenth of the rows (it manages tens of thousands per second), and on that common
 * data both must agree on next() calls, closed trades (times, prices, P&L) and final value.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { Cerebro, feeds, ind, Strategy, type DataFeed, type Indicator, type Order, type RunResult, type Trade } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR, CACHE_DIR, ensureBacktrader, measure, runPython } from './lib/harness.js';

const PERIOD = 20;
const STAKE = 1;
const CASH = 100_000;
const COMMISSION = 0.001;
/** Minutes per session: 09:31 to 16:00 inclusive, stamped at each minute's end. */
const SESSION_MINUTES = 390;
const SESSION_END = '16:00';
const REL_TOL = 1e-9;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Columnar minute bars. */
interface Minutes {
  datetime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * `n` deterministic 1-minute bars from `seed`: a price walk in whole cents (so the CSV text
 * parses back to the same doubles in Python), open at the previous close, a wick of 0-4 cents
 * either side, 390 minutes per weekday from 2000-01-03 (UTC, no holidays). A 32-bit LCG, as
 * in `lib/ticks.ts`: the prefix of `n` rows is the first `n` rows of any longer series.
 */
export function generateMinutes(n: number, seed: number): Minutes {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const out: Minutes = {
    datetime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let day = Date.UTC(2000, 0, 3) / DAY_MS; // a Monday
  let minute = 0;
  let cents = 10_000;
  for (let i = 0; i < n; i++) {
    if (minute === SESSION_MINUTES) {
      minute = 0;
      // 1970-01-01 was a Thursday: (day + 4) % 7 is 5 on Fridays.
      day += (day + 4) % 7 === 5 ? 3 : 1;
    }
    minute++;
    out.datetime[i] = day * DAY_MS + (9 * 60 + 30 + minute) * MINUTE_MS;
    const open = cents;
    // Steps of -3..+3 cents, a faint pull back to $100 so a long series stays in range.
    const r = next();
    const pull = ((r >>> 24) & 63) === 0 ? Math.sign(10_000 - cents) : 0;
    cents = Math.max(100, cents + ((r >>> 8) % 7) - 3 + pull);
    out.open[i] = open / 100;
    out.close[i] = cents / 100;
    out.high[i] = (Math.max(open, cents) + ((next() >>> 8) % 5)) / 100;
    out.low[i] = Math.max(1, Math.min(open, cents) - ((next() >>> 8) % 5)) / 100;
    out.volume[i] = 100 + ((next() >>> 8) % 900);
  }
  return out;
}

/** Writes `generateMinutes(n, seed)` once (cached) as `ms,open,high,low,close,volume` lines. */
function ensureMinutesCsv(n: number, seed: number): string {
  const path = join(CACHE_DIR, `minutes-v1-n${n}-s${seed}.csv`);
  if (existsSync(path)) return path;
  const m = generateMinutes(n, seed);
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (let from = 0; from < n; from += 50_000) {
      let chunk = '';
      for (let i = from; i < Math.min(n, from + 50_000); i++) {
        chunk += `${m.datetime[i]},${m.open[i]},${m.high[i]},${m.low[i]},${m.close[i]},${m.volume[i]}\n`;
      }
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

function minuteFeed(m: Minutes): DataFeed {
  return feeds.fromColumns({ ...m }, { name: 'minutes', timeframe: 'Minutes' });
}

const REPLAY = { timeframe: 'Days', sessionEnd: SESSION_END } as const;

/** The crossover strategy of the module comment; the peer's `CloseCross` is the same. */
class CloseCross extends Strategy {
  sma!: Indicator;
  cross!: Indicator;
  pending: Order | null = null;
  nextCalls = 0;

  override init(): void {
    this.sma = ind.SMA(this.data, { period: PERIOD });
    this.cross = ind.CrossOver(this.data.close, this.sma);
  }

  override notifyOrder(order: Order): void {
    if (!order.alive()) this.pending = null;
  }

  override next(): void {
    this.nextCalls++;
    if (this.pending) return;
    const c = this.cross.get(0);
    if (this.position.size === 0 && c > 0) this.pending = this.buy({ size: STAKE });
    else if (this.position.size > 0 && c < 0) this.pending = this.close();
  }
}

function runOnce(minutes: DataFeed): RunResult {
  const cerebro = new Cerebro();
  cerebro.replayData(minutes, REPLAY);
  cerebro.broker.setCash(CASH);
  cerebro.broker.setCommission({ commission: COMMISSION });
  cerebro.addStrategy(CloseCross);
  const [result] = cerebro.run();
  if (result === undefined) throw new Error('cerebro.run() returned no result');
  return result;
}

/** One closed trade: times of the opening and closing fills (ms), entry price, P&L. */
interface TradeRow {
  dtopen: number;
  dtclose: number;
  price: number;
  pnl: number;
  pnlcomm: number;
}

interface PeerResult {
  rows: number;
  runs_s: number[];
  median_s: number;
  rows_per_s: number;
  next_calls: number;
  days: number;
  final_value: number;
  trades: TradeRow[];
  backtrader_version: string;
  python_version: string;
}

const close = (a: number, b: number) => a === b || Math.abs(a - b) <= REL_TOL * Math.max(Math.abs(a), Math.abs(b), 1);

function toRow(t: Trade): TradeRow {
  return { dtopen: t.dtopen, dtclose: t.dtclose, price: t.price, pnl: t.pnl, pnlcomm: t.pnlcomm };
}

/** The first closed trade where the engines disagree (times exactly, prices and P&L to 1e-9). */
function firstTradeMismatch(ours: readonly TradeRow[], theirs: readonly TradeRow[]): object | null {
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === undefined || b === undefined) return { index: i, field: 'missing', ferrotrade: a ?? null, backtrader: b ?? null };
    for (const field of ['dtopen', 'dtclose', 'price', 'pnl', 'pnlcomm'] as const) {
      const same = field.startsWith('dt') ? a[field] === b[field] : close(a[field], b[field]);
      if (!same) {
        return {
          index: i, field, ferrotrade: a, backtrader: b,
          ...(field.startsWith('dt') ? { ferrotrade_iso: new Date(a[field]).toISOString(), backtrader_iso: new Date(b[field]).toISOString() } : {}),
        };
      }
    }
  }
  return null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs the bench; see the module comment. */
export async function replayBench(options: BenchOptions): Promise<object> {
  const n = options.bars;
  const peerRows = Math.max(SESSION_MINUTES * (PERIOD + 5), Math.floor(n / 10));
  // Resolve the Python peer before any timing, so a first-time install happens up front.
  const python = ensureBacktrader();

  progress(`replay: generating ${n} minutes (seed ${options.seed})`);
  const data = minuteFeed(generateMinutes(n, options.seed));

  progress(`replay: ferrotrade feeds.replay x${options.runs} on ${n} rows`);
  let days = 0;
  const replayOnly = await measure(() => {
    days = feeds.replay(data, REPLAY).size;
  }, { runs: options.runs, warmup: 1 });

  progress(`replay: ferrotrade indicators over the replayed feed x${options.runs}`);
  const replayed = feeds.replay(data, REPLAY);
  const indicators = await measure(() => {
    const sma = ind.SMA(replayed, { period: PERIOD });
    ind.CrossOver(replayed.close, sma);
  }, { runs: options.runs, warmup: 1 });

  progress(`replay: ferrotrade replayData + run x${options.runs} on ${n} rows`);
  let full: RunResult | undefined;
  const run = await measure(() => {
    full = runOnce(data);
  }, { runs: options.runs, warmup: 1 });
  const fullStrategy = full!.strategy as CloseCross;

  progress(`replay: ferrotrade x${options.runs} on the common ${peerRows} rows`);
  const commonData = minuteFeed(generateMinutes(peerRows, options.seed));
  let common: RunResult | undefined;
  const commonRun = await measure(() => {
    common = runOnce(commonData);
  }, { runs: options.runs, warmup: 1 });
  const commonStrategy = common!.strategy as CloseCross;

  progress(`replay: backtrader x${options.peerRuns} on ${peerRows} rows`);
  const peer = await runPython<PeerResult>(join(BENCHES_DIR, 'peers', 'backtrader_replay.py'), [
    '--csv', ensureMinutesCsv(peerRows, options.seed),
    '--period', String(PERIOD),
    '--stake', String(STAKE),
    '--cash', String(CASH),
    '--commission', String(COMMISSION),
    '--sessionend', SESSION_END,
    '--runs', String(options.peerRuns),
  ], { python });
  if (peer.rows !== peerRows) throw new Error(`backtrader read ${peer.rows} rows, expected ${peerRows}`);

  const ours = common!.trades.filter((t) => t.isClosed).map(toRow);
  const mismatch = firstTradeMismatch(ours, peer.trades);
  const match = {
    next_calls: [commonStrategy.nextCalls, peer.next_calls],
    trades: [ours.length, peer.trades.length],
    final_value: [common!.finalValue, peer.final_value],
    next_calls_match: commonStrategy.nextCalls === peer.next_calls,
    trades_match: mismatch === null,
    final_value_match: close(common!.finalValue, peer.final_value),
    first_trade_mismatch: mismatch,
  };
  const matchAll = match.next_calls_match && match.trades_match && match.final_value_match;
  if (!matchAll) progress(`replay: RESULTS DIFFER ${JSON.stringify(match)}`);

  const rowsPerS = n / (run.medianMs / 1000);
  return {
    bench: 'replay',
    rows: n,
    seed: options.seed,
    params: { source: `1-minute rows, ${SESSION_MINUTES} per weekday`, replay: REPLAY, sma_period: PERIOD, stake: STAKE, cash: CASH, commission: COMMISSION },
    ferrotrade: {
      days,
      replay_median_ms: round(replayOnly.medianMs, 3),
      indicators_median_ms: round(indicators.medianMs, 3),
      setup_median_ms: round(replayOnly.medianMs + indicators.medianMs, 3),
      run_median_ms: round(run.medianMs, 3),
      run_minus_setup_ms: round(run.medianMs - replayOnly.medianMs - indicators.medianMs, 3),
      rows_per_s: Math.round(rowsPerS),
      runs_ms: run.runsMs.map((ms) => round(ms, 3)),
      next_calls: fullStrategy.nextCalls,
      trades: full!.trades.filter((t) => t.isClosed).length,
      final_value: full!.finalValue,
      common_rows: { rows: peerRows, run_median_ms: round(commonRun.medianMs, 3), rows_per_s: Math.round(peerRows / (commonRun.medianMs / 1000)) },
    },
    backtrader: {
      rows: peer.rows,
      days: peer.days,
      median_s: round(peer.median_s, 4),
      rows_per_s: Math.round(peer.rows_per_s),
      runs_s: peer.runs_s.map((s) => round(s, 4)),
      version: peer.backtrader_version,
      python: peer.python_version,
    },
    ratio_rows_per_s: round(rowsPerS / peer.rows_per_s, 1),
    ratio_rows_per_s_same_rows: round(peerRows / (commonRun.medianMs / 1000) / peer.rows_per_s, 1),
    same_result_on_peer_data: { ...match, match: matchAll },
    machine: machineInfo(),
  };
}
