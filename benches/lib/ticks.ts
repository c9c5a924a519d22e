/**
 * Deterministic synthetic ticks for the resampling bench: a price walk in cents with
 * irregular gaps of 1-500 ms, over continuous time from 2024-01-02 00:00 UTC. Several ticks
 * may share a millisecond, as in real feeds. Written as `ms,price,volume` lines so the peer
 * reads exactly the same doubles.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { CACHE_DIR } from './harness.js';

/** Ticks as columns. */
export interface Ticks {
  datetime: Float64Array;
  price: Float64Array;
  volume: Float64Array;
}

/** `n` ticks from `seed` (a 32-bit LCG: trivially the same stream anywhere). */
export function generateTicks(n: number, seed: number): Ticks {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const datetime = new Float64Array(n);
  const price = new Float64Array(n);
  const volume = new Float64Array(n);
  let t = Date.UTC(2024, 0, 2);
  let cents = 10_000;
  for (let i = 0; i < n; i++) {
    const r = next();
    t += r % 7 === 0 ? 0 : 1 + (r % 500);
    cents = Math.max(1, cents + ((next() % 5) - 2));
    datetime[i] = t;
    price[i] = cents / 100;
    volume[i] = 1 + (next() % 9);
  }
  return { datetime, price, volume };
}

/** Writes `n` ticks once (cached) and returns the path. */
export function ensureTicksCsv(n: number, seed: number): string {
  const path = join(CACHE_DIR, `ticks-v1-n${n}-s${seed}.csv`);
  if (existsSync(path)) return path;
  const { datetime, price, volume } = generateTicks(n, seed);
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (let from = 0; from < n; from += 50_000) {
      let chunk = '';
      for (let i = from; i < Math.min(n, from + 50_000); i++) chunk += `${datetime[i]},${price[i]},${volume[i]}\n`;
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}
