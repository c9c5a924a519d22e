/**
 * A `LiveSource` of Alpaca market data: the market-data WebSocket (`/v2/iex` or `/v2/sip`;
 * auth, then `subscribe` to the symbol's minute bars, trades or quotes; Alpaca's message arrays
 * `[{"T":"b",...}]`), with warm-up history from the REST bars endpoint
 * (`/v2/stocks/{symbol}/bars`, paged by `next_page_token`). After a dropped connection it
 * reconnects with backoff and jitter, subscribes again, and (for bars) fetches the bars it missed
 * meanwhile over REST, so no bar is lost and none is delivered twice.
 *
 * Bar times: Alpaca stamps a bar with its start; ferrotrade stamps an intraday bar with its end
 * (as the resampler does) and a daily bar with its day's start.
 */
import { ParamError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import type { OhlcvColumns } from '../../feeds/datafeed.js';
import type { BarFrame } from '../../feeds/timeframe.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import type { LiveMessage, LiveSink, LiveSource } from '../../live/source.js';
import type { TradingCalendar } from '../../time/calendar.js';
import { ConnectionMachine, type BackoffOptions } from '../connection.js';
import { resolveAlpacaConfig, type AlpacaConnectionOptions } from './config.js';
import { AlpacaRest } from './rest.js';
import { ReconnectingStream } from './stream.js';

/** Options of {@link alpacaSource}. */
export interface AlpacaSourceOptions extends AlpacaConnectionOptions {
  /** The symbol, e.g. `'AAPL'`. */
  symbol: string;
  /** Bar frame (default one minute). The bars stream is minute bars: other frames use `data: 'trades'`. */
  frame?: BarFrame;
  /** What is streamed: minute bars (default), trades (bars built from them) or quotes. */
  data?: 'bars' | 'trades' | 'quotes';
  /** Warm-up: this many bars before now from the REST bars endpoint (default 0). */
  history?: number;
  /** Bars asked for per REST page (default 10,000, Alpaca's maximum). */
  pageLimit?: number;
  /** The data's name (default the symbol). */
  name?: string;
  /** Timezone of the data (default America/New_York). */
  tz?: string;
  calendar?: TradingCalendar;
  bus?: EventBus;
  backoff?: BackoffOptions;
  heartbeatMs?: number;
  logger?: Logger | false;
  /** Clock for "now" (default Date.now). */
  now?: () => number;
  /** The source ends after delivering a bar at or past this time (ms). */
  endAt?: number;
  /** The source ends after this many live bars. */
  maxBars?: number;
  /** False when the market plays recorded bars faster than real time (a local test market): the clock follows the data. */
  paced?: boolean;
}

/** What the source counted. */
export interface AlpacaSourceStats {
  messages: number;
  malformed: number;
  reconnects: number;
  /** Bars fetched over REST after a reconnect (missed by the stream). */
  backfilled: number;
}

const UNIT: Record<string, [string, number]> = { Minutes: ['Min', 60_000], Hours: ['Hour', 3_600_000], Days: ['Day', 86_400_000], Weeks: ['Week', 604_800_000] };

/** Alpaca's `timeframe` parameter and the bar length in ms for a frame. */
export function alpacaTimeframe(frame: BarFrame): { timeframe: string; ms: number } {
  let { timeframe, compression } = frame;
  if (timeframe === 'Minutes' && compression % 60 === 0 && compression <= 23 * 60) [timeframe, compression] = ['Hours', compression / 60];
  const unit = UNIT[timeframe];
  if (!unit) throw new ParamError(`alpacaSource: Alpaca has no ${compression} ${timeframe} bars; use Minutes, Hours, Days or Weeks`);
  return { timeframe: `${compression}${unit[0]}`, ms: compression * unit[1] };
}

interface BarJson { t: string; o: number; h: number; l: number; c: number; v: number }
const isBar = (b: unknown): b is BarJson => {
  const x = b as Partial<BarJson> | null;
  return !!x && typeof x.t === 'string' && Number.isFinite(Date.parse(x.t)) && [x.o, x.h, x.l, x.c].every((v) => typeof v === 'number' && Number.isFinite(v));
};

/** A live source of Alpaca market data (see the module comment). */
export function alpacaSource(options: AlpacaSourceOptions): LiveSource & { readonly stats: AlpacaSourceStats } {
  if (!options.symbol) throw new ParamError("alpacaSource: give the symbol, e.g. symbol: 'AAPL'");
  const frame = options.frame ?? { timeframe: 'Minutes', compression: 1 };
  const { timeframe, ms } = alpacaTimeframe(frame);
  const mode = options.data ?? 'bars';
  if (mode === 'bars' && ms !== 60_000) throw new ParamError(`alpacaSource: Alpaca streams one-minute bars; for ${timeframe} bars use data: 'trades' (bars built from the trades)`);
  const cfg = resolveAlpacaConfig(options);
  const daily = ms >= 86_400_000;
  const now = options.now ?? Date.now;
  const name = options.name ?? options.symbol;
  const log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component: `source:alpaca:${name}` });
  const stats: AlpacaSourceStats = { messages: 0, malformed: 0, reconnects: 0, backfilled: 0 };
  const restStats = { requests: 0, rateLimited: 0, malformed: 0 };
  const rest = new AlpacaRest(cfg, restStats, { ...(options.backoff ? { backoff: options.backoff } : {}), ...(log ? { logger: log } : {}) });
  const conn = new ConnectionMachine(`source:alpaca:${name}`, options.bus, now);
  let lastBarStart = -Infinity;
  let liveBars = 0;
  let sink: LiveSink | undefined;
  let stream: ReconnectingStream | undefined;
  let ended = false;

  const barTime = (start: number) => (daily ? start : start + ms);

  /** Bars from `start` to `end` (ms), page by page. */
  async function bars(start: number, end: number): Promise<BarJson[]> {
    const out: BarJson[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const res = await rest.data<{ bars?: unknown; next_page_token?: unknown }>(`/v2/stocks/${encodeURIComponent(options.symbol)}/bars`, {
        timeframe, start: new Date(start).toISOString(), end: new Date(end).toISOString(), limit: options.pageLimit ?? 10_000,
        adjustment: 'raw', feed: cfg.feed, sort: 'asc', page_token: token,
      });
      const list = res?.bars ?? [];
      if (!Array.isArray(list)) throw new ParamError(`alpacaSource: the bars endpoint answered without a bars list: ${JSON.stringify(res).slice(0, 120)}`);
      for (const b of list) {
        if (isBar(b)) out.push(b);
        else {
          stats.malformed++;
          log?.warn({ bar: JSON.stringify(b)?.slice(0, 120) }, 'malformed bar skipped');
        }
      }
      if (typeof res.next_page_token !== 'string' || res.next_page_token === '') break;
      token = res.next_page_token;
    }
    return out;
  }

  function deliverBar(b: BarJson): void {
    const start = Date.parse(b.t);
    if (start <= lastBarStart || ended) return; // already delivered (history, or before a backfill)
    lastBarStart = start;
    const t = barTime(start);
    sink?.push({ type: 'bar', time: t, open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v ?? 0 });
    liveBars++;
    if ((options.endAt !== undefined && t >= options.endAt) || (options.maxBars !== undefined && liveBars >= options.maxBars)) {
      ended = true;
      void stream?.stop();
      sink?.end();
    }
  }

  function onData(msg: unknown, send: (m: unknown) => void, ready: boolean): 'ready' | `fatal:${string}` | void {
    if (!Array.isArray(msg)) throw new Error('a market-data message is an array');
    let verdict: 'ready' | `fatal:${string}` | undefined;
    for (const m of msg as Record<string, unknown>[]) {
      const T = m?.T;
      if (T === 'success' && m.msg === 'connected') send({ action: 'auth', key: cfg.keyId, secret: cfg.secretKey });
      else if (T === 'success' && m.msg === 'authenticated') send({ action: 'subscribe', [mode]: [options.symbol] });
      else if (T === 'subscription') verdict = 'ready';
      else if (T === 'error') {
        // 401/402 keys, 406 connection limit (Alpaca's plans allow few concurrent data connections), 409 plan without this feed
        if (m.code === 402 || m.code === 401 || m.code === 406 || m.code === 409) return `fatal:${String(m.msg)} (code ${String(m.code)})`;
        log?.warn({ code: m.code, msg: m.msg }, 'the market-data stream reported an error');
      } else if (ready && m?.S === options.symbol) {
        stats.messages++;
        const out = toMessage(m);
        if (out === undefined) {
          stats.malformed++;
          log?.warn({ message: JSON.stringify(m).slice(0, 120) }, 'malformed market-data message skipped');
        } else if (out.type === 'bar') deliverBar(m as unknown as BarJson);
        else if (!ended) sink?.push(out);
      } else if (ready && T !== 'success') {
        stats.malformed++;
        log?.warn({ message: JSON.stringify(m)?.slice(0, 120) }, 'unexpected market-data message skipped');
      }
    }
    return verdict;
  }

  function toMessage(m: Record<string, unknown>): LiveMessage | undefined {
    const t = Date.parse(String(m.t));
    if (!Number.isFinite(t)) return undefined;
    const n = (k: string) => (typeof m[k] === 'number' && Number.isFinite(m[k]) ? (m[k] as number) : undefined);
    if (m.T === 'b' && isBar(m)) return { type: 'bar', time: t, open: m.o, high: m.h, low: m.l, close: m.c, volume: m.v };
    if (m.T === 't' && n('p') !== undefined) return { type: 'tick', time: t, price: n('p')!, ...(n('s') === undefined ? {} : { size: n('s')! }) };
    if (m.T === 'q' && n('bp') !== undefined && n('ap') !== undefined) {
      return { type: 'quote', time: t, bid: n('bp')!, ask: n('ap')!, ...(n('bs') === undefined ? {} : { bidSize: n('bs')! }), ...(n('as') === undefined ? {} : { askSize: n('as')! }) };
    }
    return undefined;
  }

  return {
    name,
    frame,
    tz: options.tz ?? 'America/New_York',
    ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    ...(options.paced === undefined ? {} : { paced: options.paced }),
    stats,
    async history(): Promise<OhlcvColumns | undefined> {
      const n = options.history ?? 0;
      if (n <= 0) return undefined;
      // n bars back; markets close nights and weekends, so widen the window until there are enough
      let span = (n + 1) * ms;
      let got = await bars(now() - span, now());
      for (let i = 0; i < 12 && got.length < n; i++) {
        span *= 2;
        const wider = await bars(now() - span, now());
        if (got.length > 0 && wider.length === got.length) break;
        got = wider;
      }
      // only closed bars: a bar still forming (its end after now) comes live
      got = got.filter((b) => Date.parse(b.t) + ms <= now()).slice(-n);
      if (got.length > 0) lastBarStart = Date.parse(got[got.length - 1]!.t);
      const col = (f: (b: BarJson) => number) => Float64Array.from(got, f);
      return {
        datetime: col((b) => barTime(Date.parse(b.t))), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c),
        volume: col((b) => b.v ?? 0), openinterest: new Float64Array(got.length),
      };
    },
    async start(s: LiveSink) {
      sink = s;
      ended = false;
      stream = new ReconnectingStream({
        label: `market data ${options.symbol}`, url: cfg.dataStreamUrl, conn, stats,
        ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
        ...(options.backoff ? { backoff: options.backoff } : {}), ...(log ? { logger: log } : {}),
        protocol: { onOpen: () => undefined, onMessage: onData },
        onDrop: (why) => sink?.push({ type: 'status', state: 'disconnected', detail: why }),
        onFatal: (err) => {
          ended = true;
          sink?.error(err);
        },
        onReady: async (reconnected) => {
          if (!reconnected) return;
          sink?.push({ type: 'status', state: 'connected' });
          if (mode !== 'bars' || !Number.isFinite(lastBarStart)) return;
          // the bars that closed while the stream was down
          const missed = (await bars(lastBarStart + 1, now())).filter((b) => Date.parse(b.t) + ms <= now());
          for (const b of missed) {
            const before = lastBarStart;
            deliverBar(b);
            if (lastBarStart !== before) stats.backfilled++;
          }
        },
      });
      await stream.start();
    },
    async stop() {
      ended = true;
      await stream?.stop();
    },
  };
}
