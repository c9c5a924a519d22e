/** Live and paper trading: sources, the paper broker, and what `cerebro.runLive()` returns. */
export { replaySource } from './replay-source.js';
export type { ReplaySourceOptions } from './replay-source.js';
export { syntheticSource } from './synthetic-source.js';
export type { SyntheticSourceOptions } from './synthetic-source.js';
export { iterableSource } from './source.js';
export type { LiveSource, LiveSink, LiveMessage, BarMessage, TickMessage, QuoteMessage, StatusMessage, IterableSourceOptions } from './source.js';
export { paper } from './paper-broker.js';
export type { PaperBroker } from './paper-broker.js';
export { LiveFeed } from './live-feed.js';
export type { LiveBar } from './live-feed.js';
export { BarBuilder } from './bar-builder.js';
export type { LiveOptions, LiveResult, SourceStats, StrategyFailure, StopReason, RunSummary } from './options.js';
export type { Logger } from './logger.js';
export type {
  BrokerAdapter, VenueOrderRequest, VenueOrder, VenueOrderStatus, VenueOrderType, VenueTimeInForce, VenueFill, VenuePosition,
  VenueAccount, VenueEvent, VenueCapabilities,
} from './broker-adapter.js';
export { SimulatedVenue } from './simulated-venue.js';
export type { SimulatedVenueOptions, VenueBar } from './simulated-venue.js';
export { isBrokerAdapter } from './venue-broker.js';
export { brokerAdapterConformance } from './conformance.js';
export type { ConformanceHarness, TestRunner } from './conformance.js';
export { OrderRouter } from './order-router.js';
export type { OrderRouterOptions, ReconcileReport, RoutedState } from './order-router.js';
