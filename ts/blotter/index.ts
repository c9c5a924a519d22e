/** The blotter: a live session's orders and fills, read from its journal. */
export { blotterRow, latestOrders } from './rows.js';
export type { BlotterRow } from './rows.js';
export { readBlotter, followBlotter } from './follow.js';
export type { BlotterOptions } from './follow.js';
