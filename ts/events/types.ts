/**
 * The typed events of the event bus. Everything observable in a live or paper session (and,
 * where it applies, in a backtest) is one of these: the notifier, the store, the dashboard and
 * other processes subscribe to them. Each event is a plain, JSON-serialisable object, so it can
 * be written to a database or sent to another process unchanged.
 */

/** Severity, lowest first. Notifier channels filter on it. */
export type EventLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** The levels in order, lowest first (index = rank). */
export const EVENT_LEVELS: readonly EventLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** Rank of a level (DEBUG 0 … CRITICAL 4), for comparisons. */
export function levelRank(level: EventLevel): number {
  return EVENT_LEVELS.indexOf(level);
}

/** Fields every event carries. */
interface EventBase {
  /** When it happened: ms since 1970-01-01 UTC, from the session's clock. */
  time: number;
  /** The strategy, account or component it concerns, when there is one. */
  source?: string;
}

/** An order as events describe it: a snapshot, not the live object. */
export interface OrderSnapshot {
  /** The engine's order reference. */
  ref: number;
  /** The idempotent id sent to the venue, when the order reached one. */
  clientOrderId?: string;
  /** The venue's own id, once known. */
  venueOrderId?: string;
  /** Instrument or data name. */
  symbol: string;
  side: 'buy' | 'sell';
  /** Order type: Market, Limit, Stop, ... */
  orderType: string;
  /** Requested size (positive). */
  size: number;
  /** Limit or stop price, when the type has one. */
  price?: number;
  /** Status name: Submitted, Accepted, Partial, Completed, Canceled, Expired, Margin, Rejected. */
  status: string;
  /** Size filled so far. */
  filled: number;
  /** Average fill price so far (NaN before any fill). */
  avgPrice: number;
  /** Why it was refused, cancelled or expired. */
  reason?: string;
}

/** An order changed status. */
export interface OrderEventMessage extends EventBase {
  type: 'order';
  order: OrderSnapshot;
}

/** Part or all of an order was executed. */
export interface FillEventMessage extends EventBase {
  type: 'fill';
  order: OrderSnapshot;
  /** This execution's size (positive) and price. */
  size: number;
  price: number;
  commission: number;
}

/** A trade (a position opened and closed) ended. */
export interface TradeEventMessage extends EventBase {
  type: 'trade';
  symbol: string;
  /** Gross profit and profit after commission. */
  pnl: number;
  pnlComm: number;
  /** Bars the trade was open and its opening price. */
  barLength: number;
  openPrice: number;
}

/** The risk engine's state changed (ACTIVE, REDUCING, HALTED), including the kill switch. */
export interface RiskStateEventMessage extends EventBase {
  type: 'risk';
  state: 'ACTIVE' | 'REDUCING' | 'HALTED';
  previous: 'ACTIVE' | 'REDUCING' | 'HALTED';
  reason: string;
  /** True when the change came from the kill switch. */
  killSwitch: boolean;
}

/** The risk engine refused an order (it is also reported as a Rejected order). */
export interface RiskRefusalEventMessage extends EventBase {
  type: 'risk.refused';
  order: OrderSnapshot;
  /** The check that refused it, e.g. `maxOrderSize`, `priceBand`. */
  check: string;
  reason: string;
}

/** A connection to the outside world (venue, data source, store) changed state. */
export interface ConnectionEventMessage extends EventBase {
  type: 'connection';
  /** What is connected: `broker:alpaca`, `source:ccxt`, `store:postgres`, ... */
  component: string;
  state: 'connecting' | 'connected' | 'reconnecting' | 'lost' | 'restored' | 'stopped';
  detail?: string;
}

/** A strategy callback threw. */
export interface StrategyErrorEventMessage extends EventBase {
  type: 'strategy.error';
  /** The callback that threw: `next`, `notifyOrder`, ... */
  callback: string;
  message: string;
  stack?: string;
  /** What the engine did: skipped the bar or halted trading. */
  action: 'skipped' | 'halted';
}

/** A data source has sent nothing for longer than its watchdog allows. */
export interface StaleDataEventMessage extends EventBase {
  type: 'data.stale';
  symbol: string;
  /** Time of the last message received, and how long ago that was. */
  lastTime: number;
  ageMs: number;
}

/** A free-form message: from a strategy's `notify()`, or a component's log line worth sending. */
export interface MessageEventMessage extends EventBase {
  type: 'message';
  level: EventLevel;
  text: string;
  data?: Record<string, unknown>;
}

/** The scheduled summary of a session (daily by default). */
export interface SummaryEventMessage extends EventBase {
  type: 'summary';
  equity: number;
  cash: number;
  /** Profit and loss since the previous summary (or the session's start). */
  pnl: number;
  trades: number;
  /** Largest drawdown so far, in percent. */
  drawdownPct: number;
}

/** A session started or stopped. */
export interface SessionEventMessage extends EventBase {
  type: 'session';
  state: 'starting' | 'reconciled' | 'trading' | 'stopping' | 'stopped';
  mode: 'backtest' | 'paper' | 'live';
  detail?: string;
}

/** Every event the bus carries. */
export type FerroEvent =
  | OrderEventMessage
  | FillEventMessage
  | TradeEventMessage
  | RiskStateEventMessage
  | RiskRefusalEventMessage
  | ConnectionEventMessage
  | StrategyErrorEventMessage
  | StaleDataEventMessage
  | MessageEventMessage
  | SummaryEventMessage
  | SessionEventMessage;

/** The `type` of any event. */
export type FerroEventType = FerroEvent['type'];

/** The event of a given type. */
export type EventOf<T extends FerroEventType> = Extract<FerroEvent, { type: T }>;

/** The level an event is reported at when it carries none of its own. */
export function eventLevel(event: FerroEvent): EventLevel {
  switch (event.type) {
    case 'message':
      return event.level;
    case 'order':
      return event.order.status === 'Rejected' || event.order.status === 'Margin' ? 'WARNING' : 'INFO';
    case 'fill':
    case 'trade':
    case 'summary':
    case 'session':
      return 'INFO';
    case 'risk':
      return event.state === 'HALTED' ? 'CRITICAL' : event.state === 'REDUCING' ? 'ERROR' : 'WARNING';
    case 'risk.refused':
      return 'WARNING';
    case 'connection':
      return event.state === 'lost' ? 'ERROR' : event.state === 'reconnecting' ? 'WARNING' : 'INFO';
    case 'strategy.error':
      return event.action === 'halted' ? 'CRITICAL' : 'ERROR';
    case 'data.stale':
      return 'WARNING';
  }
}
