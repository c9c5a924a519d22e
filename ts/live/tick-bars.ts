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
  }

  /** Holds the calendar's session ends well past `t` (computed a couple of months at a time). */
  private sessionsTo(t: number): void {
    const cal = this.calendar;
    if (!cal || t + DAY < this.coveredTo) return;
    const from = this.coveredTo === -Infinity ? t - DAY : this.coveredTo;
    const to = t + AHEAD;
    let ends = cal.sessionEnds(from, to, this.closesOnly);
    if (cal.tz && this.tz && cal.tz !== this.tz) ends = convertColumn(ends, cal.tz, this.tz);
    this.core.extendSessions(ends);
    this.coveredTo = to;
  }

  private read(): LiveBar {
    this.core.read(this.row);
    const r = this.row;
    return { time: r[0]!, open: r[1]!, high: r[2]!, low: r[3]!, close: r[4]!, volume: r[5]!, openinterest: r[6]! };
  }

  /**
   * Adds a trade; returns the bar it completed, or null.
   * @throws DataError for a time or price that is not finite or a negative size.
   */
  add(time: number, price: number, size: number): LiveBar | null {
    if (this.calendar) this.sessionsTo(time);
    return callNative(() => this.core.push(time, price, size)) > 0 ? this.read() : null;
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
    return callNative(() => this.core.pushMany(time, price, size));
  }

  /** Completes the open bar when the clock `now` has passed its end; returns it, or null. */
  flushDue(now: number): LiveBar | null {
    return this.core.flushDue(now) > 0 ? this.read() : null;
  }

  /** Completes the open bar whatever the time (the end of the stream); returns it, or null. */
  flush(): LiveBar | null {
    return this.core.finish() > 0 ? this.read() : null;
  }
}
