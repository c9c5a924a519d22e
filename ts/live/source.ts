/**
 * Live data in: what a source delivers and how the engine takes it. A source pushes messages
 * (bars, trades, quotes, book snapshots and deltas, connection changes) into a sink the engine gives it; a source written as
 * an async iterator is wrapped by {@link iterableSource}. Venue sources (exchanges, brokers) are
 * sources of this shape too.
 */
import type { OhlcvColumns } from '../feeds/datafeed.js';
import type { BarFrame } from '../feeds/timeframe.js';
import type { TradingCalendar } from '../time/calendar.js';
import type { LiveBar } from './live-feed.js';
import type { BookRow } from './live-level2-feed.js';

/** A completed bar. */
export interface BarMessage extends LiveBar {
  type: 'bar';
}

/** A trade printed on the venue (a tick): it builds bars of the source's frame. */
export interface TickMessage {
  type: 'tick';
  /** ms since 1970-01-01 in the data's own time. */
  time: number;
  price: number;
  size?: number;
}

/** The best bid and ask changed. */
export interface QuoteMessage {
  type: 'quote';
  time: number;
  bid: number;
  ask: number;
  bidSize?: number;
  askSize?: number;
}

/**
 * A snapshot of the order book (N levels a side) and the trade since the previous one. With a
 * `seq` it is also the base that book deltas apply to (the deltas after it carry `seq + 1`, ...),
 * and it ends a stale period after a sequence gap.
 */
export interface BookMessage extends BookRow {
  type: 'book';
  /** The venue's sequence number of the book this snapshot shows. */
  seq?: number;
}

/** One price level's change in a {@link BookDeltaMessage}. */
export interface LevelChange {
  side: 'bid' | 'ask';
  /** `add` a new level, `modify` the size of a level, `delete` a level. */
  action: 'add' | 'modify' | 'delete';
  price: number;
  /** The level's new size (`add`, `modify`). */
  size?: number;
}

/**
 * An incremental book update (a venue's depth diff): level changes applied in order to the book
 * of the last snapshot, then shown to strategies as a book row. `seq` is the previous update's
 * (or the snapshot's) plus one; a larger jump is a gap: counted, reported, and the book is stale
 * (deltas left out) until the next snapshot with a `seq`.
 */
export interface BookDeltaMessage {
  type: 'delta';
  time: number;
  seq: number;
  changes: readonly LevelChange[];
  /** The trade printed with this update (volume 0 or absent: none), as in {@link BookRow}. */
  last?: number;
  lastVolume?: number;
  side?: number;
}

/** The source's connection changed (a reconnect is `reconnecting` then `connected`). */
export interface StatusMessage {
  type: 'status';
  state: 'connected' | 'disconnected' | 'reconnecting';
  detail?: string;
}

/** Anything a live source delivers. */
export type LiveMessage = BarMessage | TickMessage | QuoteMessage | BookMessage | BookDeltaMessage | StatusMessage;

/** Where a source delivers: the engine's side of a subscription. */
export interface LiveSink {
  /** Delivers one message. Safe to call from any callback; never throws for bad data (it is counted). */
  push(message: LiveMessage): void;
  /** Delivers many messages at once (a replay's chunk), in order. */
  pushMany(messages: readonly LiveMessage[]): void;
  /** The source has nothing more (a replay reached its end). */
  end(): void;
  /** The source failed for good; the run stops with this error after a graceful shutdown. */
  error(err: unknown): void;
}

/** A live data source. */
export interface LiveSource {
  /** The data's name (`getDataByName`, reports, events). */
  readonly name: string;
  /** Frame of the bars the run builds: bars from `bar` messages, or ticks resampled to it. */
  readonly frame: BarFrame;
  /** IANA timezone of the times, and the trading calendar (timers, the scheduler). */
  readonly tz?: string;
  readonly calendar?: TradingCalendar;
  /**
   * False for a source that plays recorded data faster than real time (a replay as fast as
   * possible): the run's clock then follows the data's times. Default true (the wall clock).
   */
  readonly paced?: boolean;
  /**
   * A Level2 source (book messages): its depth, the width of the bars of its trades (default one
   * minute) and the latency of orders reaching its book (default 0), as a Level2 feed's options.
   * The session then runs tick by tick, as `runTicks()`.
   */
  readonly level2?: { depth: number; barMs?: number; latencyMs?: number };
  /** Time of the first message, when known ahead (a replay): a data-driven clock starts there. */
  readonly startTime?: number;
  /** Warm-up: the last bars before the first live one, so indicators are warm on the first `next()`. */
  history?(): OhlcvColumns | undefined | Promise<OhlcvColumns | undefined>;
  /** Starts delivering into `sink`; may resolve once subscribed. */
  start(sink: LiveSink): void | Promise<void>;
  /** Stops delivering (called on shutdown); nothing is pushed after it resolves. */
  stop(): void | Promise<void>;
}

/** Options of {@link iterableSource}. */
export interface IterableSourceOptions {
  frame: BarFrame;
  tz?: string;
  calendar?: TradingCalendar;
  history?: () => OhlcvColumns | undefined | Promise<OhlcvColumns | undefined>;
}

/**
 * A source from an (async) iterable of messages: a generator reading a socket, a queue, a file.
 *
 * ```ts
 * async function* ticks() { for await (const m of ws) yield { type: 'tick', time: m.t, price: m.p, size: m.q }; }
 * cerebro.runLive({ sources: [iterableSource('BTCUSDT', ticks(), { frame: { timeframe: 'Minutes', compression: 1 } })] });
 * ```
 */
export function iterableSource(name: string, iterable: AsyncIterable<LiveMessage> | Iterable<LiveMessage>, options: IterableSourceOptions): LiveSource {
  let stopped = false;
  let done: Promise<void> | null = null;
  return {
    name,
    frame: options.frame,
    ...(options.tz === undefined ? {} : { tz: options.tz }),
    ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    ...(options.history ? { history: options.history } : {}),
    start(sink) {
      done = (async () => {
        try {
          for await (const m of iterable as AsyncIterable<LiveMessage>) {
            if (stopped) return;
            sink.push(m);
          }
          if (!stopped) sink.end();
        } catch (err) {
          if (!stopped) sink.error(err);
        }
      })();
    },
    async stop() {
      stopped = true;
      const it = iterable as { return?: () => unknown };
      void it.return?.();
      await Promise.race([done, new Promise((r) => setTimeout(r, 50))]);
    },
  };
}
