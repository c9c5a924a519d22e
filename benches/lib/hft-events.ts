/**
 * A `generateLevel2` stream as hftbacktest events: a `.npy` file of its `event_dtype` (64-byte
 * aligned records `ev, exch_ts, local_ts, px, qty, order_id, ival, fval`), so the peer replays
 * exactly the ticks the ferrotrade bench runs on.
 *
 * Per tick, all at the tick's time (ms -> ns, the same stamp on the exchange and local side):
 * the tick's trade first (`TRADE_EVENT`, side from the aggressor), because a row's book is the
 * book after its trade; then the book changes against the previous tick, per side: removed
 * price levels (quantity 0) before new or resized ones, so the book is never crossed in
 * between. The first tick emits every level.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import type { GeneratedLevel2 } from '../../ts/index.js';
import { CACHE_DIR } from './harness.js';

/** hftbacktest event flags (`hftbacktest.types`). */
const DEPTH_EVENT = 1;
const TRADE_EVENT = 2;
const EXCH_EVENT = 0x8000_0000;
const LOCAL_EVENT = 0x4000_0000;
const BUY_EVENT = 0x2000_0000;
const SELL_EVENT = 0x1000_0000;

const RECORD = 64;
const HEADER_DICT =
  "{'descr': [('ev', '<u8'), ('exch_ts', '<i8'), ('local_ts', '<i8'), ('px', '<f8'), ('qty', '<f8'), " +
  "('order_id', '<u8'), ('ival', '<i8'), ('fval', '<f8')], 'fortran_order': False, 'shape': (%N,), }";

/** Bumped whenever the conversion changes, so stale cached files are not reused. */
const EVENTS_VERSION = 1;

/** Growable buffer of event records. */
class Events {
  buf = Buffer.alloc(RECORD * 1024);
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  n = 0;

  push(ev: number, tsNs: bigint, px: number, qty: number): void {
    if ((this.n + 1) * RECORD > this.buf.length) {
      const next = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(next);
      this.buf = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    const o = this.n * RECORD;
    this.view.setBigUint64(o, BigInt(ev >>> 0), true);
    this.view.setBigInt64(o + 8, tsNs, true);
    this.view.setBigInt64(o + 16, tsNs, true);
    this.view.setFloat64(o + 24, px, true);
    this.view.setFloat64(o + 32, qty, true);
    // order_id, ival, fval stay 0 (Buffer.alloc zero-fills).
    this.n++;
  }
}

/** Emits one side's changes from `prev` (price -> size) to the tick's levels; updates `prev`. */
function diffSide(
  out: Events, flag: number, tsNs: bigint, prev: Map<number, number>,
  prices: Float64Array[], sizes: Float64Array[], i: number,
): void {
  const next = new Map<number, number>();
  for (let k = 0; k < prices.length; k++) {
    const p = prices[k]![i]!;
    if (Number.isFinite(p)) next.set(p, sizes[k]![i]!);
  }
  const ev = (DEPTH_EVENT | EXCH_EVENT | LOCAL_EVENT | flag) >>> 0;
  for (const p of prev.keys()) if (!next.has(p)) out.push(ev, tsNs, p, 0);
  for (const [p, q] of next) if (prev.get(p) !== q) out.push(ev, tsNs, p, q);
  prev.clear();
  for (const [p, q] of next) prev.set(p, q);
}

/** Converts a stream to hftbacktest events; returns the `.npy` bytes and the event count. */
export function level2ToHftEvents(s: GeneratedLevel2): { npy: Buffer; events: number } {
  const out = new Events();
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  const n = s.datetime.length;
  for (let i = 0; i < n; i++) {
    const tsNs = BigInt(s.datetime[i]!) * 1_000_000n;
    if (s.lastVolume[i]! > 0) {
      const side = s.side[i]! > 0 ? BUY_EVENT : SELL_EVENT;
      out.push((TRADE_EVENT | EXCH_EVENT | LOCAL_EVENT | side) >>> 0, tsNs, s.last[i]!, s.lastVolume[i]!);
    }
    diffSide(out, SELL_EVENT, tsNs, asks, s.askPrice, s.askVolume, i);
    diffSide(out, BUY_EVENT, tsNs, bids, s.bidPrice, s.bidVolume, i);
  }
  // .npy v1.0: magic, version, header length, then a header padded to a multiple of 64 bytes.
  let header = HEADER_DICT.replace('%N', String(out.n));
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const npy = Buffer.concat([pre, Buffer.from(header, 'latin1'), out.buf.subarray(0, out.n * RECORD)]);
  return { npy, events: out.n };
}

/**
 * Returns the path of the `.npy` events for a stream generated with `ticks`, `depth` and
 * `seed`, writing it under `benches/.cache/` only if it does not exist yet.
 */
export function ensureHftEvents(s: GeneratedLevel2, ticks: number, depth: number, seed: number): string {
  const path = join(CACHE_DIR, `level2-hft-v${EVENTS_VERSION}-n${ticks}-d${depth}-s${seed}.npy`);
  if (!existsSync(path)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    const fd = openSync(partial, 'w');
    try {
      writeSync(fd, level2ToHftEvents(s).npy);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
  }
  return path;
}
