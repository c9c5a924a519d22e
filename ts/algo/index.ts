export { Algo } from './algo.js';
export { algoStrategy, AlgoHost } from './adapter.js';
export { AlgoBars } from './bars.js';
export type { BarField, BarValues } from './bars.js';
export { AlgoInstrument } from './instrument.js';
export type { AlgoOrderOptions, AlgoOrders, LastTrade, OcoLeg, Quote, Trailing } from './instrument.js';
export { OrderGroup } from './group.js';
