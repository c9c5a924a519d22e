/**
 * Trades (ticks) into bars, live: the resampler behind `resample()` in its streaming form (Rust,
 * `TickResampler`). A trade goes in, a completed bar comes out when that trade completes one —
 * with the bar edges, session cuts (a trading calendar's, lunch breaks included), stamps and
 * first and last bar of `resample()` over the same trades, bit for bit.
 *
 * A bar completes when the first trade past its edge arrives, or, in a session on the wall
 * clock, when the clock passes the edge ({@link TickBars.flushDue}) so a quiet market still gets
 * its bar on time. One difference follows from not knowing the future: the resampler stamps the
 * last bar of a session with the session end (a later trade tells it the session ended), while
 * a bar the clock closes before the session end carries its own edge.
 *
 * Cost per trade: a trade that cannot complete the open bar (before the bar's end, and no
 * earlier than the trade before it) is only written into a buffer shared with Rust; the held
 * trades cross into Rust together, in one plain-function call (`tickBarsPush`), with the first
 * trade that could complete a bar, or before a clock flush, a chunk or the end. The resampler
 * sees the same trades in the same order, so the bars are the same.
 */
import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import type { OhlcvColumns } from '../feeds/datafeed.js';
import { coreFrame, type BarFrame } from '../feeds/timeframe.js';
import type { TradingCalendar } from '../time/calendar.js';
import { convertColumn } from '../time/timezone.js';
import type { LiveBar } from './live-feed.js';

const DAY = 86_400_000;
/** backtrader's default session end: 23:59:59.999990. */
const DEFAULT_SESSION_END = DAY - 0.01;
/** Session ends are computed this far ahead of the trades, and extended before they run out. */
const AHEAD = 62 * DAY;
const FRAMES = new Set(['Ticks', 'Seconds', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Years']);
/** Trades held at most before they are pushed (a bar with more takes several crossings). */
const HOLD = 1024;

/** Where sessions end for {@link TickBars}. */
export interface TickBarsOptions {
  /** A trading calendar: bars close at each of its session ends (as `resample()` with it). */
  calendar?: TradingCalendar;
  /** Timezone of the trades' times (the calendar's ends are converted to it when they differ). */
  tz?: string;
}

/** A streaming resampler of trades into bars of one frame (see the module comment). */
export class TickBars {
  private readonly core: InstanceType<typeof native.TickResampler>;
  private readonly calendar: TradingCalendar | undefined;
  private readonly tz: string | undefined;
  private readonly closesOnly: boolean;
  /** Session ends are held up to here (calendar only). */
  private coveredTo = -Infinity;
  private readonly row = new Float64Array(7);
  /** Trades held back, `[time, price, size]` each, and the slot for the one that crosses with them. */
  private readonly held = new Float64Array(3 * (HOLD + 1));
  /** What `tickBarsPush` writes: a completed bar, then the instant before which a trade completes none. */
  private readonly out = new Float64Array(native.TICK_BARS_OUT_SIZE);
  private readonly handle: number;
  /** Trades held. */
  private count = 0;
  /** A trade before this joins the open bar and completes none (-Infinity: not known; every trade crosses). */
  private holdBefore = -Infinity;
  /** Time of the last trade added (a held trade must be no earlier). */
  private last = -Infinity;

  /**
   * @throws ParamError for a frame that is not a time frame with a whole compression >= 1.
   */
  constructor(frame: BarFrame, options: TickBarsOptions = {}) {
    if (!FRAMES.has(frame?.timeframe) || !Number.isInteger(frame.compression) || frame.compression < 1) {
      throw new ParamError(`bars from trades need a frame like { timeframe: 'Minutes', compression: 5 }; got ${JSON.stringify(frame)}`);
    }
    const target = coreFrame(frame);
    this.calendar = options.calendar;
    this.tz = options.tz;
    this.closesOnly = !['Ticks', 'Seconds', 'Minutes', 'Hours'].includes(frame.timeframe);
    const args = {
      sourceTimeframe: 'Ticks', sourceCompression: 1, timeframe: target.timeframe, compression: target.compression,
      bar2Edge: true, adjbartime: true, rightedge: true, boundoff: 0, sessionEnd: DEFAULT_SESSION_END,
      ...(this.calendar ? { sessionEnds: new Float64Array(0) } : {}),
    };
    this.core = callNative(() => new native.TickResampler(args));
    this.handle = callNative(() => this.core.bindBuffers(this.held, this.out));
  }

  /** Holds the calendar's session ends well past `t` (computed a couple of months at a time). */
  private sessionsTo(t: number): void {
    const cal = this.calendar;
    if (!cal || t + DAY < this.coveredTo) return;
    // Held trades go first, under the ends they were held with.
    this.release();
    const from = this.coveredTo === -Infinity ? t - DAY : this.coveredTo;
    const to = t + AHEAD;
    let ends = cal.sessionEnds(from, to, this.closesOnly);
    if (cal.tz && this.tz && cal.tz !== this.tz) ends = convertColumn(ends, cal.tz, this.tz);
    this.core.extendSessions(ends);
    this.coveredTo = to;
    // The bound may come earlier with the new ends.
    this.holdBefore = -Infinity;
  }

  /** Pushes the first `n` trades of `held` into Rust; returns how many bars they completed (the bar is in `out`). */
  private push(n: number): number {
    this.count = 0;
    this.holdBefore = -Infinity; // unknown until the push succeeds
    const done = callNative(() => native.tickBarsPush(this.handle, n));
    this.holdBefore = this.out[7]!;
    return done;
  }

  /** Pushes the held trades (they complete no bar). */
  private release(): void {
    if (this.count > 0) this.push(this.count);
  }

  private read(): LiveBar {
    this.core.read(this.row);
    return this.bar(this.row);
  }

  private bar(r: Float64Array): LiveBar {
    return { time: r[0]!, open: r[1]!, high: r[2]!, low: r[3]!, close: r[4]!, volume: r[5]!, openinterest: r[6]! };
  }

  /**
   * Adds a trade; returns the bar it completed, or null.
   * @throws DataError for a time or price that is not finite or a negative size.
   */
  add(time: number, price: number, size: number): LiveBar | null {
    if (this.calendar) this.sessionsTo(time);
    const k = 3 * this.count;
    const h = this.held;
    h[k] = time;
    h[k + 1] = price;
    h[k + 2] = size;
    // Held: a good trade that joins the open bar without completing it (see the module comment).
    if (time < this.holdBefore && time >= this.last && Number.isFinite(price) && size >= 0 && size < Infinity && this.count < HOLD) {
      this.count++;
      this.last = time;
      return null;
    }
    const done = this.push(this.count + 1);
    this.last = time;
    return done > 0 ? this.bar(this.out) : null;
  }

  /**
   * Adds trades given as columns (a replay's chunk: one crossing into Rust for all of them);
   * returns the bars they completed.
   * @throws DataError for a bad trade (the ones before it are added).
   */
  addMany(time: Float64Array, price: Float64Array, size: Float64Array): OhlcvColumns {
    if (this.calendar && time.length > 0) {
      // Ends for the whole chunk (a chunk spanning months gets them all).
      this.sessionsTo(time[time.length - 1]!);
    }
    this.release();
    this.holdBefore = -Infinity; // the next trade crosses and learns the new bound
    return callNative(() => this.core.pushMany(time, price, size));
  }

  /** Completes the open bar when the clock `now` has passed its end; returns it, or null. */
  flushDue(now: number): LiveBar | null {
    // A clock before the bound is not past the open bar's end: it closes nothing (no crossing needed).
    if (now <= this.holdBefore) return null;
    this.release();
    return this.core.flushDue(now) > 0 ? this.read() : null;
  }

  /** Completes the open bar whatever the time (the end of the stream); returns it, or null. */
  flush(): LiveBar | null {
    this.release();
    this.holdBefore = -Infinity; // a finished stream refuses further trades (in Rust)
    return this.core.finish() > 0 ? this.read() : null;
  }
}
