/**
 * A recorded stream played as if it were live: a bar file (CSV, Parquet, or any feed), or a list
 * of messages, at real speed (1), N times faster, or as fast as possible (`'max'`). Paper trading
 * on a replay is the rehearsal of a live session; as fast as possible, it is the proof that a
 * live run and a backtest agree.
 */
import { DataFeed, type OhlcvColumns } from '../feeds/datafeed.js';
import { backtraderCsv } from '../feeds/csv.js';
import { parquet } from '../feeds/parquet.js';
import type { BarFrame } from '../feeds/timeframe.js';
import { ParamError } from '../errors.js';
import type { BookMessage, LiveMessage, LiveSink, LiveSource } from './source.js';
import { bookDeltas } from './book-deltas.js';
import { Level2Feed } from '../feeds/level2.js';

/** Options of {@link replaySource}. */
export interface ReplaySourceOptions {
  /** Data name (default: the feed's name, or `replay`). */
  name?: string;
  /** `'max'` (default): as fast as possible; a number: times real speed (1 = the recorded pace). */
  speed?: number | 'max';
  /** The first `history` bars are warm-up history, not replayed live (default 0). */
  history?: number;
  /** What each bar becomes: a bar message (default), or a tick at its close (bars are then built live). */
  as?: 'bars' | 'ticks';
  /** Frame of the bars the run builds (default: the feed's; required for a list of messages). */
  frame?: BarFrame;
  /** A Level2 feed's bar width, ms (default 60,000, as Level2 feeds). */
  barMs?: number;
  /**
   * How a Level2 feed's rows are sent: `'snapshots'` (default, one book message per row) or
   * `'deltas'` (a first snapshot with a sequence number, then per row the level changes, as a
   * venue's incremental feed; see `bookDeltas`).
   */
  book?: 'snapshots' | 'deltas';
  /** Messages pushed per turn of the event loop when replaying as fast as possible (default 4096). */
  chunk?: number;
}

const MAX_WAIT = 2 ** 31 - 1;

function asFeed(input: DataFeed | string): DataFeed {
  if (input instanceof DataFeed) return input;
  if (typeof input === 'string') return /\.parquet$/i.test(input) ? parquet(input) : backtraderCsv(input);
  throw new ParamError('replaySource takes a data feed, a CSV or Parquet path, or an array of messages');
}

function slice(c: OhlcvColumns, from: number, to: number): OhlcvColumns {
  return {
    datetime: c.datetime.slice(from, to), open: c.open.slice(from, to), high: c.high.slice(from, to), low: c.low.slice(from, to),
    close: c.close.slice(from, to), volume: c.volume.slice(from, to), openinterest: c.openinterest.slice(from, to),
  };
}

/** A Level2 feed's rows as book messages. */
function bookMessagesOf(feed: Level2Feed): LiveMessage[] {
  const b = feed.book;
  const dt = feed.columns.datetime;
  const level = (cols: Float64Array[], i: number) => cols.map((c) => c[i]!);
  const out: LiveMessage[] = new Array(feed.size);
  for (let i = 0; i < feed.size; i++) {
    out[i] = {
      type: 'book', time: dt[i]!, bidPrice: level(b.bidPrice, i), bidVolume: level(b.bidVolume, i), askPrice: level(b.askPrice, i),
      askVolume: level(b.askVolume, i), last: b.last[i]!, lastVolume: b.lastVolume[i]!, side: b.side[i]!,
    };
  }
  return out;
}

function messagesOf(feed: DataFeed, from: number, as: 'bars' | 'ticks'): LiveMessage[] {
  const c = feed.columns;
  const out: LiveMessage[] = new Array(feed.size - from);
  for (let i = from; i < feed.size; i++) {
    out[i - from] = as === 'bars'
      ? { type: 'bar', time: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]!, openinterest: c.openinterest[i]! }
      : { type: 'tick', time: c.datetime[i]!, price: c.close[i]!, size: c.volume[i]! };
  }
  return out;
}

/**
 * Replays a feed (or a CSV/Parquet path, or a list of messages) as a live source.
 *
 * ```ts
 * await cerebro.runLive({ sources: [replaySource('data.csv', { speed: 'max' })], broker: paper() });
 * await cerebro.runLive({ sources: [replaySource(feeds.parquet('ticks.parquet'), { speed: 60, as: 'ticks', frame: { timeframe: 'Minutes', compression: 1 } })] });
 * ```
 * @throws ParamError for a bad speed, history or chunk, or messages without a frame.
 */
export function replaySource(input: DataFeed | string | readonly LiveMessage[], options: ReplaySourceOptions = {}): LiveSource {
  const speed = options.speed ?? 'max';
  if (speed !== 'max' && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) {
    throw new ParamError(`replaySource: speed must be 'max' or a number > 0 (1 = real time), got ${String(speed)}`);
  }
  const chunk = options.chunk ?? 4096;
  if (!Number.isInteger(chunk) || chunk < 1) throw new ParamError(`replaySource: chunk must be a whole number >= 1, got ${chunk}`);
  const historyBars = options.history ?? 0;
  if (!Number.isInteger(historyBars) || historyBars < 0) throw new ParamError(`replaySource: history must be a whole number >= 0, got ${historyBars}`);

  let feed: DataFeed | null = null;
  let messages: readonly LiveMessage[];
  let frame: BarFrame;
  if (Array.isArray(input)) {
    if (!options.frame) throw new ParamError('replaySource: a list of messages needs options.frame (the bars the run builds)');
    if (historyBars > 0) throw new ParamError('replaySource: history needs a feed; a list of messages has no bars to warm up from');
    messages = input;
    frame = options.frame;
  } else {
    feed = asFeed(input as DataFeed | string);
    if (feed instanceof Level2Feed && historyBars > 0) throw new ParamError('replaySource: a Level2 feed replays whole (history is for bar feeds)');
    if (historyBars > feed.size) throw new ParamError(`replaySource: history ${historyBars} is more than the ${feed.size} bars of '${feed.name}'`);
    if (options.book !== undefined && options.book !== 'snapshots' && options.book !== 'deltas') {
      throw new ParamError(`replaySource: book must be 'snapshots' or 'deltas', got ${String(options.book)}`);
    }
    messages = feed instanceof Level2Feed
      ? options.book === 'deltas' ? bookDeltas(bookMessagesOf(feed) as BookMessage[]) : bookMessagesOf(feed)
      : messagesOf(feed, historyBars, options.as ?? 'bars');
    frame = options.frame ?? (feed instanceof Level2Feed ? { timeframe: 'Ticks', compression: 1 } : feed.frame);
  }
  const timeOf = (m: LiveMessage): number => ('time' in m ? m.time : NaN);

  let stopped = false;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  const clear = () => {
    if (timer === null) return;
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
    timer = null;
  };
  return {
    name: options.name ?? feed?.name ?? 'replay',
    frame,
    ...(feed instanceof Level2Feed ? { level2: { depth: feed.depth, barMs: options.barMs ?? 60_000, latencyMs: feed.latencyMs } } : {}),
    // As fast as possible, the run's clock follows the data (see LiveClock).
    paced: speed !== 'max',
    ...(feed && feed.size > 0 ? { startTime: feed.columns.datetime[0]! } : messages.length > 0 && 'time' in messages[0]! ? { startTime: messages[0].time } : {}),
    ...(feed?.tz === undefined ? {} : { tz: feed.tz }),
    ...(feed?.calendar === undefined ? {} : { calendar: feed.calendar }),
    history: () => (feed && historyBars > 0 ? slice(feed.columns, 0, historyBars) : undefined),
    start(sink: LiveSink) {
      let at = 0;
      if (speed === 'max') {
        // Chunks, one per turn of the event loop, so a stop or a signal gets in between.
        const step = () => {
          timer = null;
          if (stopped) return;
          const end = Math.min(messages.length, at + chunk);
          sink.pushMany(at === 0 && end === messages.length ? messages : messages.slice(at, end));
          at = end;
          if (at >= messages.length) sink.end();
          else timer = setImmediate(step);
        };
        timer = setImmediate(step);
        return;
      }
      const t0 = messages.length > 0 ? timeOf(messages[0]!) : 0;
      const wall0 = Date.now();
      const step = () => {
        timer = null;
        if (stopped) return;
        const now = Date.now();
        // Everything due by now goes at once (a slow turn of the event loop catches up).
        while (at < messages.length) {
          const t = timeOf(messages[at]!);
          if (Number.isFinite(t) && wall0 + (t - t0) / speed > now) break;
          sink.push(messages[at++]!);
        }
        if (at >= messages.length) {
          sink.end();
          return;
        }
        const due = wall0 + (timeOf(messages[at]!) - t0) / speed;
        timer = setTimeout(step, Math.min(MAX_WAIT, Math.max(0, due - Date.now())));
      };
      step();
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
