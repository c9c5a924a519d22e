/**
 * The polling loop a REST-polled venue source runs (ccxt candles/trades/quotes, A-share quote
 * pages): one poll every `pollMs`, through the source's connection machine. A transient failure
 * (timeout, refused connection, 5xx, 429) reports the source disconnected once and retries with
 * backoff and jitter; a permanent one (a refusal, a page that cannot be read) is counted, logged
 * by the source and polling goes on. The first good poll after a failure counts a reconnect.
 */
import type { LiveSink } from '../live/source.js';
import { backoffDelay, type BackoffOptions, type ConnectionMachine } from './connection.js';

/** What the loop needs of a source. */
export interface PollerOptions {
  conn: ConnectionMachine;
  /** The source's counters: the loop adds to `reconnects` and `malformed`. */
  stats: { reconnects: number; malformed: number };
  pollMs: number;
  backoff?: BackoffOptions | undefined;
  /** One poll: reads the venue and pushes what it got to the sink. */
  pollOnce(sink: LiveSink): Promise<void>;
  /** Whether a failed poll is worth a reconnect with backoff (otherwise it is counted and skipped). */
  isTransient(err: unknown): boolean;
  /** Logs a permanent failure (already counted as malformed). */
  onPermanent(err: unknown): void;
}

/** A running poll loop. */
export interface Poller {
  /** Starts polling into `sink` at once. */
  start(sink: LiveSink): void;
  /** Ends the loop after the running poll (a source that delivered all it was asked for). */
  halt(): void;
  /** Ends the loop, waits for the running poll and marks the connection stopped. */
  stop(): Promise<void>;
  readonly stopped: boolean;
}

const detail = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 200);

/** Makes the poll loop of a source (see the module comment). */
export function poller(o: PollerOptions): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const loop = (sink: LiveSink, delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = o.pollOnce(sink).then(
        () => {
          if (o.conn.state === 'reconnecting') {
            o.stats.reconnects++;
            sink.push({ type: 'status', state: 'connected' });
          }
          if (stopped) return;
          o.conn.to('connected');
          loop(sink, o.pollMs);
        },
        (err: unknown) => {
          if (stopped) return;
          if (o.isTransient(err)) {
            if (o.conn.state !== 'reconnecting') sink.push({ type: 'status', state: 'disconnected', detail: detail(err) });
            o.conn.to('reconnecting', detail(err));
            loop(sink, backoffDelay(o.conn.attempts - 1, o.backoff));
          } else {
            o.stats.malformed++;
            o.onPermanent(err);
            loop(sink, o.pollMs);
          }
        },
      );
    }, delay);
  };

  return {
    start(sink) {
      stopped = false;
      // a source whose history() connected already is `connecting`; a new or stopped one starts
      if (o.conn.state === 'idle' || o.conn.state === 'stopped') o.conn.to('connecting');
      loop(sink, 0);
    },
    halt() {
      stopped = true;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      o.conn.to('stopped');
    },
    get stopped() {
      return stopped;
    },
  };
}
