/** Options and results of `cerebro.runLive()`. */
import type { EventBus } from '../events/bus.js';
import type { Order } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import type { Strategy } from '../engine/strategy.js';
import type { LiveSource } from './source.js';
import type { PaperBroker } from './paper-broker.js';
import type { Logger } from './logger.js';
import type { OrderJournal } from '../store/journal.js';
import type { BrokerAdapter } from './broker-adapter.js';
import type { OrderRouterOptions, ReconcileReport } from './order-router.js';

/** Options of `cerebro.runLive()`. */
export interface LiveOptions {
  /** One source per data, in the order the strategy's `datas` list them. */
  sources: LiveSource[];
  /**
   * Where orders go: {@link paper} (default) fills them in the Rust matching engine; a
   * {@link BrokerAdapter} sends them to its venue (live trading): what the venue does natively
   * goes there, the rest (stops, trailing stops, brackets, OCO, dependencies) is emulated
   * locally and sent when due. The journal then holds every intent before it is sent.
   */
  broker?: PaperBroker | BrokerAdapter;
  /** Bars of room per data before the columns grow (default 65,536; growing copies them once). */
  capacity?: number;
  /** A strategy callback threw: `'halt'` (default) stops the session, `'skip'` goes on with the next bar. */
  onStrategyError?: 'halt' | 'skip';
  /** Warn (event `data.stale`) when a source has sent nothing for this long, ms (default: no watchdog). */
  staleAfterMs?: number;
  /** What a stale source does besides the warning: `'warn'` (default) or `'halt'` (stop the session). */
  onStale?: 'warn' | 'halt';
  /** On stop, cancel the orders still open (default false: they are left, and reported). */
  cancelOnStop?: boolean;
  /** Stop gracefully on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
  /** Stops the session when aborted. */
  signal?: AbortSignal;
  /** Where events go (default: the cerebro's bus, if it has one). */
  bus?: EventBus;
  /** A pino logger, or `false` for none (default: pino at level `info` to stderr, `warn` under tests). */
  logger?: Logger | false;
  /**
   * The clock: `'wall'` (the machine's time) or `'data'` (each bar's time, as in a backtest).
   * Default: `'data'` when every source replays as fast as possible, else `'wall'`.
   */
  clock?: 'wall' | 'data';
  /**
   * The order journal (a path, or one from `openJournal`): every order intent, every broker
   * event and each strategy's `this.state` are written to it; `state` is restored from it on
   * start (default: none).
   */
  journal?: OrderJournal | string;
  /** The session's name in the journal (default `live`). */
  session?: string;
  /**
   * Fault-injection points of the order routing (a venue broker only), for crash tests: called
   * right after an intent is durable and before it is sent, and as a venue event arrives.
   */
  routerHooks?: OrderRouterOptions['hooks'];
  /** How often wall-clock work runs (scheduled tasks, the watchdog, bars of quiet markets), ms (default 100). */
  tickMs?: number;
}

/** What one source delivered, and what was wrong with it (nothing is dropped uncounted). */
export interface SourceStats {
  bars: number;
  ticks: number;
  quotes: number;
  /** Bars or ticks older than the last one (late or out of order): counted and left out. */
  late: number;
  /** Bars that came more than one bar interval after the previous (missing bars). */
  gaps: number;
  /** Times the source reconnected. */
  reconnects: number;
  /** Messages that could not be used (NaN prices, unknown types). */
  invalid: number;
  /** Times the watchdog found the source stale. */
  stale: number;
}

/** A strategy callback that threw. */
export interface StrategyFailure {
  callback: string;
  message: string;
  stack?: string;
  action: 'skipped' | 'halted';
}

/** Why a live session ended. */
export type StopReason = 'ended' | 'stopped' | 'signal' | 'halted' | 'error';

/** The summary a backtest and a live or paper run both print (`ferrotrade backtest|live --json`). */
export interface RunSummary {
  mode: 'backtest' | 'paper' | 'live';
  strategy: string;
  /** Bars processed (a live run: live bars, history not counted). */
  bars: number;
  orders: number;
  fills: number;
  /** Closed trades. */
  trades: number;
  openOrders: number;
  startValue: number;
  finalValue: number;
  finalCash: number;
  pnl: number;
}

/** What one strategy's live run produced. */
export interface LiveResult<S extends Strategy = Strategy> {
  strategy: S;
  /** Every order the strategy placed, with its notification history. */
  orders: Order[];
  /** Closed trades, and those still open at the end. */
  trades: Trade[];
  openTrades: Trade[];
  startValue: number;
  finalValue: number;
  finalCash: number;
  /** Live bars processed (all datas); `historyBars` came as warm-up. */
  bars: number;
  historyBars: number;
  /** Per source name. */
  sources: Record<string, SourceStats>;
  errors: StrategyFailure[];
  reason: StopReason;
  /** Orders open at the end: left with the venue, or canceled (`cancelOnStop`). */
  openOrdersLeft: number;
  canceledOnStop: number;
  summary: RunSummary;
  /** With a venue broker: what reconciling the journal with the venue found on start. */
  reconciliation?: ReconcileReport;
}
