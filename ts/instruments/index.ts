export { Instrument, ASSET_CLASSES } from './instrument.js';
export type { AssetClass, InstrumentSpec, SpecSource } from './instrument.js';
export { InstrumentRegistry } from './registry.js';
export { loadInstruments, parseInstrumentsCsv, parseInstrumentsJson } from './load.js';
export { InstrumentOrderRules } from './order-rules.js';
export { fromCcxtMarkets, fromIbContractDetails } from './adapters.js';
export type { CcxtMarket, CcxtOptions, IbContractDetails } from './adapters.js';
export type { InstrumentRulesOptions, RuledOrder } from './order-rules.js';
