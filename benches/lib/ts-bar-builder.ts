/**
 * The trade-to-bar builder live sessions used before bars were built in Rust (kept here as the
 * tick bench's baseline only).
 *
 * Builds bars from live trades, as the resampler builds them from a tick file: a bar covers the
 * time up to its boundary (xx:00, xx:05, ... for five-minute bars) and is stamped with that
 * boundary (backtrader's `bar2edge`, `adjbartime`, `rightedge`); a trade exactly on a boundary
 * belongs to the bar ending there. Daily bars are stamped at midnight of their day, as daily
 * files are. A bar completes when the first trade past its boundary arrives, or when the clock
 * passes the boundary (`flushDue`), so a quiet market still gets its bar on time.
 */
import { ParamError } from '../../ts/errors.js';
import type { BarFrame } from '../../ts/feeds/timeframe.js';
import type { LiveBar } from '../../ts/live/live-feed.js';

const UNIT: Record<string, number> = { Seconds: 1000, Minutes: 60_000, Hours: 3_600_000, Days: 86_400_000 };

/** The open bar and the rule that closes it. */
export class BarBuilder {
  private readonly span: number;
  private readonly daily: boolean;
  private open = false;
  private readonly bar: Required<LiveBar> = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, openinterest: 0 };
  /** The end of the open bar's interval. */
  private end = -Infinity;

  constructor(frame: BarFrame) {
    const unit = UNIT[frame.timeframe];
    if (unit === undefined) {
      throw new ParamError(`live bars from trades are built for Seconds, Minutes, Hours or Days; got ${frame.timeframe} (send bar messages for other frames)`);
    }
    this.span = unit * frame.compression;
    this.daily = frame.timeframe === 'Days';
  }

  /** The end of the interval a trade at `t` belongs to. */
  boundary(t: number): number {
    return Math.ceil(t / this.span) * this.span;
  }

  /** Adds a trade; returns the bar it completed (a copy), or null. */
  add(time: number, price: number, size: number): LiveBar | null {
    let done: LiveBar | null = null;
    const b = this.bar;
    if (this.open && time > this.end) done = this.take();
    if (!this.open) {
      this.open = true;
      this.end = this.daily ? Math.floor(time / this.span) * this.span + this.span - 1 : this.boundary(time);
      b.time = this.daily ? Math.floor(time / this.span) * this.span : this.end;
      b.open = b.high = b.low = b.close = price;
      b.volume = size;
      return done;
    }
    if (price > b.high) b.high = price;
    if (price < b.low) b.low = price;
    b.close = price;
    b.volume += size;
    return done;
  }

  /** Completes the open bar when the clock `now` has passed its end; returns it, or null. */
  flushDue(now: number): LiveBar | null {
    return this.open && now > this.end ? this.take() : null;
  }

  /** Completes the open bar whatever the time (end of the stream). */
  flush(): LiveBar | null {
    return this.open ? this.take() : null;
  }

  private take(): LiveBar {
    this.open = false;
    return { ...this.bar };
  }
}
