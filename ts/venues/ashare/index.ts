/** China A-share real-time quotes (Sina, Tencent) as a live source of 5-level books. */
export { aShareQuoteSource, quoteUrl } from './quote-source.js';
export type { AShareQuoteSourceOptions, AShareSourceStats } from './quote-source.js';
export { parseSina, parseTencent } from './quote-formats.js';
export type { AShareQuote, ParsedQuotes } from './quote-formats.js';
