/**
 * ferrotrade: backtesting and live trading for Node.js, backtrader's model with the hot path in
 * Rust.
 * @packageDocumentation
 */
export { Cerebro } from './engine/cerebro.js';
export type { CerebroOptions } from './engine/cerebro.js';
export { Strategy } from './engine/strategy.js';
export type { OrderOptions, BracketOptions } from './engine/strategy.js';
export {
  Sizer, FixedSize, FixedReverser, FixedSizeTarget, PercentSizer, PercentSizerInt, AllInSizer, AllInSizerInt,
} from './engine/sizer.js';
export type { SizingContext } from './engine/sizer.js';
export type { RunResult } from './engine/result.js';
export type { TickRunResult, Fill } from './engine/tick-loop.js';
export { BookView, OrderBook, largeOrders, moneyFlow, generateLevel2, writeLevel2Csv } from './book/index.js';
export type { BookDelta, BookLevel, BookRepairs, LargeOrderLines, MoneyFlowLines, GenerateLevel2Options, GeneratedLevel2 } from './book/index.js';
export { Broker } from './broker/broker.js';
export type {
  CommissionOptions, SlippageOptions, FillerOptions, MarketRulesOptions, ChinaAShareOptions,
} from './broker/broker.js';
export type { Validity, Duration, OrderPriceOptions, DependencySpec, DependencyCondition } from './broker/order-spec.js';
export { Order, OrderStatus, ExecType } from './broker/order.js';
export type { OrderExecuted, OrderEvent, OrderCreated } from './broker/order.js';
export { TradeStatus } from './broker/trade.js';
export type { Trade } from './broker/trade.js';
export { Position } from './broker/position.js';
export { Line, INDEX_REACH } from './lines/line.js';
export { ind, Indicator, createIndicator } from './indicators/index.js';
export type { IndicatorParams, LineSource } from './indicators/index.js';
export * as feeds from './feeds/index.js';
export { ta } from './ta/index.js';
export type { IndicatorInfo, ParamInfo, IndicatorStream, Columns, Inputs, Bar } from './ta/index.js';
export * as time from './time/index.js';
export { TradingCalendar, calendars } from './time/calendar.js';
export type { CalendarSpec } from './time/calendar.js';
export { Timer } from './time/timer.js';
export type { TimerOptions } from './time/timer.js';
export { Scheduler, Task, TaskTimeoutError } from './time/scheduler.js';
export type { TaskState, TaskOptions } from './time/scheduler.js';
export { SimulatedClock, WallClock } from './time/clock.js';
export type { Clock } from './time/clock.js';
export { DataFeed, DateTimeLine } from './feeds/datafeed.js';
export {
  FerroError,
  DataError,
  DataParseError,
  TimeBackwardsError,
  ParamError,
  UnknownIndicatorError,
  OrderError,
  DependencyError,
  TimezoneError,
  CalendarError,
  CronError,
  BookError,
} from './errors.js';
export { writeReport } from './report/html.js';
export type { ReportOptions } from './report/html.js';
export { Analyzers, Analyzer, TIMEFRAMES } from './analyzers/index.js';
export type { TimeFrame, AnalyzerContext, DrawDownAnalysis, PyFolioItems, TransactionRow } from './analyzers/index.js';
export { Observers, Observer } from './observers/index.js';
export type { RecordedPosition } from './engine/recorder.js';
export { analyze } from './engine/post-run.js';
export { toJSON, writeCsv } from './report/writer.js';
export { range } from './optimize/grid.js';
export type { Grid, Sampling } from './optimize/grid.js';
export { SweepResults } from './optimize/results.js';
export type { SweepRow } from './optimize/results.js';
export type { SweepProgress } from './optimize/progress.js';
export type { OptimizeOptions } from './optimize/optimize.js';
export type { DistributedOptions } from './optimize/distributed.js';
export type { SweepWorker, SweepWorkerOptions } from './optimize/remote-worker.js';
export type { RedisTarget } from './optimize/sweep-store.js';
export { startSweepWorker, clearSweep } from './optimize/remote.js';
export { sweepPool, SweepPool } from './optimize/sweep-pool.js';
export type { SweepPoolOptions } from './optimize/sweep-pool.js';
export { walkForward } from './optimize/walk-forward.js';
export type { WalkForwardOptions, WalkForwardResult, WalkForwardWindow, BarSpan } from './optimize/walk-forward.js';
export type { OhlcvColumns, SkippedRow } from './feeds/datafeed.js';
export type { ParamDefaults } from './engine/params.js';
export type { BrokerSettings } from './broker/broker.js';
export { rules, Expr, NativeSweepResults } from './optimize/native.js';
export { sweep } from './optimize/sweep.js';
export type { NativeSweepAsyncOptions } from './optimize/native-async.js';
export type { NativeSweepBroker } from './optimize/native-broker.js';
export type {
  NativeSweepOptions, SweepRule, NativeSweepRow, SweepMetric, SweepColumns, PriceField, NumberArg, Operand,
} from './optimize/native.js';
export * as filters from './feeds/filters/index.js';
export type {
  DataFilter, RenkoOptions, SessionOptions, SessionFilterOptions, SessionFillerOptions, CalendarDaysOptions,
} from './feeds/filters/index.js';
export type { ChainOptions } from './feeds/chain.js';
export { EventBus, EVENT_LEVELS, levelRank, eventLevel } from './events/index.js';
export type {
  FerroEvent, FerroEventType, EventOf, EventLevel, OrderSnapshot, EventHandler, QueuedHandler, QueuedSubscription,
  QueuedSubscriptionOptions, EventBusOptions,
} from './events/index.js';

// Live and paper trading.
export * as live from './live/index.js';
export { replaySource, syntheticSource, iterableSource, paper, LiveFeed, SimulatedVenue, brokerAdapterConformance, OrderRouter } from './live/index.js';
export type {
  LiveSource, LiveMessage, LiveOptions, LiveResult, SourceStats, RunSummary, PaperBroker, BrokerAdapter, VenueOrderRequest, VenueOrder,
  VenueFill, VenuePosition, VenueAccount, VenueEvent, VenueCapabilities, ConformanceHarness, ReconcileReport, OrderRouterOptions,
} from './live/index.js';
export { isBrokerAdapter } from './live/index.js';
export type { VenueBar } from './live/index.js';
export { TickBars, bookDeltas } from './live/index.js';
export type { TickBarsOptions, BookMessage, BookDeltaMessage, LevelChange, BookDeltasOptions } from './live/index.js';
export { LiveClock } from './time/clock.js';
export { LiveError, VenueError } from './errors.js';
export {
  Notifier, channels, channelsFromConfig, MemoryNotificationLog, scheduleSummary, fromEvent as notificationFromEvent, storeNotificationLog,
} from './notify/index.js';
export type {
  NotifierOptions, NotifyOptions, ChannelOptions, SmsProvider, ChannelConfig, NotificationLog, NotificationRecord, SummaryOptions,
  SummarySchedule, SummarySnapshot, QuietHoursOptions, RetryOptions as NotifyRetryOptions, ChannelStats, Channel, Notification, RouteOptions,
  RateLimit as NotifyRateLimit,
  SendReceipt, Secret, NotifyLogger, NotificationRowWriter, StoreLogOptions, StoreNotificationLog,
} from './notify/index.js';
export { MissingDependencyError, NotifyConfigError, NotifySendError } from './errors.js';
export { StoreError } from './errors.js';
export { openJournal } from './store/journal.js';
export type { OrderJournal, JournalRecord, JournalInput, JournalReadOptions } from './store/journal.js';

// Venue adapters: crypto exchanges through ccxt (optional peer dependency `ccxt`), China A-share quotes.
export * as venues from './venues/index.js';
export { ccxtBroker, CcxtBroker, ccxtSource, readCredentials, backoffDelay, ConnectionMachine, aShareQuoteSource, parseSina, parseTencent } from './venues/index.js';
export type {
  CcxtBrokerOptions, CcxtBrokerStats, CcxtSourceOptions, CcxtCredentials, CcxtExchange, BackoffOptions, ConnectionState, AShareQuoteSourceOptions,
  AShareSourceStats, AShareQuote,
} from './venues/index.js';
// Alpaca (US stocks; optional peer dependency `ws` for its streams).
export { alpaca, AlpacaBroker, alpacaSource, AlpacaApiError } from './venues/index.js';
export type { AlpacaBrokerOptions, AlpacaBrokerStats, AlpacaSourceOptions, AlpacaSourceStats, AlpacaConnectionOptions, AlpacaOrderExtras, AlpacaOrderRequest } from './venues/index.js';
// Interactive Brokers through TWS / IB Gateway (optional peer dependency `@stoqey/ib`).
export { ib, IbBroker, ibSource, ibContract } from './venues/index.js';
export type { IbBrokerOptions, IbBrokerStats, IbOrderRequest, IbSourceOptions, IbContract, IbConnectionOptions } from './venues/index.js';
// A securities firm's A-share trading gateway (JSON over HTTP; the template to adapt).
export { aShareGateway, AShareGatewayBroker, GatewayApiError } from './venues/index.js';
export type { AShareGatewayOptions, AShareGatewayStats } from './venues/index.js';
export { openStore, DEFAULT_STORE_URL } from './store/open.js';
export type { StoreOptions } from './store/open.js';
export type { RetryOptions as StoreRetryOptions } from './store/retry.js';
export { redactUrl } from './store/url.js';
export type { Gap, GapOptions } from './store/gaps.js';
export type {
  Store, StoreCapability, BarColumns, BarInput, BarWriteResult, TimeRange, TickRow, StoredTick, BookSnapshotRow, InstrumentRow,
  RunRow, RunRecord, OrderRow, OrderEventRow, TradeRow, PositionRow, EquityPoint, NotificationRow,
} from './store/types.js';
export { runRecordOf, saveRuns, codeHash } from './store/run-record.js';
export type { SaveRunOptions } from './store/run-record.js';
export type { StoreFeedOptions } from './store/feed.js';
export { runStats } from './store/run-stats.js';
export type { RunStats } from './store/run-stats.js';
// Risk: pre-trade checks for live trading and backtests (cerebro.setRisk), the kill switch.
export { RiskError } from './errors.js';
export {
  RiskEngine, RISK_CHECKS, resolveRiskConfig, TokenBucket, installKillSwitch, requestKillSwitch, killRequestFile,
  DEFAULT_PID_FILE, KILL_SIGNAL,
} from './risk/index.js';
export type {
  RiskEngineOptions, KillSwitchRequest, RiskConfig, RiskLimits, RiskState, RateLimit as RiskRateLimit, TradingDaySpec, ResolvedLimits,
  ResolvedRiskConfig, RiskOrder, RiskContext, RiskDecision, KillSwitchListener, KillSwitchListenerOptions, KillRequestOptions,
} from './risk/index.js';
// Instruments, futures continuous contracts and the simple API.
export {
  Instrument, InstrumentRegistry, ASSET_CLASSES, loadInstruments, parseInstrumentsCsv, parseInstrumentsJson, fromCcxtMarkets, fromIbContractDetails,
  loadInstrumentsFromStore, saveInstruments,
} from './instruments/index.js';
export type { AssetClass, InstrumentSpec, InstrumentRulesOptions, CcxtMarket, CcxtOptions, IbContractDetails, InstrumentStore } from './instruments/index.js';
export { InstrumentError, InstrumentRuleError } from './errors.js';
export * as futures from './futures/index.js';
export type { ContinuousFeed, ContinuousOptions, ContinuousSeries, RollEvent, RollRule, Adjustment, FuturesContract } from './futures/index.js';
export { Algo, AlgoBars, AlgoInstrument, OrderGroup, algoStrategy } from './algo/index.js';
export type { AlgoOrderOptions, AlgoOrders, BarField, BarValues, LastTrade, OcoLeg, Quote, Trailing } from './algo/index.js';

// Installing, types and the first hour: optional peers, the addon's loader, typed results.
export { MissingPeerError, NativeBindingError } from './errors.js';
export type { AnalyzerResults, AnalyzerName, AnalysisOf, SweepAnalyses } from './analyzers/named.js';
export { ROW_METRICS } from './optimize/results.js';
export type { RowMetric } from './optimize/results.js';
export type { BracketOrders } from './engine/strategy.js';
export { writeComparisonReport } from './report/compare.js';
export type { ComparisonOptions } from './report/compare.js';
export { writeTickReport } from './report/ticks.js';

// Reliability: lazy grids, run-state errors.
export { RunStateError, ConnectionError, AbortedError, SweepWorkerError } from './errors.js';
export { Range, DEFAULT_MAX_COMBINATIONS } from './optimize/grid.js';
export { readBlotter, followBlotter, blotterRow, latestOrders } from './blotter/index.js';
export type { BlotterRow, BlotterOptions } from './blotter/index.js';
export { startDashboard, busFeed, journalFeed, DashboardState } from './dashboard/index.js';
export type { Dashboard, DashboardOptions, DashboardFeed, KillRequest, DashboardSnapshot, DashboardPosition, DashboardFill, JournalFeedOptions } from './dashboard/index.js';
export { ConfigError } from './errors.js';
