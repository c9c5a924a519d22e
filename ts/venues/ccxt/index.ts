/** Crypto venues through ccxt: the broker adapter, the live source, keys and the connection state machine. */
export { ccxtBroker, CcxtBroker } from './adapter.js';
export type { CcxtBrokerOptions, CcxtBrokerStats } from './adapter.js';
export { readCredentials } from './credentials.js';
export type { CcxtCredentials } from './credentials.js';
export { backoffDelay, ConnectionMachine } from '../connection.js';
export type { BackoffOptions, ConnectionState } from '../connection.js';
export type { CcxtExchange, CcxtMarket, CcxtOrder, CcxtTrade } from './exchange.js';
