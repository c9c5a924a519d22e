/**
 * ccxt is an optional peer dependency: loaded on first use, with an error that names the package
 * when it is not installed; and an exchange made from its id.
 */
import { ParamError, VenueError } from '../../errors.js';
import { readCredentials, type CcxtCredentials } from './credentials.js';
import type { CcxtExchange } from './exchange.js';

/** The parts of the ccxt module this adapter uses (kept loose: ccxt's own types are large). */
export type CcxtModule = Record<string, unknown> & { exchanges: string[] };

let loaded: Promise<CcxtModule> | undefined;

/** Imports `ccxt` once. */
export function loadCcxt(): Promise<CcxtModule> {
  loaded ??= import('ccxt').then(
    (m) => ((m as { default?: CcxtModule }).default ?? (m as unknown as CcxtModule)),
    (err: unknown) => {
      loaded = undefined;
      throw new VenueError('VENUE_DRIVER_MISSING', `the ccxt adapter needs the 'ccxt' package: npm install ccxt (${(err as Error).message})`);
    },
  );
  return loaded;
}

/**
 * The exchange `id` (`'binance'`) with `enableRateLimit`, the keys (environment over `keysFile`)
 * and `exchangeOptions` over them: ccxt pro's class (the same package, with the websocket
 * methods) unless `transport` is `'poll'`.
 * @throws ParamError for an id ccxt does not have.
 */
export async function makeCcxtExchange(
  id: string,
  options: { transport?: string; keysFile?: string; exchangeOptions?: Record<string, unknown> },
): Promise<{ exchange: CcxtExchange; credentials: CcxtCredentials }> {
  const ccxt = await loadCcxt();
  const pro = options.transport === 'poll' ? undefined : (ccxt.pro as Record<string, unknown> | undefined)?.[id];
  const Ctor = (pro ?? ccxt[id]) as (new (o: Record<string, unknown>) => CcxtExchange) | undefined;
  if (typeof Ctor !== 'function') throw new ParamError(`ccxt has no exchange '${id}' (see ccxt.exchanges)`);
  const credentials = readCredentials(id, options.keysFile ? { configFile: options.keysFile } : {});
  return { exchange: new Ctor({ enableRateLimit: true, ...credentials, ...options.exchangeOptions }), credentials };
}
