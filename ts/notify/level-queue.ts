/**
 * A bounded queue of notifications, first in first out, that makes room by dropping the lowest
 * level first (the oldest of that level), so an INFO flood never pushes out a CRITICAL message.
 */
import { levelRank } from '../events/index.js';
import type { Notification } from './types.js';

interface Entry {
  seq: number;
  item: Notification;
}

export class LevelQueue {
  /** One FIFO per level (index = rank), each with its read position. */
  private readonly lanes: Entry[][] = [[], [], [], [], []];
  private readonly heads = [0, 0, 0, 0, 0];
  private seq = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** Adds `item`; when full, returns the notification dropped to make room (possibly `item` itself). */
  push(item: Notification): Notification | undefined {
    const rank = levelRank(item.level);
    let dropped: Notification | undefined;
    if (this.count >= this.capacity) {
      const lowest = this.lowestRank();
      if (lowest < 0 || rank <= lowest) return item;
      dropped = this.takeFrom(lowest);
    }
    this.lanes[rank]!.push({ seq: this.seq++, item });
    this.count++;
    return dropped;
  }

  /** Takes the oldest notification (of any level), or the oldest of at least `minRank`. */
  shift(minRank = 0): Notification | undefined {
    let best = -1;
    let bestSeq = Infinity;
    for (let r = minRank; r < 5; r++) {
      const lane = this.lanes[r]!;
      const h = this.heads[r]!;
      if (h < lane.length && lane[h]!.seq < bestSeq) {
        best = r;
        bestSeq = lane[h]!.seq;
      }
    }
    return best < 0 ? undefined : this.takeFrom(best);
  }

  /** Empties the queue, returning what it held. */
  drain(): Notification[] {
    const out: Notification[] = [];
    for (let n = this.shift(); n; n = this.shift()) out.push(n);
    return out;
  }

  private lowestRank(): number {
    for (let r = 0; r < 5; r++) if (this.heads[r]! < this.lanes[r]!.length) return r;
    return -1;
  }

  private takeFrom(rank: number): Notification {
    const lane = this.lanes[rank]!;
    const entry = lane[this.heads[rank]!]!;
    lane[this.heads[rank]!] = undefined as unknown as Entry;
    this.heads[rank]!++;
    if (this.heads[rank]! === lane.length) {
      lane.length = 0;
      this.heads[rank] = 0;
    } else if (this.heads[rank]! > 1024 && this.heads[rank]! * 2 > lane.length) {
      lane.splice(0, this.heads[rank]!);
      this.heads[rank] = 0;
    }
    this.count--;
    return entry.item;
  }
}
