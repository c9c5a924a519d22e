/** China A-share real-time quotes (Sina, Tencent) as a live source of 5-level books. */
export { aShareQuoteSource, quoteUrl } from './quote-source.js';
export type { AShareQuoteSourceOptions, AShareSourceStats } from './quote-source.js';
export { parseSina, parseTencent } from './quote-formats.js';
export type { AShareQuote, ParsedQuotes } from './quote-formats.js';
export { aShareGateway, AShareGatewayBroker } from './gateway-adapter.js';
export type { AShareGatewayOptions, AShareGatewayStats } from './gateway-adapter.js';
export { GatewayApiError } from './gateway-client.js';
export { GatewayCode } from './gateway-protocol.js';
export type { GatewayDeal, GatewayEntrustRequest, GatewayFunds, GatewayOrder, GatewayOrderStatus, GatewayPosition, GatewayPriceType, GatewayReply } from './gateway-protocol.js';
export { toStockCode } from './gateway-mapping.js';
