export { EventBus } from './bus.js';
export type { EventHandler, QueuedHandler, QueuedSubscription, QueuedSubscriptionOptions, EventBusOptions } from './bus.js';
export { EVENT_LEVELS, levelRank, eventLevel } from './types.js';
export type * from './types.js';
