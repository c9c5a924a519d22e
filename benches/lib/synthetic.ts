/**
 * Deterministic synthetic OHLCV data shared by every benchmark.
 *
 * Each bench (ferrotrade and its backtrader peer alike) must see byte-identical
 * input, otherwise speed and result comparisons are meaningless. Everything here
 * is therefore a pure function of `(n, seed, start, startPrice)`: an explicit
 * 32-bit PRNG (no `Math.random`), integer day arithmetic (no local time zones),
 * and prices rounded to cents so the CSV text parses back to the exact same
 * doubles in any language.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { mulberry32 } from '../../ts/util/prng.js';

/** Columnar OHLCV bars, one entry per bar in every column. */
export interface Bars {
  /** Milliseconds since the Unix epoch, UTC midnight of each (business) day. */
  datetime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Whole shares; stored as doubles to match the engine's column type. */
  volume: Float64Array;
  /** Always zero: the generator models a cash instrument. */
  openinterest: Float64Array;
}

/** Options for {@link generateBars}. */
export interface GenerateBarsOptions {
  /** Number of bars to produce. */
  n: number;
  /** Any integer; the same seed always yields the same bars. */
  seed: number;
  /**
   * First calendar day as `YYYY-MM-DD` (UTC). A weekend start moves forward to
   * the following Monday. Default `2000-01-03`, a Monday.
   */
  start?: string;
  /** Level the price series starts from and reverts towards. Default 100. */
  startPrice?: number;
}

const DAY_MS = 86_400_000;

/** Per-bar standard deviation of the close-to-close log return (~1%). */
const SIGMA = 0.01;
/**
 * Per-bar pull of the log price back towards `log(startPrice)`.
 *
 * A pure random walk with 1% daily volatility drifts by about e^±10 over a
 * million bars, which would push prices to fractions of a cent where rounding
 * to 2 decimals dominates every move. A weak Ornstein-Uhlenbeck pull keeps the
 * stationary spread at SIGMA / sqrt(2 * THETA) ≈ 0.32 in log terms (roughly
 * 0.3x-3.7x the start price at 4 standard deviations) while leaving swings that
 * last hundreds of bars, which is what makes a moving-average crossover trade
 * regularly instead of whipsawing or never crossing.
 */
const THETA = 0.0005;
/** Standard deviation of the overnight gap between previous close and open. */
const GAP_SIGMA = 0.002;
/** Scale of the intrabar excursion beyond the open/close body. */
const WICK_SIGMA = 0.004;
/** Smallest price the generator will emit (one cent). */
const MIN_PRICE = 0.01;


/**
 * Standard normal draws via Box-Muller, consuming exactly two uniforms per
 * draw. Not caching the second variate keeps the stream position a simple
 * function of how many normals were taken, which keeps ports in lockstep.
 */
function normalSource(uniform: () => number): () => number {
  return () => {
    // 1 - u lies in (0, 1], so the logarithm is always finite.
    const u1 = 1 - uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
}

/** Rounds to cents, never below one cent, so prices stay positive. */
function cents(x: number): number {
  return Math.max(MIN_PRICE, Math.round(x * 100) / 100);
}

/** Parses `YYYY-MM-DD` as a UTC day number (days since 1970-01-01). */
function parseDay(start: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) {
    throw new RangeError(`start must be YYYY-MM-DD, got '${start}'`);
  }
  // The explicit 'T00:00:00Z' forces UTC; a bare date-only string is also UTC
  // per spec, but being explicit guards against engines that disagree.
  const ms = Date.parse(`${start}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`start is not a valid date: '${start}'`);
  return Math.round(ms / DAY_MS);
}

/**
 * Generates `n` deterministic daily bars on business days (Monday to Friday).
 *
 * The close follows a mean-reverting geometric random walk with about 1%
 * volatility per bar; the open gaps slightly from the previous close; high and
 * low extend beyond the open/close body by a random wick. All prices are
 * rounded to 2 decimals (so `String(x)` round-trips through any CSV parser),
 * volume is a whole number loosely tied to the size of the move, and open
 * interest is zero.
 *
 * Invariants for every bar: `low <= min(open, close) <= max(open, close) <= high`,
 * `low >= 0.01`, and `datetime` strictly increasing at UTC midnight.
 *
 * @param options - `n` bars from `seed`, starting at `start` (default
 *   `2000-01-03`) around `startPrice` (default 100).
 * @returns columnar bars in freshly allocated `Float64Array`s.
 */
export function generateBars(options: GenerateBarsOptions): Bars {
  const { n, seed, start = '2000-01-03', startPrice = 100 } = options;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(startPrice > MIN_PRICE) || !Number.isFinite(startPrice)) {
    throw new RangeError(`startPrice must be a finite price above ${MIN_PRICE}, got ${startPrice}`);
  }

  const bars: Bars = {
    datetime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    openinterest: new Float64Array(n),
  };

  const uniform = mulberry32(seed);
  const normal = normalSource(uniform);
  const anchor = Math.log(startPrice);

  // The walk runs on the unrounded log price; only the emitted values are
  // rounded. Feeding rounded prices back in would add a cents-sized bias that
  // grows relatively large at low price levels.
  let logPrice = anchor;
  let day = parseDay(start);

  for (let i = 0; i < n; i++) {
    // 1970-01-01 (day 0) was a Thursday, so (day + 4) % 7 is 0 on Sundays.
    // Days before the epoch are negative; the double modulo keeps it in 0..6.
    let dow = (((day + 4) % 7) + 7) % 7;
    if (dow === 6) { day += 2; dow = 1; }
    else if (dow === 0) { day += 1; dow = 1; }
    bars.datetime[i] = day * DAY_MS;

    const prevClose = Math.exp(logPrice);
    const open = cents(prevClose * Math.exp(GAP_SIGMA * normal()));

    const ret = SIGMA * normal() - THETA * (logPrice - anchor);
    logPrice += ret;
    const close = cents(Math.exp(logPrice));

    // Wicks are computed from the rounded body so the ordering invariants hold
    // exactly after rounding (rounding is monotone, so max/min are preserved).
    const bodyHigh = Math.max(open, close);
    const bodyLow = Math.min(open, close);
    const high = cents(bodyHigh * (1 + WICK_SIGMA * Math.abs(normal())));
    const low = cents(bodyLow * (1 - Math.min(0.5, WICK_SIGMA * Math.abs(normal()))));

    bars.open[i] = open;
    bars.high[i] = high;
    bars.low[i] = low;
    bars.close[i] = close;
    // Busier sessions on bigger moves, as in real markets; integer by construction.
    bars.volume[i] = Math.round(100_000 * (0.5 + uniform()) * (1 + 25 * Math.abs(ret)));
    bars.openinterest[i] = 0;

    day += dow === 5 ? 3 : 1;
  }
  return bars;
}

/** Formats a UTC-midnight epoch-ms value as `YYYY-MM-DD` (years 0000-9999 only). */
function formatDay(ms: number): string {
  const iso = new Date(ms).toISOString();
  // Years outside 0..9999 are rendered as ±YYYYYY, which backtrader's
  // fixed-position date parser (and Python's datetime) cannot represent.
  if (iso.length !== 24) {
    throw new RangeError(`date ${iso} is outside years 0000-9999; start earlier or generate fewer bars`);
  }
  return iso.slice(0, 10);
}

/** Rows per `writeSync` call: large enough to amortise syscalls, small enough to keep strings short. */
const ROWS_PER_CHUNK = 65_536;

/**
 * Writes bars as backtrader's own CSV format (`bt.feeds.BacktraderCSVData`):
 * header `Date,Open,High,Low,Close,Volume,OpenInterest`, one row per bar, the
 * date as `YYYY-MM-DD` and numbers via `String(x)`, the shortest text that
 * parses back to the identical double in JavaScript, Python and Rust.
 *
 * Parent directories are created as needed. The file is streamed in chunks so a
 * million-bar file never needs to exist as one giant string.
 *
 * @param bars - bars to write (typically from {@link generateBars}).
 * @param path - destination file; overwritten if present.
 */
export function writeBacktraderCsv(bars: Bars, path: string): void {
  const n = bars.datetime.length;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'Date,Open,High,Low,Close,Volume,OpenInterest\n');
    for (let from = 0; from < n; from += ROWS_PER_CHUNK) {
      const to = Math.min(n, from + ROWS_PER_CHUNK);
      let chunk = '';
      for (let i = from; i < to; i++) {
        chunk +=
          `${formatDay(bars.datetime[i]!)},${String(bars.open[i])},${String(bars.high[i])},` +
          `${String(bars.low[i])},${String(bars.close[i])},${String(bars.volume[i])},` +
          `${String(bars.openinterest[i])}\n`;
      }
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}
