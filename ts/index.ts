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
} from './errors.js';
export { writeReport } from './report/html.js';
export type { ReportOptions } from './report/html.js';
export { sweep, range, rules, Expr, SweepResults } from './optimize/native.js';
export type {
  NativeSweepOptions, SweepRule, SweepRow, SweepMetric, SweepColumns, PriceField, NumberArg, Operand,
} from './optimize/native.js';
