import { closeSync, openSync, writeSync } from 'node:fs';
import { ParamError } from '../errors.js';
import { mulberry32 as prng } from '../util/prng.js';

/** Options of {@link generateLevel2}. */
export interface GenerateLevel2Options {
  /** Number of ticks (rows). */
  ticks: number;
  /** Levels per side (default 5). */
  depth?: number;
  /** Any integer; the same seed always gives the same stream (default 1). */
  seed?: number;
  /** First tick's time, epoch ms (default 2024-01-02T09:30:00Z). */
  start?: number;
  /** Mean time between ticks, ms (default 50). */
  meanGapMs?: number;
  /** Starting mid price (default 100) and price tick (default 0.01). */
  price?: number;
  tick?: number;
  /** Probability that a tick prints a trade (default 0.3). */
  tradeProbability?: number;
}

/** Columns of a generated stream, ready for `feeds.level2Columns`. */
export interface GeneratedLevel2 {
  datetime: Float64Array;
  bidPrice: Float64Array[];
  bidVolume: Float64Array[];
  askPrice: Float64Array[];
  askVolume: Float64Array[];
  last: Float64Array;
  lastVolume: Float64Array;
  side: Float64Array;
}


/**
 * A deterministic, realistic-looking Level2 stream: a book of `depth` levels per side on a
 * price grid, sizes growing with depth and drifting tick by tick; trades arrive at random
 * (exponential gaps), buy or sell with odds tilted by the book's imbalance, sized from a
 * heavy-tailed distribution (a few large orders), and consume the best level they hit — an
 * emptied level moves the price by one tick, and the spread widens and recovers. Sides are
 * given (the aggressor). Everything is a pure function of the options: prices are whole
 * ticks rounded to 1e-8, sizes whole units, times whole milliseconds, so a CSV written with
 * {@link writeLevel2Csv} reads back to the same numbers.
 */
export function generateLevel2(options: GenerateLevel2Options): GeneratedLevel2 {
  const n = options.ticks;
  const depth = options.depth ?? 5;
  if (!Number.isInteger(n) || n < 1) throw new ParamError(`ticks must be a whole number >= 1, got ${n}`);
  if (!Number.isInteger(depth) || depth < 1 || depth > 50) throw new ParamError(`depth must be a whole number in 1..50, got ${depth}`);
  const rnd = prng(options.seed ?? 1);
  const tick = options.tick ?? 0.01;
  const gap = options.meanGapMs ?? 50;
  const pTrade = options.tradeProbability ?? 0.3;
  const col = () => new Float64Array(n);
  const levels = () => Array.from({ length: depth }, col);
  const out: GeneratedLevel2 = {
    datetime: col(), bidPrice: levels(), bidVolume: levels(), askPrice: levels(), askVolume: levels(),
    last: col(), lastVolume: col(), side: col(),
  };
  const px = (t: number) => Math.round(t * tick * 1e8) / 1e8;
  const base = (k: number) => 20 + 15 * k;
  let bidTop = Math.round((options.price ?? 100) / tick) - 1; // best bid, in ticks
  let spread = 2;
  const bids = Array.from({ length: depth }, (_, k) => base(k));
  const asks = Array.from({ length: depth }, (_, k) => base(k));
  let t = options.start ?? Date.UTC(2024, 0, 2, 9, 30);
  let last = NaN;
  for (let i = 0; i < n; i++) {
    t += Math.max(1, Math.round(-Math.log(1 - rnd()) * gap));
    // Sizes drift: a couple of levels change per tick.
    for (let m = 0; m < 2; m++) {
      const k = Math.floor(rnd() * depth);
      const side = rnd() < 0.5 ? bids : asks;
      side[k] = Math.max(1, Math.round(side[k]! * (0.8 + 0.4 * rnd())));
    }
    // A widened spread refills one tick at a time.
    if (spread > 1 && rnd() < 0.3) {
      spread--;
      if (rnd() < 0.5) {
        bidTop++;
        bids.unshift(Math.max(1, Math.round(base(0) * rnd())));
        bids.pop();
      } else {
        asks.unshift(Math.max(1, Math.round(base(0) * rnd())));
        asks.pop();
      }
    }
    let volume = 0;
    let aggressor = 0;
    if (rnd() < pTrade) {
      const b = bids[0]! + bids[1 % depth]!;
      const a = asks[0]! + asks[1 % depth]!;
      aggressor = rnd() < 0.5 + 0.3 * ((b - a) / (b + a)) ? 1 : -1;
      // Pareto-like sizes: mostly small, a few large.
      volume = Math.max(1, Math.round(3 / Math.pow(1 - rnd(), 0.8)));
      const book = aggressor > 0 ? asks : bids;
      volume = Math.min(volume, book[0]!);
      last = px(aggressor > 0 ? bidTop + spread : bidTop);
      book[0]! -= volume;
      if (book[0]! <= 0) {
        // The level is gone: the next one becomes the best, a new one appears at the back.
        book.shift();
        book.push(base(depth - 1));
        if (aggressor > 0) spread++;
        else {
          bidTop--;
          spread++;
        }
      }
    }
    out.datetime[i] = t;
    for (let k = 0; k < depth; k++) {
      out.bidPrice[k]![i] = px(bidTop - k);
      out.bidVolume[k]![i] = bids[k]!;
      out.askPrice[k]![i] = px(bidTop + spread + k);
      out.askVolume[k]![i] = asks[k]!;
    }
    out.last[i] = last;
    out.lastVolume[i] = volume;
    out.side[i] = aggressor;
  }
  return out;
}

/** Writes a stream in the Level2 CSV format of docs/orderbook.md (times as epoch ms). */
export function writeLevel2Csv(s: GeneratedLevel2, path: string): void {
  const depth = s.bidPrice.length;
  const names = (what: string) => Array.from({ length: depth }, (_, k) => `${what}_${k + 1}`);
  const header = ['datetime', ...names('bid_price'), ...names('bid_volume'), ...names('ask_price'), ...names('ask_volume'), 'last', 'last_volume', 'side'];
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${header.join(',')}\n`);
    const num = (v: number) => (Number.isNaN(v) ? '' : String(v));
    let chunk = '';
    for (let i = 0; i < s.datetime.length; i++) {
      const row = [String(s.datetime[i])];
      for (const cols of [s.bidPrice, s.bidVolume, s.askPrice, s.askVolume]) for (const c of cols) row.push(num(c[i]!));
      row.push(num(s.last[i]!), String(s.lastVolume[i]), s.side[i]! > 0 ? 'B' : s.side[i]! < 0 ? 'S' : '');
      chunk += `${row.join(',')}\n`;
      if (chunk.length > 1 << 16) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
