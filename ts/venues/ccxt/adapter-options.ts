/** Options of the ccxt broker adapter (./adapter.ts), and what it counts. */
import type { EventBus } from '../../events/bus.js';
import type { Logger } from '../../live/logger.js';
import type { BackoffOptions } from '../connection.js';
import type { CcxtExchange } from './exchange.js';

/** Options of {@link ccxtBroker}. */
export interface CcxtBrokerOptions {
  /** A ccxt exchange instance, or its id (`'binance'`): then it is made with `enableRateLimit` and the keys from the environment / `keysFile`. */
  exchange: CcxtExchange | string;
  /** The unified symbols traded (`'BTC/USDT'`): polled for orders and fills, reported as positions. */
  symbols: string[];
  /** Constructor options when `exchange` is an id (merged over `{ enableRateLimit: true }` and the keys). */
  exchangeOptions?: Record<string, unknown>;
  /** A JSON file of keys (see `readCredentials`); the environment overrides it. */
  keysFile?: string;
  /** How often open orders and trades are polled, ms (default 1000), when the events come by polling. */
  pollMs?: number;
  /**
   * Where the account's events come from: `'websocket'` (the exchange's `watchOrders` and
   * `watchMyTrades`; an error when it has none), `'poll'` (REST), or `'auto'` (default): websockets
   * when `exchange.has` lists both, polling otherwise.
   */
  transport?: 'auto' | 'websocket' | 'poll';
  /** With websockets: the REST reconciliation pass's interval, ms (default 30,000), besides one after every reconnect. */
  reconcileMs?: number;
  /** Retries of a rate-limited (HTTP 429) call before it fails with VENUE_RATE_LIMITED (default 5). */
  maxRetries?: number;
  /** Backoff of retries and reconnects. */
  backoff?: BackoffOptions;
  /** Where connection changes are published (`connection` events, component `broker:ccxt:<id>`). */
  bus?: EventBus;
  /** pino logger, or false for none (default: the live sessions' default logger). */
  logger?: Logger | false;
  /** The account currency (default: the first symbol's settlement currency, or its quote currency on spot). */
  currency?: string;
  /** A derivatives venue: the leverage set on every symbol at `connect` (`setLeverage`; default: the venue's). */
  leverage?: number;
}

/** What the adapter counted. */
export interface CcxtBrokerStats {
  requests: number;
  rateLimited: number;
  malformed: number;
  reconnects: number;
  /** Order changes and executions that arrived on the websocket user stream. */
  streamed: number;
}
