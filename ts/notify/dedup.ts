/**
 * Deduplication: the first notification of a key goes out at once; repeats within the window are
 * counted, not sent, and when the window ends one notification says how many there were
 * ("×12 in 5 min"), carrying the latest occurrence.
 *
 * Windows all last `windowMs` and open in time order, so the Map's insertion order is also the
 * order they end in: one timer, armed for the oldest window, serves them all (a flood of distinct
 * messages costs no timer each).
 */
import type { Notification } from './types.js';

interface Window {
  /** Occurrences in the window, the first included. */
  count: number;
  latest: Notification;
  endsAt: number;
}

export class Deduplicator {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | null = null;

  /** `emit` receives the folded notification when a window with repeats ends. */
  constructor(
    readonly windowMs: number,
    private readonly emit: (folded: Notification) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `n` should be sent now; false when it was folded into its key's window. */
  offer(n: Notification): boolean {
    if (this.windowMs <= 0) return true;
    const open = this.windows.get(n.key);
    if (open) {
      open.count++;
      open.latest = n;
      return false;
    }
    this.windows.set(n.key, { count: 1, latest: n, endsAt: this.now() + this.windowMs });
    if (this.timer === null) this.arm();
    return true;
  }

  /** Ends every window now (on close), sending the folded notifications. */
  flush(): void {
    this.expire(Infinity);
  }

  /** Windows open. */
  get open(): number {
    return this.windows.size;
  }

  private arm(): void {
    const first = this.windows.values().next();
    if (first.done) {
      this.timer = null;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expire(this.now());
    }, Math.max(0, first.value.endsAt - this.now()));
    this.timer.unref();
  }

  private expire(until: number): void {
    for (const [key, w] of this.windows) {
      if (w.endsAt > until) break;
      this.windows.delete(key);
      if (w.count > 1) this.emit({ ...w.latest, repeats: { count: w.count, windowMs: this.windowMs } });
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.arm();
  }
}
