/** Alpaca (US stocks and ETFs): the broker adapter, the market-data source, keys and endpoints. */
export { alpaca, AlpacaBroker } from './adapter.js';
export type { AlpacaBrokerOptions, AlpacaBrokerStats } from './adapter.js';
export { alpacaSource, alpacaTimeframe } from './source.js';
export type { AlpacaSourceOptions, AlpacaSourceStats } from './source.js';
export { resolveAlpacaConfig } from './config.js';
export type { AlpacaConfig, AlpacaConnectionOptions } from './config.js';
export { AlpacaApiError } from './rest.js';
export type { AlpacaOrderExtras, AlpacaOrderRequest } from './mapping.js';
