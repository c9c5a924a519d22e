/** Interactive Brokers through `@stoqey/ib`: the broker adapter, the market-data source, contracts and the connection. */
export { ib, IbBroker } from './adapter.js';
export type { IbBrokerOptions, IbBrokerStats, IbOrderRequest } from './adapter.js';
export { ibSource, barSizeMs } from './source.js';
export type { IbSourceOptions } from './source.js';
export { ibContract, contractName } from './contracts.js';
export type { ContractDefaults } from './contracts.js';
export { IbConnection } from './client.js';
export type { IbConnectionOptions, IbConnectionStats, IbErrorEvent } from './client.js';
export type { IbContract, IbOrder, IbExecution } from './api.js';
