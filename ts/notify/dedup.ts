/**
 * Deduplication: the first notification of a key goes out at once; repeats within the window are
 * counted, not sent, and when the window ends one notification says how many there were
 * ("×12 in 5 min"), carrying the latest occurrence.
 */
import type { Notification } from './types.js';

interface Window {
  /** Occurrences in the window, the first included. */
  count: number;
  latest: Notification;
  timer: NodeJS.Timeout;
}

export class Deduplicator {
  private readonly windows = new Map<string, Window>();

  /** `emit` receives the folded notification when a window with repeats ends. */
  constructor(
    readonly windowMs: number,
    private readonly emit: (folded: Notification) => void,
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
    const timer = setTimeout(() => this.end(n.key), this.windowMs);
    timer.unref();
    this.windows.set(n.key, { count: 1, latest: n, timer });
    return true;
  }

  /** Ends every window now (on close), sending the folded notifications. */
  flush(): void {
    for (const key of [...this.windows.keys()]) this.end(key);
  }

  /** Windows open. */
  get open(): number {
    return this.windows.size;
  }

  private end(key: string): void {
    const w = this.windows.get(key);
    if (!w) return;
    clearTimeout(w.timer);
    this.windows.delete(key);
    if (w.count > 1) this.emit({ ...w.latest, repeats: { count: w.count, windowMs: this.windowMs } });
  }
}
