/**
 * `--source ccxt:<exchange>:<BASE/QUOTE>[@<timeframe>]` (and `--broker ccxt:<exchange>
 * --paper-prices`) for `ferrotrade live`: a ccxt source of closed candles, with warm-up history,
 * optionally pointed at another host (`--venue-url`: a local test server or a proxy; every API
 * host of the exchange is replaced, paths kept).
 */
import { ParamError } from '../errors.js';
import type { BarFrame } from '../feeds/timeframe.js';
import type { LiveSource } from '../live/source.js';
import type { CcxtExchange } from '../venues/ccxt/exchange.js';
import { loadCcxt } from '../venues/ccxt/load.js';
import { ccxtSource } from '../venues/ccxt/source.js';

const FRAMES: Record<string, BarFrame['timeframe']> = { m: 'Minutes', h: 'Hours', d: 'Days', w: 'Weeks' };

/** A bar frame from a ccxt timeframe (`1m`, `5m`, `1h`, `1d`). */
export function frameOf(timeframe: string): BarFrame {
  const m = /^(\d+)([mhdw])$/.exec(timeframe);
  if (!m) throw new ParamError(`timeframe '${timeframe}': use a ccxt timeframe such as 1m, 5m, 1h or 1d`);
  return { timeframe: FRAMES[m[2]!]!, compression: Number(m[1]) };
}

export interface VenueSourceOptions {
  exchange: string;
  symbol: string;
  timeframe: string;
  history?: number;
  venueUrl?: string;
  maxBars?: number;
  pollMs?: number;
}

/** Parses `ccxt:<exchange>:<symbol>[@<timeframe>]`. */
export function parseCcxtSpec(spec: string): { exchange: string; symbol: string; timeframe: string } {
  const m = /^ccxt:([a-z0-9]+):([^@]+)(?:@(\w+))?$/.exec(spec);
  if (!m) throw new ParamError(`--source '${spec}': use ccxt:<exchange>:<BASE/QUOTE>[@<timeframe>], e.g. ccxt:binance:BTC/USDT@1m`);
  return { exchange: m[1]!, symbol: m[2]!, timeframe: m[3] ?? '1m' };
}

/** The source (ccxt loaded on first use; public data needs no keys). */
export async function venueSource(o: VenueSourceOptions): Promise<LiveSource> {
  const ccxt = await loadCcxt();
  const Ctor = ccxt[o.exchange] as (new (opts: Record<string, unknown>) => CcxtExchange & { urls: { api: Record<string, unknown> } }) | undefined;
  if (typeof Ctor !== 'function') throw new ParamError(`ccxt has no exchange '${o.exchange}'`);
  const ex = new Ctor({ enableRateLimit: true });
  if (o.venueUrl) {
    const base = o.venueUrl.replace(/\/$/, '');
    const api: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ex.urls.api)) api[k] = typeof v === 'string' ? `${base}${new URL(v).pathname}` : v;
    ex.urls.api = api;
  }
  return ccxtSource({
    exchange: ex, symbol: o.symbol, frame: frameOf(o.timeframe), name: o.symbol,
    ...(o.history === undefined ? {} : { history: o.history }), ...(o.maxBars === undefined ? {} : { maxBars: o.maxBars }),
    ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
  });
}
