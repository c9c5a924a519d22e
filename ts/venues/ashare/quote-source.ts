/**
 * A `LiveSource` of China A-share real-time quotes polled from Sina (`hq.sinajs.cn`) or Tencent
 * (`qt.gtimg.cn`): each new snapshot becomes a 5-level Level2 book message (with the trade since
 * the previous snapshot from the change of the day's volume) — or, with `level2: false`, a quote
 * and a trade. The source carries the Shanghai/Shenzhen calendar and timezone, so timers and the
 * scheduler follow the A-share sessions; trading is through the paper broker with the A-share
 * profile (`cerebro.broker.setChinaAShare()`), or a securities firm's gateway through
 * `aShareGateway` (./gateway-adapter.ts).
 *
 * Snapshots that did not change are skipped; a halted stock, an unknown code and a line that
 * cannot be read are counted (`stats`) and logged, never fatal; an unreachable server puts the
 * source in `reconnecting` with backoff and jitter.
 */
import { ParamError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import type { BarFrame } from '../../feeds/timeframe.js';
import { defaultLogger, type Logger } from '../../live/logger.js';
import type { LiveSink, LiveSource } from '../../live/source.js';
import { calendars } from '../../time/calendar.js';
import type { TradingCalendar } from '../../time/calendar.js';
import { ConnectionMachine, type BackoffOptions } from '../connection.js';
import { poller } from '../poller.js';
import { parseSina, parseTencent, type AShareQuote } from './quote-formats.js';

/** Options of {@link aShareQuoteSource}. */
export interface AShareQuoteSourceOptions {
  /** `sh600000`, `sz000001`, ... (exchange prefix and six digits). */
  code: string;
  provider: 'sina' | 'tencent';
  /** Base URL (default the provider's: `https://hq.sinajs.cn`, `https://qt.gtimg.cn`); a local server in tests. */
  baseUrl?: string;
  /** Poll interval, ms (default 3000: the providers refresh about every 3 s). */
  pollMs?: number;
  /** Bars built from the trades (default 1 minute). */
  frame?: BarFrame;
  /** Level2 book messages (default true), or quotes and trades. */
  level2?: boolean;
  /** Width of the Level2 data's bars, ms (default 60,000). */
  barMs?: number;
  calendar?: TradingCalendar;
  name?: string;
  bus?: EventBus;
  backoff?: BackoffOptions;
  logger?: Logger | false;
  /** Stop after this many snapshots delivered (default: until stopped). */
  maxSnapshots?: number;
}

export interface AShareSourceStats {
  polls: number;
  snapshots: number;
  unchanged: number;
  halted: number;
  malformed: number;
  reconnects: number;
}

const DEFAULT_URL = { sina: 'https://hq.sinajs.cn', tencent: 'https://qt.gtimg.cn' };

/** The request URL of one code. */
export function quoteUrl(provider: 'sina' | 'tencent', code: string, baseUrl = DEFAULT_URL[provider]): string {
  return provider === 'sina' ? `${baseUrl}/list=${code}` : `${baseUrl}/q=${code}`;
}

/** An A-share quote source (see the module comment). */
export function aShareQuoteSource(options: AShareQuoteSourceOptions): LiveSource & { readonly stats: AShareSourceStats } {
  if (!/^(sh|sz|bj)\d{6}$/.test(options.code)) throw new ParamError(`aShareQuoteSource: code must be sh/sz/bj and six digits (sh600000), got '${options.code}'`);
  const pollMs = options.pollMs ?? 3000;
  const level2 = options.level2 ?? true;
  const name = options.name ?? options.code;
  const url = quoteUrl(options.provider, options.code, options.baseUrl);
  const parse = options.provider === 'sina' ? parseSina : parseTencent;
  const log = options.logger === false ? undefined : (options.logger ?? defaultLogger()).child({ component: `source:${options.provider}:${options.code}` });
  const conn = new ConnectionMachine(`source:${options.provider}:${options.code}`, options.bus);
  const stats: AShareSourceStats = { polls: 0, snapshots: 0, unchanged: 0, halted: 0, malformed: 0, reconnects: 0 };
  const decoder = new TextDecoder('gbk');
  let prev: AShareQuote | undefined;

  async function pollOnce(sink: LiveSink): Promise<void> {
    stats.polls++;
    // Sina refuses requests without a finance.sina.com.cn referer
    const res = await fetch(url, { headers: options.provider === 'sina' ? { Referer: 'https://finance.sina.com.cn' } : {}, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status} from ${url}`), { transient: res.status >= 500 || res.status === 429 });
    const text = decoder.decode(new Uint8Array(await res.arrayBuffer()));
    const { quotes, problems } = parse(text);
    for (const p of problems) {
      stats.malformed++;
      log?.warn({ reason: p.reason, line: p.line.slice(0, 160) }, 'quote line skipped');
    }
    for (const q of quotes) {
      if (q.code !== options.code) continue;
      if (q.halted) {
        stats.halted++;
        continue;
      }
      if (prev && q.time <= prev.time && q.volume === prev.volume) {
        stats.unchanged++;
        continue;
      }
      const traded = prev ? q.volume - prev.volume : 0;
      if (level2) {
        sink.push({
          type: 'book', time: q.time, bidPrice: q.bidPrice, bidVolume: q.bidVolume, askPrice: q.askPrice, askVolume: q.askVolume,
          ...(traded > 0 ? { last: q.last, lastVolume: traded } : {}),
        });
      } else {
        sink.push({ type: 'quote', time: q.time, bid: q.bidPrice[0]!, ask: q.askPrice[0]!, bidSize: q.bidVolume[0]!, askSize: q.askVolume[0]! });
        if (traded > 0) sink.push({ type: 'tick', time: q.time, price: q.last, size: traded });
      }
      prev = q;
      stats.snapshots++;
      if (options.maxSnapshots !== undefined && stats.snapshots >= options.maxSnapshots) {
        polling.halt();
        sink.end();
      }
    }
  }

  const polling = poller({
    conn, stats, pollMs, backoff: options.backoff, pollOnce,
    isTransient: (err) => (err as { transient?: boolean }).transient !== false,
    onPermanent: (err) => log?.error({ err: (err as Error).message }, 'quote request refused'),
  });

  return {
    name,
    frame: options.frame ?? { timeframe: 'Minutes', compression: 1 },
    tz: 'Asia/Shanghai',
    calendar: options.calendar ?? calendars.SSE(),
    ...(level2 ? { level2: { depth: 5, barMs: options.barMs ?? 60_000 } } : {}),
    stats,
    start(sink: LiveSink) {
      polling.start(sink);
    },
    stop: () => polling.stop(),
  };
}
