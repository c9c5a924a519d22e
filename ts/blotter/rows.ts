/**
 * The blotter: the orders and fills of a live or paper session, read from its order journal.
 * A journal holds an `intent` entry per order (written before the order leaves the process) and a
 * `venue` entry per broker event (with the fill when there was one); this file turns those
 * entries into rows a person or a script reads.
 */
import type { JournalRecord } from '../store/journal.js';

/** One order event (or, in {@link latestOrders}, an order's last known state). */
export interface BlotterRow {
  /** The journal's sequence number of the entry. */
  seq: number;
  /** When the entry was written (UTC ms). */
  time: number;
  session: string;
  /** `'intent'` (the order as placed) or `'venue'` (a broker event). */
  kind: 'intent' | 'venue';
  ref: number;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** Requested size (positive). */
  size: number;
  /** Market, Limit, Stop, ... */
  type: string;
  /** Limit or stop price; null for a market order. */
  price: number | null;
  status: string;
  /** Filled so far. */
  filled: number;
  /** Average fill price so far; null before any fill. */
  avgPrice: number | null;
  /** The fill this event carried, if any. */
  fill: { size: number; price: number; commission: number } | null;
}

interface SnapshotPayload {
  ref?: number;
  symbol?: string;
  side?: 'buy' | 'sell';
  orderType?: string;
  size?: number;
  price?: number | null;
  status?: string;
  filled?: number;
  avgPrice?: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The blotter row of a journal entry, or undefined for entries that are not about an order
 * (the strategies' saved state, notes).
 */
export function blotterRow(record: JournalRecord): BlotterRow | undefined {
  if (record.kind !== 'intent' && record.kind !== 'venue') return undefined;
  const payload = (record.payload ?? {}) as { order?: SnapshotPayload; fill?: { size?: number; price?: number; comm?: number } } & SnapshotPayload;
  const order: SnapshotPayload = record.kind === 'venue' ? payload.order ?? {} : payload;
  const fill = record.kind === 'venue' && payload.fill ? payload.fill : undefined;
  return {
    seq: record.seq,
    time: record.time,
    session: record.session ?? '',
    kind: record.kind,
    ref: record.ref ?? order.ref ?? 0,
    clientOrderId: record.clientOrderId ?? '',
    symbol: order.symbol ?? '',
    side: order.side ?? 'buy',
    size: num(order.size) ?? 0,
    type: order.orderType ?? '',
    price: num(order.price),
    status: order.status ?? '',
    filled: num(order.filled) ?? 0,
    avgPrice: num(order.avgPrice),
    fill: fill ? { size: Math.abs(num(fill.size) ?? 0), price: num(fill.price) ?? NaN, commission: num(fill.comm) ?? 0 } : null,
  };
}

/** Every order's last known state (one row per client order id), in the order they were placed. */
export function latestOrders(rows: Iterable<BlotterRow>): BlotterRow[] {
  const byId = new Map<string, BlotterRow>();
  for (const row of rows) {
    const key = row.clientOrderId || `${row.session}#${row.ref}`;
    const seen = byId.get(key);
    // An intent is the order as placed; a venue event after it is newer, whatever the clocks say.
    if (!seen || row.seq > seen.seq) byId.set(key, row);
  }
  return [...byId.values()].sort((a, b) => a.ref - b.ref || a.seq - b.seq);
}
