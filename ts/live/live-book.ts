/**
 * The book of a live Level2 source that sends deltas: the Rust order book (`NativeOrderBook`,
 * strict: a bad level change is refused, never guessed at) fed with snapshots and level changes,
 * with the venue's sequence numbers checked. Each update becomes a book row (the best `depth`
 * levels and the update's trade), the row a snapshot source would have sent, so the rest of the
 * session — the live Level2 feed, the matching engine, the strategies — sees the same book
 * either way.
 *
 * Sequence rules: deltas apply only to a book that came from a snapshot with a `seq`; an update
 * must carry the previous `seq` + 1. A repeated or older one is late (counted, left out); a
 * larger jump is a gap: counted, reported, and the book is stale — its deltas are counted and
 * left out — until the next snapshot with a `seq` replaces it. A change the book refuses (a
 * modify of a missing level, a crossed book) makes it stale the same way.
 */
import { native } from '../native.js';
import { callNative, DataError } from '../errors.js';
import type { SourceStats } from './options.js';
import type { BookDeltaMessage, BookMessage } from './source.js';
import type { BookRow } from './live-level2-feed.js';

const ACTION = { add: 0, modify: 1, delete: 2 } as const;

/** @internal one Level2 source's book (see the module comment). */
export class LiveBook {
  private core: InstanceType<typeof native.NativeOrderBook> | null = null;
  /** The venue's sequence number of the book held; NaN: none (deltas cannot apply). */
  private seq = NaN;
  /** The book's own sequence numbers (one per level change, as the core book counts them). */
  private coreSeq = 0;
  private stale = true;

  constructor(private readonly depth: number) {}

  /**
   * The book row a message makes, or null when it makes none (a delta left out). A snapshot
   * without `seq` passes through as a row and leaves deltas nothing to apply to.
   * @throws DataError for a change the book refuses (the book is then stale).
   */
  take(m: BookMessage | BookDeltaMessage, st: SourceStats, gap: (detail: string) => void): BookRow | null {
    if (m.type === 'book') {
      if (m.seq === undefined) {
        this.stale = true;
        this.seq = NaN;
        return m;
      }
      this.load(m);
      return m;
    }
    if (this.stale) {
      st.staleDeltas++;
      return null;
    }
    if (!(m.seq > this.seq)) {
      st.late++;
      return null;
    }
    if (m.seq !== this.seq + 1) {
      st.bookGaps++;
      st.staleDeltas++;
      this.stale = true;
      gap(`expected sequence ${this.seq + 1}, got ${m.seq}`);
      return null;
    }
    this.apply(m);
    this.seq = m.seq;
    return this.row(m);
  }

  private load(m: BookMessage): void {
    if (!Number.isInteger(m.seq) || m.seq! < 0) throw new DataError('DATA', `book snapshot at ${m.time}: seq must be a whole number >= 0, got ${m.seq}`);
    const flat = (p: ArrayLike<number>, q: ArrayLike<number>) => {
      const out: number[] = [];
      for (let k = 0; k < p.length; k++) if (Number.isFinite(p[k]!)) out.push(p[k]!, q[k] ?? 0);
      return Float64Array.from(out);
    };
    this.core ??= callNative(() => new native.NativeOrderBook(false));
    const core = this.core;
    this.stale = true;
    this.coreSeq++;
    callNative(() => core.loadSnapshot(this.coreSeq, flat(m.bidPrice, m.bidVolume), flat(m.askPrice, m.askVolume)));
    this.seq = m.seq!;
    this.stale = false;
  }

  private apply(m: BookDeltaMessage): void {
    const n = m.changes?.length ?? 0;
    if (n === 0) return;
    const seq = new Float64Array(n);
    const side = new Uint8Array(n);
    const action = new Uint8Array(n);
    const price = new Float64Array(n);
    const size = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const c = m.changes[k]!;
      const a = ACTION[c?.action];
      if (a === undefined || (c.side !== 'bid' && c.side !== 'ask')) {
        this.stale = true;
        throw new DataError('DATA', `book delta ${m.seq}: a change needs side 'bid' or 'ask' and action 'add', 'modify' or 'delete'; got ${JSON.stringify(c)}`);
      }
      seq[k] = this.coreSeq + 1 + k;
      side[k] = c.side === 'bid' ? 0 : 1;
      action[k] = a;
      price[k] = c.price;
      size[k] = a === 2 ? 0 : (c.size ?? NaN);
    }
    const core = this.core!;
    try {
      callNative(() => core.applyColumns(seq, side, action, price, size));
    } catch (err) {
      // Part of the update may be in: the book no longer matches the venue's.
      this.stale = true;
      throw err;
    }
    this.coreSeq += n;
  }

  /** The best `depth` levels and the update's trade, as a snapshot row. */
  private row(m: BookDeltaMessage): BookRow {
    const core = this.core!;
    const side = (code: number) => {
      const flat = core.levels(code, this.depth);
      const p = new Float64Array(this.depth).fill(NaN);
      const q = new Float64Array(this.depth).fill(NaN);
      for (let k = 0; 2 * k < flat.length; k++) {
        p[k] = flat[2 * k]!;
        q[k] = flat[2 * k + 1]!;
      }
      return [p, q] as const;
    };
    const [bidPrice, bidVolume] = side(0);
    const [askPrice, askVolume] = side(1);
    return {
      time: m.time, bidPrice, bidVolume, askPrice, askVolume,
      ...(m.last === undefined ? {} : { last: m.last }),
      ...(m.lastVolume === undefined ? {} : { lastVolume: m.lastVolume }),
      ...(m.side === undefined ? {} : { side: m.side }),
    };
  }
}
