/**
 * Book snapshots as a delta stream: the first snapshot (with a sequence number), then per later
 * snapshot the level changes that turn the previous book into it — the shape a venue's
 * incremental depth feed has. Use it to replay a Level2 file as deltas (`replaySource(feed,
 * { book: 'deltas' })`), or to feed a venue that only sends snapshots through the delta path.
 */
import { ParamError } from '../errors.js';
import type { BookDeltaMessage, BookMessage, LevelChange } from './source.js';
import type { BookRow } from './live-level2-feed.js';

/** Options of {@link bookDeltas}. */
export interface BookDeltasOptions {
  /** Sequence number of the first snapshot (default 1); each update after it adds one. */
  firstSeq?: number;
  /** Send a full snapshot (with its `seq`) every this many rows as well, as venues resend them (default: only the first). */
  snapshotEvery?: number;
}

/** The levels of one side of a row: price → size (empty levels left out). */
function levelsOf(prices: ArrayLike<number>, sizes: ArrayLike<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (let k = 0; k < prices.length; k++) {
    const p = prices[k]!;
    if (Number.isFinite(p)) out.set(p, sizes[k] ?? 0);
  }
  return out;
}

/**
 * Changes from `before` to `after`: deletions first, then size changes, then new levels, so no
 * step between the two books is crossed (every intermediate book is part of `after`).
 */
function diff(before: Map<number, number>, after: Map<number, number>, side: 'bid' | 'ask', out: { del: LevelChange[]; mod: LevelChange[]; add: LevelChange[] }): void {
  for (const p of before.keys()) if (!after.has(p)) out.del.push({ side, action: 'delete', price: p });
  for (const [p, q] of after) {
    const was = before.get(p);
    if (was === undefined) out.add.push({ side, action: 'add', price: p, size: q });
    else if (!Object.is(was, q)) out.mod.push({ side, action: 'modify', price: p, size: q });
  }
}

/**
 * The delta stream of a list of book rows (see the module comment): one message per row, so the
 * book after each message is the row's book.
 * @throws ParamError for a bad `firstSeq` or `snapshotEvery`.
 */
export function bookDeltas(rows: readonly BookRow[], options: BookDeltasOptions = {}): (BookMessage | BookDeltaMessage)[] {
  const first = options.firstSeq ?? 1;
  if (!Number.isInteger(first) || first < 0) throw new ParamError(`bookDeltas: firstSeq must be a whole number >= 0, got ${first}`);
  const every = options.snapshotEvery ?? Infinity;
  if (!(every === Infinity || (Number.isInteger(every) && every >= 1))) throw new ParamError(`bookDeltas: snapshotEvery must be a whole number >= 1, got ${every}`);
  const out: (BookMessage | BookDeltaMessage)[] = [];
  let bids = new Map<number, number>();
  let asks = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const seq = first + i;
    const nb = levelsOf(r.bidPrice, r.bidVolume);
    const na = levelsOf(r.askPrice, r.askVolume);
    if (i === 0 || i % every === 0) {
      out.push({ ...r, type: 'book', seq });
    } else {
      const ch = { del: [] as LevelChange[], mod: [] as LevelChange[], add: [] as LevelChange[] };
      diff(bids, nb, 'bid', ch);
      diff(asks, na, 'ask', ch);
      out.push({
        type: 'delta', time: r.time, seq, changes: [...ch.del, ...ch.mod, ...ch.add],
        ...(r.last === undefined ? {} : { last: r.last }),
        ...(r.lastVolume === undefined ? {} : { lastVolume: r.lastVolume }),
        ...(r.side === undefined ? {} : { side: r.side }),
      });
    }
    bids = nb;
    asks = na;
  }
  return out;
}
