export { BookView } from './view.js';
export { OrderBook } from './order-book.js';
export type { BookDelta, BookLevel, BookRepairs } from './order-book.js';
export { largeOrders, moneyFlow } from './flow.js';
export type { LargeOrderLines, MoneyFlowLines } from './flow.js';
export { generateLevel2, writeLevel2Csv } from './synthetic.js';
export type { GenerateLevel2Options, GeneratedLevel2 } from './synthetic.js';
