/**
 * A `LiveSource` over a ccxt exchange: the venue's websocket pushes when the exchange has them
 * (ccxt pro's `watchOHLCV`, `watchTrades`, `watchOrderBook`; see ./stream-source.ts), else REST
 * polling: closed candles (`fetchOHLCV`), trades (`fetchTrades`) or best bid/ask (`fetchTicker`),
 * every `pollMs`. Warm-up history comes through `fetchOHLCV` paged forward from `history` bars
 * before now. Failures of the venue put the source
 * in `reconnecting` (status messages into the session, connection events on the bus) with
 * backoff and jitter; the first good answer after them is a reconnect. Answers of the wrong shape
 * are counted and logged, never fatal.
 *
 * Candle times: ccxt gives a candle's open time; ferrotrade stamps an intraday bar with its end
 * (as the resampler does) and a daily bar with the midnight of its day.
 */
import { ParamError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import type { OhlcvColumns } from '../../feeds/datafeed.js';
import type { BarFrame } from '../../feeds/timeframe.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import type { LiveSink, LiveSource } from '../../live/source.js';
import type { TradingCalendar } from '../../time/calendar.js';
import { ConnectionMachine, type BackoffOptions } from '../connection.js';
import { poller } from '../poller.js';
import { isTransient, keepRawBodies, unparsedBody } from './errors.js';
import type { CcxtExchange, CcxtOhlcv } from './exchange.js';
import { loadCcxt } from './load.js';
import { watchSource, type CcxtWatchingMarket } from './stream-source.js';
import { canWatch } from './watch.js';

/** Options of {@link ccxtSource}. */
export interface CcxtSourceOptions {
  /** A ccxt exchange instance, or its id (made with `enableRateLimit`; public data needs no keys). */
  exchange: CcxtExchange | string;
  /** Unified symbol, e.g. `'BTC/USDT'`. */
  symbol: string;
  /** Bar frame; candles are fetched at the matching ccxt timeframe (`1m`, `5m`, `1h`, `1d`, ...). */
  frame: BarFrame;
  /** What is polled or watched: closed candles (default), trades (bars built from them) or quotes. */
  poll?: 'ohlcv' | 'trades' | 'quotes';
  /**
   * `'websocket'` (the exchange's `watch*` method for `poll`; an error when it has none), `'poll'`
   * (REST), or `'auto'` (default): websockets when `exchange.has` lists the method. An exchange
   * given by id is made from `ccxt.pro` unless this is `'poll'`. With websockets, `stop()` closes
   * the exchange's sockets: give the source an exchange instance of its own.
   */
  transport?: 'auto' | 'websocket' | 'poll';
  /** Poll interval, ms (default 1000). */
  pollMs?: number;
  /** Warm-up: this many bars before now, fetched page by page (default 0). */
  history?: number;
  /** Candles asked for per `fetchOHLCV` call (default 1000, Binance's maximum). */
  pageLimit?: number;
  /** The data's name (default the symbol). */
  name?: string;
  tz?: string;
  calendar?: TradingCalendar;
  bus?: EventBus;
  backoff?: BackoffOptions;
  logger?: Logger | false;
  /** Clock for "now" (default Date.now). */
  now?: () => number;
  /** The source ends after delivering a bar at or past this time (ms; default: runs until stopped). */
  endAt?: number;
  /** The source ends after this many live bars (default: runs until stopped). */
  maxBars?: number;
  /**
   * False when the candles polled are recorded ones played faster than real time (a local test
   * market): the session's clock then follows the data (default true: the wall clock).
   */
  paced?: boolean;
}

const UNIT: Record<string, [string, number]> = {
  Minutes: ['m', 60_000], Hours: ['h', 3_600_000], Days: ['d', 86_400_000], Weeks: ['w', 604_800_000],
};

/** The ccxt timeframe and its length in ms for a bar frame. */
export function ccxtTimeframe(frame: BarFrame): { timeframe: string; ms: number } {
  let { timeframe, compression } = frame;
  if (timeframe === 'Minutes' && compression % 60 === 0) [timeframe, compression] = ['Hours', compression / 60];
  const unit = UNIT[timeframe];
  if (!unit) throw new ParamError(`ccxtSource: no ccxt timeframe for ${compression} ${timeframe}; use Minutes, Hours, Days or Weeks`);
  return { timeframe: `${compression}${unit[0]}`, ms: compression * unit[1] };
}

/** What a ccxt source counted. */
export interface CcxtSourceStats {
  /** REST polls made. */
  polls: number;
  /** Answers, candles, trades or websocket frames of the wrong shape (skipped). */
  malformed: number;
  reconnects: number;
  /** Order books taken again from a snapshot after a gap in their update ids (websockets). */
  resyncs: number;
}

const WATCH_METHOD = { ohlcv: 'watchOHLCV', trades: 'watchTrades', quotes: 'watchOrderBook' } as const;

/** A live source over a ccxt exchange (see the module comment). */
export function ccxtSource(options: CcxtSourceOptions): LiveSource & { readonly stats: CcxtSourceStats } {
  const { timeframe, ms } = ccxtTimeframe(options.frame);
  const daily = ms >= 86_400_000;
  const pollMs = options.pollMs ?? 1000;
  const pageLimit = options.pageLimit ?? 1000;
  const mode = options.poll ?? 'ohlcv';
  const now = options.now ?? Date.now;
  const name = options.name ?? options.symbol;
  const log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component: `source:ccxt:${name}` });
  const conn = new ConnectionMachine(`source:ccxt:${name}`, options.bus, now);
  const stats: CcxtSourceStats = { polls: 0, malformed: 0, reconnects: 0, resyncs: 0 };
  const transport = options.transport ?? 'auto';
  let streaming: { stop(): Promise<void> } | undefined;
  let ex: CcxtExchange | undefined;
  let lastOpen = -Infinity;
  let liveBars = 0;
  let lastTradeTime = now();
  const seenTrades = new Set<string>();

  const exchange = async () => {
    if (ex) return ex;
    if (typeof options.exchange !== 'string') ex = options.exchange;
    else {
      const ccxt = await loadCcxt();
      const pro = transport === 'poll' ? undefined : (ccxt.pro as Record<string, unknown> | undefined)?.[options.exchange];
      const Ctor = (pro ?? ccxt[options.exchange]) as (new (o: Record<string, unknown>) => CcxtExchange) | undefined;
      if (typeof Ctor !== 'function') throw new ParamError(`ccxt has no exchange '${options.exchange}'`);
      ex = new Ctor({ enableRateLimit: true });
    }
    keepRawBodies(ex);
    return ex;
  };
  const barTime = (open: number) => (daily ? open : open + ms);
  const validCandle = (c: unknown): c is CcxtOhlcv => Array.isArray(c) && c.length >= 5 && c.slice(0, 5).every((v) => typeof v === 'number' && Number.isFinite(v));

  /** Candles from `since` up to now, page by page; only closed ones (open + interval <= now). */
  async function closedCandles(since: number): Promise<CcxtOhlcv[]> {
    const e = await exchange();
    const out: CcxtOhlcv[] = [];
    let from = since;
    for (let page = 0; page < 1000; page++) {
      const rows = await e.fetchOHLCV(options.symbol, timeframe, from, pageLimit);
      const unparsed = unparsedBody(e);
      if (unparsed !== undefined) throw Object.assign(new Error(`fetchOHLCV answered a body that is not JSON: ${unparsed.slice(0, 80)}`), { malformed: true });
      if (!Array.isArray(rows)) throw Object.assign(new Error(`fetchOHLCV answered ${typeof rows}`), { malformed: true });
      let advanced = false;
      for (const r of rows) {
        if (!validCandle(r)) {
          stats.malformed++;
          log?.warn({ candle: JSON.stringify(r)?.slice(0, 120) }, 'malformed candle skipped');
          continue;
        }
        if (r[0] < from || r[0] + ms > now()) continue;
        if (out.length === 0 || r[0] > out[out.length - 1]![0]) out.push(r);
        advanced = true;
      }
      if (rows.length < pageLimit || !advanced) break;
      from = out[out.length - 1]![0] + 1;
    }
    return out;
  }

  /** Pushes a closed candle (once, in order); false when the source has reached its end. */
  function deliver(sink: LiveSink, c: CcxtOhlcv): boolean {
    if (c[0] <= lastOpen) return true;
    lastOpen = c[0];
    sink.push({ type: 'bar', time: barTime(c[0]), open: c[1], high: c[2], low: c[3], close: c[4], volume: c[5] ?? 0 });
    liveBars++;
    return !((options.endAt !== undefined && barTime(c[0]) >= options.endAt) || (options.maxBars !== undefined && liveBars >= options.maxBars));
  }

  async function pollOnce(sink: LiveSink): Promise<void> {
    const e = await exchange();
    stats.polls++;
    if (mode === 'ohlcv') {
      for (const c of await closedCandles(Number.isFinite(lastOpen) ? lastOpen + 1 : now() - ms)) {
        if (!deliver(sink, c)) {
          polling.halt();
          sink.end();
          return;
        }
      }
    } else if (mode === 'trades') {
      const trades = await e.fetchTrades(options.symbol, lastTradeTime);
      if (!Array.isArray(trades)) throw Object.assign(new Error('fetchTrades answered no list'), { malformed: true });
      for (const t of trades) {
        if (!t || !Number.isFinite(t.price) || !Number.isFinite(t.timestamp)) {
          stats.malformed++;
          continue;
        }
        const key = `${t.id}`;
        if (seenTrades.has(key)) continue;
        seenTrades.add(key);
        lastTradeTime = Math.max(lastTradeTime, t.timestamp);
        sink.push({ type: 'tick', time: t.timestamp, price: t.price, size: t.amount });
      }
    } else {
      // the best bid and ask (Binance: /api/v3/ticker/bookTicker); the ticker where there is no such call
      const t = e.has.fetchBidsAsks && e.fetchBidsAsks ? (await e.fetchBidsAsks([options.symbol]))[options.symbol] : await e.fetchTicker(options.symbol);
      if (!t || !Number.isFinite(t.bid ?? NaN) || !Number.isFinite(t.ask ?? NaN)) {
        stats.malformed++;
        log?.warn('ticker without bid/ask skipped');
        return;
      }
      sink.push({ type: 'quote', time: t!.timestamp ?? now(), bid: t!.bid!, ask: t!.ask!, ...(t!.bidVolume === undefined ? {} : { bidSize: t!.bidVolume }), ...(t!.askVolume === undefined ? {} : { askSize: t!.askVolume }) });
    }
  }

  const polling = poller({
    conn, stats, pollMs, backoff: options.backoff, pollOnce, isTransient,
    onPermanent: (err) => log?.error({ err: String((err as Error)?.message ?? err).slice(0, 200) }, 'poll failed'),
  });

  return {
    name,
    frame: options.frame,
    ...(options.tz === undefined ? {} : { tz: options.tz }),
    ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    stats,
    ...(options.paced === undefined ? {} : { paced: options.paced }),
    async history(): Promise<OhlcvColumns | undefined> {
      const n = options.history ?? 0;
      if (n <= 0) return undefined;
      conn.to('connecting');
      const e = await exchange();
      await e.loadMarkets();
      // n bars back in time; a market with gaps (weekends, halts) needs a wider window
      let span = n + 1;
      let candles = await closedCandles(now() - span * ms);
      for (let i = 0; i < 12 && candles.length < n; i++) {
        span *= 2;
        const wider = await closedCandles(now() - span * ms);
        if (candles.length > 0 && wider.length === candles.length) break; // the venue has no more
        candles = wider;
      }
      candles = candles.slice(-n);
      if (candles.length > 0) lastOpen = candles[candles.length - 1]![0];
      const col = (i: number) => Float64Array.from(candles, (c) => (i === 0 ? barTime(c[0]) : c[i] ?? 0));
      return { datetime: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5), openinterest: new Float64Array(candles.length) };
    },
    async start(sink: LiveSink) {
      if (!Number.isFinite(lastOpen)) lastOpen = Math.floor(now() / ms) * ms - ms; // from the bar that closes next
      const e = await exchange();
      const method = WATCH_METHOD[mode];
      const watchable = canWatch(e, method);
      if (transport === 'websocket' && !watchable) throw new ParamError(`ccxtSource: ${e.id} has no ${method} (use ccxt.pro.${e.id}, or transport: 'poll')`);
      if (transport === 'poll' || !watchable) return polling.start(sink);
      if (conn.state === 'idle' || conn.state === 'stopped') conn.to('connecting');
      streaming = await watchSource({
        exchange: e as unknown as CcxtWatchingMarket, symbol: options.symbol, mode, timeframe, ms, conn, stats, backoff: options.backoff, now,
        lastOpen: () => lastOpen,
        deliverCandle: (c) => deliver(sink, c),
        closedSince: (since) => closedCandles(since),
        onFailure: (err) => log?.warn({ err: String((err as Error)?.message ?? err).slice(0, 200) }, 'stream failure'),
      }, sink);
    },
    stop: async () => {
      const s = streaming;
      streaming = undefined;
      if (s) await s.stop();
      else await polling.stop();
    },
  };
}
