/**
 * The ccxt source's websocket side: the market's own pushes through ccxt pro's `watch*` methods
 * instead of REST polling.
 *
 * - `ohlcv`: `watchOHLCV`. A candle is delivered once it is closed: when a later candle has
 *   started or its interval has passed. After a reconnect the candles closed while the socket was
 *   down are fetched by REST (`fetchOHLCV`) before the stream goes on, so none is lost.
 * - `trades`: `watchTrades`, one tick per trade (by trade id, once).
 * - `quotes`: `watchOrderBook` (Binance: the diff stream applied on top of a REST snapshot by the
 *   `U`/`u` update ids; a gap makes ccxt fail the book, and the loop subscribes again, which
 *   takes a fresh snapshot): a quote whenever the best bid or ask changes.
 */
import type { LiveSink } from '../../live/source.js';
import type { BackoffOptions, ConnectionMachine } from '../connection.js';
import type { CcxtOhlcv, CcxtTrade } from './exchange.js';
import { guardSockets, prepareWebsockets, watchLoop, type WatchLoop } from './watch.js';

/** The ccxt pro methods the source calls. */
export interface CcxtWatchingMarket {
  watchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<CcxtOhlcv[]>;
  watchTrades(symbol: string, since?: number, limit?: number): Promise<CcxtTrade[]>;
  watchOrderBook(symbol: string, limit?: number): Promise<{ bids: [number, number][]; asks: [number, number][]; timestamp?: number; nonce?: number }>;
  close?(): Promise<void>;
}

/** What the websocket side needs from the source. */
export interface WatchSourceOptions {
  exchange: CcxtWatchingMarket;
  symbol: string;
  mode: 'ohlcv' | 'trades' | 'quotes';
  timeframe: string;
  /** Interval of a candle, ms. */
  ms: number;
  conn: ConnectionMachine;
  stats: { malformed: number; reconnects: number; resyncs: number };
  backoff?: BackoffOptions | undefined;
  now(): number;
  /** The open time of the last candle delivered (history's last, at first). */
  lastOpen(): number;
  /** Delivers one closed candle; returns false when the source is done (its end reached). */
  deliverCandle(c: CcxtOhlcv): boolean;
  /** Candles closed after `since` (open time), by REST: the gap of a reconnect. */
  closedSince(since: number): Promise<CcxtOhlcv[]>;
  onFailure(err: unknown): void;
}

const validCandle = (c: unknown): c is CcxtOhlcv => Array.isArray(c) && c.length >= 5 && c.slice(0, 5).every((v) => typeof v === 'number' && Number.isFinite(v));

/** Starts streaming into `sink`; resolves with the stop. */
export async function watchSource(o: WatchSourceOptions, sink: LiveSink): Promise<{ stop(): Promise<void> }> {
  await prepareWebsockets(o.exchange, o.backoff);
  let loop: WatchLoop | undefined;
  let ended = false;
  const unguard = guardSockets(o.exchange, {
    onMalformed: () => o.stats.malformed++,
    onOpen: () => {
      if (o.conn.state === 'connecting') o.conn.to('connected');
      loop?.socketOpened();
    },
  });
  const end = () => {
    ended = true;
    loop?.stop();
    sink.end();
  };

  // ---- candles ----
  const pending = new Map<number, CcxtOhlcv>();
  const flushCandles = () => {
    const opens = [...pending.keys()].sort((a, b) => a - b);
    for (let i = 0; i < opens.length && !ended; i++) {
      const t = opens[i]!;
      if (t <= o.lastOpen()) {
        pending.delete(t);
        continue;
      }
      const closed = i < opens.length - 1 || t + o.ms <= o.now();
      if (!closed) break;
      const c = pending.get(t)!;
      pending.delete(t);
      if (!o.deliverCandle(c)) end();
    }
  };
  const onCandles = (rows: CcxtOhlcv[]) => {
    for (const r of Array.isArray(rows) ? rows : []) {
      if (!validCandle(r)) {
        o.stats.malformed++;
        continue;
      }
      pending.set(r[0], r);
    }
    flushCandles();
  };

  // ---- trades ----
  const seen = new Set<string>();
  const onTrades = (trades: CcxtTrade[]) => {
    for (const t of Array.isArray(trades) ? trades : []) {
      if (!t || !Number.isFinite(t.price) || !Number.isFinite(t.timestamp)) {
        o.stats.malformed++;
        continue;
      }
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      sink.push({ type: 'tick', time: t.timestamp, price: t.price, size: t.amount });
    }
  };

  // ---- best bid / ask ----
  let lastQuote = '';
  const onBook = (book: { bids: [number, number][]; asks: [number, number][]; timestamp?: number }) => {
    const bid = book?.bids?.[0];
    const ask = book?.asks?.[0];
    if (!bid || !ask) return;
    const key = `${bid[0]}/${bid[1]}/${ask[0]}/${ask[1]}`;
    if (key === lastQuote) return;
    lastQuote = key;
    sink.push({ type: 'quote', time: book.timestamp ?? o.now(), bid: bid[0], ask: ask[0], bidSize: bid[1], askSize: ask[1] });
  };

  const ex = o.exchange;
  const common = {
    conn: o.conn,
    backoff: o.backoff,
    onDrop: (err: unknown) => {
      if (o.conn.attempts === 1) sink.push({ type: 'status', state: 'disconnected', detail: String((err as Error)?.message ?? err).slice(0, 200) });
    },
    onReconnect: () => {
      o.stats.reconnects++;
      sink.push({ type: 'status', state: 'connected' });
      if (o.mode === 'ohlcv') {
        // the candles that closed while the socket was down
        o.closedSince(o.lastOpen() + 1).then(onCandles, (err: unknown) => o.onFailure(err));
      }
    },
    // a book whose update ids had a gap: the next watch takes a new snapshot
    onResync: () => o.stats.resyncs++,
    onFailure: (err: unknown) => {
      o.stats.malformed++;
      o.onFailure(err);
    },
  };
  if (o.mode === 'ohlcv') loop = watchLoop({ what: 'watchOHLCV', ...common, watch: () => ex.watchOHLCV(o.symbol, o.timeframe), onData: onCandles });
  else if (o.mode === 'trades') loop = watchLoop({ what: 'watchTrades', ...common, watch: () => ex.watchTrades(o.symbol), onData: onTrades });
  else loop = watchLoop({ what: 'watchOrderBook', ...common, failurePauseMs: 10, watch: () => ex.watchOrderBook(o.symbol), onData: onBook });
  // candles whose interval passed with no later candle yet: closed by the clock
  const clock = o.mode === 'ohlcv' ? setInterval(flushCandles, Math.min(1000, o.ms)) : undefined;
  clock?.unref?.();
  const running = loop;
  return {
    async stop() {
      if (clock) clearInterval(clock);
      running.stop();
      await ex.close?.().catch(() => undefined);
      await Promise.race([running.done, new Promise((r) => setTimeout(r, 1000).unref?.())]);
      unguard?.();
      o.conn.to('stopped');
    },
  };
}
