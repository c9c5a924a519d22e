/**
 * `ferrotrade live <strategy> --broker alpaca [--paper-prices]`: the Alpaca market-data source
 * for the run (warm-up from the REST bars endpoint, then the market-data stream) and, for orders,
 * the Alpaca adapter, or the paper broker with `--paper-prices`. Keys come from
 * `APCA_API_KEY_ID` / `APCA_API_SECRET_KEY` or `--keys <file>`; `--live` trades the live
 * account (paper by default); `--base-url` / `--data-url` (or `APCA_API_BASE_URL` /
 * `APCA_API_DATA_URL`) point the calls elsewhere, e.g. at the local test server.
 */
import { ParamError } from '../errors.js';
import type { BrokerAdapter } from '../live/broker-adapter.js';
import type { LiveSource } from '../live/source.js';
import { alpaca } from '../venues/alpaca/adapter.js';
import type { AlpacaConnectionOptions } from '../venues/alpaca/config.js';
import { alpacaSource } from '../venues/alpaca/source.js';
import { frameOf } from './venue-source.js';

/** The command-line values the Alpaca broker reads. */
export interface AlpacaCliValues {
  symbol?: string | undefined;
  timeframe?: string | undefined;
  history?: number | undefined;
  count?: string | undefined;
  'paper-prices'?: boolean | undefined;
  'base-url'?: string | undefined;
  'data-url'?: string | undefined;
  keys?: string | undefined;
  feed?: string | undefined;
  live?: boolean | undefined;
}

/** The options `ferrotrade live` adds for `--broker alpaca`. */
export const ALPACA_CLI_OPTIONS = {
  'base-url': { type: 'string' }, 'data-url': { type: 'string' }, keys: { type: 'string' }, feed: { type: 'string' }, live: { type: 'boolean', default: false },
} as const;

/** The usage lines of those options. */
export const ALPACA_CLI_USAGE = `  --broker alpaca         Alpaca: its market data (--symbol, --timeframe, --history); orders
                          to Alpaca's paper account, or paper fills with --paper-prices;
                          keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY or --keys FILE
  --live                  with --broker alpaca: the live account (real money) instead of paper
  --base-url URL          Alpaca's trading API at URL (or APCA_API_BASE_URL)
  --data-url URL          Alpaca's market data API at URL (or APCA_API_DATA_URL)
  --feed iex|sip          Alpaca's market data feed (default iex)
`;

/** The source, and the adapter unless `--paper-prices`, of an Alpaca run. */
export function alpacaCliParts(v: AlpacaCliValues): { source: LiveSource; adapter?: BrokerAdapter } {
  if (!v.symbol) throw new ParamError('--broker alpaca needs --symbol, e.g. --symbol AAPL');
  if (v.feed !== undefined && v.feed !== 'iex' && v.feed !== 'sip') throw new ParamError(`--feed takes iex or sip, got '${v.feed}'`);
  const count = v.count === undefined ? undefined : Number(v.count);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new ParamError(`--count takes a whole number of bars, got '${v.count}'`);
  const connection: AlpacaConnectionOptions = {
    paper: !v.live, ...(v['base-url'] ? { baseUrl: v['base-url'] } : {}), ...(v['data-url'] ? { dataUrl: v['data-url'] } : {}),
    ...(v.keys ? { keysFile: v.keys } : {}), ...(v.feed ? { feed: v.feed as 'iex' | 'sip' } : {}),
  };
  const frame = frameOf(v.timeframe ?? '1m');
  const minute = frame.timeframe === 'Minutes' && frame.compression === 1;
  const source = alpacaSource({
    ...connection, symbol: v.symbol, frame, data: minute ? 'bars' : 'trades',
    ...(v.history === undefined ? {} : { history: v.history }), ...(count === undefined ? {} : { maxBars: count }),
  });
  if (v['paper-prices']) return { source };
  return { source, adapter: alpaca(connection) };
}
