import type { Order } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Indicator } from '../indicators/indicator.js';
import type { Analyzer, AnalyzerContext } from '../analyzers/analyzer.js';
import type { Observer } from '../observers/observer.js';
import type { BarRecorder, RecordedPosition } from './recorder.js';
import type { Strategy } from './strategy.js';

/** @internal what the bar loop hands back, before analyzers and observers run. */
export interface LoopResult<S extends Strategy = Strategy> {
  strategy: S;
  orders: Order[];
  trades: Trade[];
  openTrades: Trade[];
  cash: Float64Array;
  value: Float64Array;
  finalValue: number;
  finalCash: number;
  bars: number;
  recorded: BarRecorder;
  /** The clock of the run: one tick per distinct timestamp of the datas. */
  timeline: Timeline;
}
import type { Timeline } from './timeline.js';

/** What one strategy's run produced. */
export interface RunResult<S extends Strategy = Strategy> extends LoopResult<S> {
  /** The strategy instance, with whatever state it kept. */
  strategy: S;
  /** Every order the strategy placed, in creation order, with its notification history. */
  orders: Order[];
  /** Closed trades, as snapshots at their close. */
  trades: Trade[];
  /** Trades still open after the last bar. */
  openTrades: Trade[];
  /** Broker cash and value per bar, as the strategy saw them in `next()`/`prenext()`. */
  cash: Float64Array;
  value: Float64Array;
  /** Value and cash after the last bar. */
  finalValue: number;
  finalCash: number;
  /** Bars processed. */
  bars: number;
  /** The datas of the run, in the order added. */
  datas: DataFeed[];
  /** Account value before the first bar (the starting cash). */
  startValue: number;
  /** Fund value per bar (value per fund share; see `broker.setFundmode`). */
  fundValue: Float64Array;
  /** Position (size and average price) of every data per bar, in data order. */
  positions: RecordedPosition[];
  /** Indicators the strategy created in `init()`, in creation order. */
  indicators: Indicator[];
  /** The strategy's warm-up: the first bar index where `next()` ran is `minPeriod - 1`. */
  minPeriod: number;
  /**
   * Analyzers by name (`cerebro.addAnalyzer`): `result.analyzers.sharperatio.getAnalysis()`.
   */
  analyzers: Record<string, Analyzer<any>>;
  /**
   * Observers by name: the standard ones (`broker`, `buysell`, `trades`, `drawdown`) and any
   * added with `cerebro.addObserver`. `result.observers.broker.lines.value` is a Float64Array.
   */
  observers: Record<string, Observer>;
  /** What analyzers and observers read (see `analyze()` to run one on a finished result). */
  context: AnalyzerContext;
  /** The id the run was saved under, when run with `{ store }`. */
  runId?: string;
}

/**
 * @internal defines `key` on `target` as a value computed on first read (then kept): results
 * carry orders and trades this way, so a run whose caller never reads them never builds them.
 */
export function defineLazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  let value: T[K] | undefined;
  let done = false;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(): T[K] {
      if (!done) {
        value = compute();
        done = true;
      }
      return value as T[K];
    },
    set(v: T[K]) {
      value = v;
      done = true;
    },
  });
}
