/**
 * Venue adapters: a `BrokerAdapter` and a `LiveSource` per venue family. Each loads its client
 * library on first use (optional peer dependencies) and names the package to install when it is
 * missing.
 */
export { ccxtBroker, CcxtBroker, readCredentials, backoffDelay, ConnectionMachine } from './ccxt/index.js';
export type { CcxtBrokerOptions, CcxtBrokerStats, CcxtCredentials, BackoffOptions, ConnectionState, CcxtExchange, CcxtMarket, CcxtOrder, CcxtTrade } from './ccxt/index.js';
export { ccxtSource, ccxtTimeframe } from './ccxt/source.js';
export type { CcxtSourceOptions, CcxtSourceStats } from './ccxt/source.js';
export { aShareQuoteSource, quoteUrl, parseSina, parseTencent } from './ashare/index.js';
export { aShareGateway, AShareGatewayBroker, GatewayApiError, GatewayCode, toStockCode } from './ashare/index.js';
export type { AShareGatewayOptions, AShareGatewayStats } from './ashare/index.js';
export type { AShareQuoteSourceOptions, AShareSourceStats, AShareQuote, ParsedQuotes } from './ashare/index.js';
export { alpaca, AlpacaBroker, alpacaSource, alpacaTimeframe, resolveAlpacaConfig, AlpacaApiError } from './alpaca/index.js';
export type { AlpacaBrokerOptions, AlpacaBrokerStats, AlpacaSourceOptions, AlpacaSourceStats, AlpacaConfig, AlpacaConnectionOptions, AlpacaOrderExtras, AlpacaOrderRequest } from './alpaca/index.js';
export { ib, IbBroker, ibSource, ibContract } from './ib/index.js';
export type { IbBrokerOptions, IbBrokerStats, IbOrderRequest, IbSourceOptions, IbContract, IbConnectionOptions } from './ib/index.js';
