/**
 * `--broker ccxt:<exchange>` (without `--paper-prices`) for `ferrotrade live`: the strategy's
 * orders go to the venue through the ccxt broker adapter. Keys come from the environment
 * (`FERROTRADE_<EXCHANGE>_API_KEY`, `..._SECRET`) or `--keys <file>`; `--venue-url` points every
 * REST and websocket host of the exchange at another address (a local test server or a proxy).
 * The exchange is ccxt's pro class when there is one, so the account's events come over its
 * websocket user stream.
 */
import { ParamError } from '../errors.js';
import { ccxtBroker, type CcxtBroker } from '../venues/ccxt/adapter.js';
import { readCredentials } from '../venues/ccxt/credentials.js';
import type { CcxtExchange } from '../venues/ccxt/exchange.js';
import { loadCcxt } from '../venues/ccxt/load.js';

export interface VenueBrokerOptions {
  exchange: string;
  symbol: string;
  venueUrl?: string;
  keysFile?: string;
  /** REST poll interval when the exchange has no websockets, ms. */
  pollMs?: number;
}

/** Every host of a ccxt `urls.api` (nested: websockets, ws-api) replaced by `base`, paths kept. */
export function rebaseUrls(api: Record<string, unknown>, base: string): Record<string, unknown> {
  const http = base.replace(/\/$/, '');
  const ws = http.replace(/^http/, 'ws');
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') return `${/^wss?:/.test(v) ? ws : http}${new URL(v).pathname}`;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(api) as Record<string, unknown>;
}

/** The ccxt broker adapter for `--broker ccxt:<exchange>`. */
export async function venueBroker(o: VenueBrokerOptions): Promise<CcxtBroker> {
  const ccxt = await loadCcxt();
  const Ctor = ((ccxt.pro as Record<string, unknown> | undefined)?.[o.exchange] ?? ccxt[o.exchange]) as
    | (new (opts: Record<string, unknown>) => CcxtExchange & { urls: { api: Record<string, unknown> } })
    | undefined;
  if (typeof Ctor !== 'function') throw new ParamError(`ccxt has no exchange '${o.exchange}'`);
  const keys = readCredentials(o.exchange, o.keysFile ? { configFile: o.keysFile } : {});
  if (!keys.apiKey || !keys.secret) {
    const env = `FERROTRADE_${o.exchange.toUpperCase()}_`;
    throw new ParamError(`--broker ccxt:${o.exchange} trades with your keys: set ${env}API_KEY and ${env}SECRET, or give --keys <file>`);
  }
  const ex = new Ctor({ enableRateLimit: true, ...keys });
  if (o.venueUrl) ex.urls.api = rebaseUrls(ex.urls.api, o.venueUrl);
  return ccxtBroker({ exchange: ex, symbols: [o.symbol], ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }) });
}
