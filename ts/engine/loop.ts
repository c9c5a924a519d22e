import { BarRecorder } from './recorder.js';
import { takeColumn } from './column-pool.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Broker } from '../broker/broker.js';
import { stepBroker } from './broker-step.js';
import { Strategy } from './strategy.js';
import { RECORD, applyOrderRecord, orderOwner, decodeTrade, isClosedTradeRecord, isOrderRecord, tradeOwner, type OrderReasons } from '../broker/events.js';
import type { Trade } from '../broker/trade.js';
import { ClosedTradeLog } from '../broker/trade-log.js';
import { defineLazy, type LoopResult } from './result.js';
import { ordersOf, type Order } from '../broker/order.js';
import { placeCursors, type Timeline } from './timeline.js';
import type { TimeEvents } from './time-events.js';
import type { ReplaySteps } from './replay-steps.js';

/**
 * The bar loop (backtrader's order of events per bar): the broker processes pending orders
 * against the bar, notifications are delivered (orders, then trades, then cash/value), then
 * each strategy's `prenext`/`nextstart`/`next` runs.
 *
 * Hot path: per bar it stores the cursor, reads two numbers of shared state and calls the
 * strategy. The broker (an N-API call) is entered only on bars where it has orders or
 * notifications.
 * @internal
 */
export function runBars(
  datas: DataFeed[],
  broker: Broker,
  strategies: Strategy[],
  minPeriods: number[][],
  timeline: Timeline,
  cheatOnOpen = false,
  /** Called after the strategies' `start()`; `null` when no timer or task is registered. */
  timeEvents: () => TimeEvents | null = () => null,
  /** The replayed datas' per-step work, or `null` when no data is replayed. */
  replay: ReplaySteps | null = null,
): LoopResult[] {
  const n = timeline.ticks;
  const state = broker.state;
  const core = broker.core!;
  // Every element of these is written below, bar by bar, so recycled columns need no clearing.
  // (The cash changes only on fills: the recorder logs it and builds the column when read.)
  const value = strategies.map(() => takeColumn(n));
  const closed = strategies.map(() => new ClosedTradeLog());
  const wantsCashValue = strategies.map((s) => s.notifyCashValue !== Strategy.prototype.notifyCashValue);
  // Snapshots and trade objects are made only for strategies that listen (and for closed
  // trades, which the result keeps).
  const wantsOrders = strategies.map((s) => s.notifyOrder !== Strategy.prototype.notifyOrder);
  const wantsTrades = strategies.map((s) => s.notifyTrade !== Strategy.prototype.notifyTrade);
  const single = datas.length === 1 && timeline.shared ? datas[0]! : null;
  const shared = timeline.shared;
  // On one shared calendar the warm-up status is the largest minimum period less the bars seen
  // (see `warmup`); whether nextstart has run, per strategy.
  const sharedMin = minPeriods.map((m) => Math.max(...m));
  const started = strategies.map(() => false);
  const cursors = shared ? null : new Float64Array(2 * datas.length);
  if (cursors) core.bindCursors(cursors);
  // Orders and trades count rows of the columns the broker fills against.
  const brokerTimes = datas.map((d) => d.brokerColumns.datetime);

  const recorder = new BarRecorder(n, broker);
  recorder.attachValue(value[0] ?? new Float64Array(n));
  const tick = { i: -1 };
  for (const s of strategies) s._tick = tick;
  for (const s of strategies) s.start();
  const events = timeEvents();

  barLoop({
    n, tick, single, shared, datas, timeline, replay, cursors, cheatOnOpen, strategies, events, state,
    broker, core, recorder, value, wantsCashValue, wantsOrders, wantsTrades, closed,
    brokerTimes, minPeriods, sharedMin, started,
  });

  for (const s of strategies) s.stop();

  const open = decodeOpenTrades(core.openTrades(), brokerTimes, datas);
  const table = broker.table;
  return strategies.map((strategy, k) => withLazyColumns({
    strategy,
    openTrades: open.filter((t) => t.owner === k).map((t) => t.trade),
    value: value[k]!,
    finalValue: n > 0 ? broker.getValue() : broker.getCash(),
    finalCash: broker.getCash(),
    bars: n,
    recorded: recorder,
    timeline,
  }, () => ordersOf(table, k), () => closed[k]!.decode(brokerTimes, datas)));
}

/** A loop result whose orders, trades and cash column are built when first read. */
function withLazyColumns(r: Omit<LoopResult, 'orders' | 'trades' | 'cash'>, orders: () => Order[], trades: () => Trade[]): LoopResult {
  const result = r as LoopResult;
  defineLazy(result, 'orders', orders);
  defineLazy(result, 'trades', trades);
  defineLazy(result, 'cash', () => r.recorded.cashColumn());
  return result;
}

function decodeOpenTrades(records: number[], times: readonly Float64Array[], datas: readonly DataFeed[]) {
  const buf = Float64Array.from(records);
  const out: { owner: number; trade: Trade }[] = [];
  for (let at = 0; at < buf.length; at += RECORD) out.push({ owner: tradeOwner(buf, at), trade: decodeTrade(buf, at, times, datas) });
  return out;
}

/** Everything one run's bar loop reads: made once per run, read by module functions. */
interface LoopState {
  n: number;
  tick: { i: number };
  single: DataFeed | null;
  shared: boolean;
  datas: DataFeed[];
  timeline: Timeline;
  replay: ReplaySteps | null;
  cursors: Float64Array | null;
  cheatOnOpen: boolean;
  strategies: Strategy[];
  events: TimeEvents | null;
  state: Float64Array;
  broker: Broker;
  core: OrderReasons;
  recorder: BarRecorder;
  value: Float64Array[];
  wantsCashValue: boolean[];
  wantsOrders: boolean[];
  wantsTrades: boolean[];
  closed: ClosedTradeLog[];
  brokerTimes: Float64Array[];
  minPeriods: number[][];
  sharedMin: number[];
  started: boolean[];
}

/**
 * The bar loop. A function of the module taking the run's state, not a closure made per run:
 * the engine compiles it while it runs and keeps that code for every later run (a closure made
 * per run, or the loop inside the function that also starts and ends a run, was thrown away and
 * recompiled several times in every sweep worker).
 */
function barLoop(L: LoopState): void {
  const { n, tick, single, shared, datas, timeline, replay, cursors, cheatOnOpen, strategies, events, state, broker } = L;
  const { recorder, value, wantsCashValue, sharedMin, started } = L;
  const risk = broker.risk;
  for (let i = 0; i < n; i++) {
    tick.i = i;
    if (single) single.cursor.i = i;
    else {
      placeCursors(datas, timeline, cursors, i);
      // With a replayed data the strategies' length counts new bars, not ticks.
      if (!shared && replay !== null) tick.i = replay.place(i) - 1;
    }

    if (cheatOnOpen) {
      // backtrader's cheat-on-open: strategies see the bar before the broker fills against it.
      for (let k = 0; k < strategies.length; k++) {
        const s = strategies[k]!;
        const st = warmup(L, k, i);
        if (st < 0) s.nextOpen();
        else if (st === 0) s.nextstartOpen();
        else s.prenextOpen();
      }
    }

    if (events !== null && events.cheat) events.fire(true);

    // Enter the broker only when it has orders, notifications, or per-bar work (futures
    // marked to market, credit interest, added cash).
    if (state[1] !== 0 || state[2] !== 0 || state[3] !== 0) deliver(L, i, stepBroker(broker, cursors, i));

    if (events !== null) events.fire(false);

    const c = state[0]!;
    const v = broker.getValue();
    recorder.record(i);
    if (risk !== null) risk.onBar(v);
    for (let k = 0; k < strategies.length; k++) {
      const s = strategies[k]!;
      value[k]![i] = v;
      if (wantsCashValue[k]) s.notifyCashValue(c, v);
      const st = shared ? sharedMin[k]! - (i + 1) : warmup(L, k, i);
      if (st < 0) s.next();
      else if (st === 0) {
        started[k] = true;
        s.nextstart();
      } else s.prenext();
    }
  }
}

/**
 * backtrader's warm-up status of strategy `k` at tick `i`: max over datas of (minimum period -
 * bars seen); > 0 prenext, 0 nextstart, < 0 next. On one shared calendar every data has seen the
 * same bars. nextstart runs once: with datas on different calendars the status can sit at 0 for
 * several ticks (backtrader would call nextstart again each time).
 */
function warmup(L: LoopState, k: number, i: number): number {
  if (L.shared) return L.sharedMin[k]! - (i + 1);
  if (L.started[k]) return -1;
  let st = -Infinity;
  const m = L.minPeriods[k]!;
  for (let d = 0; d < L.datas.length; d++) st = Math.max(st, m[d]! - (L.datas[d]!.cursor.i + 1));
  return st;
}

/**
 * @internal what else hears of each order and trade record besides the strategies (a live run's
 * events and `onFill`). Called before the strategy's own notification.
 */
export interface DeliveryObserver {
  order(ref: number, owner: number, fill: boolean): void;
  trade(owner: number, records: Float64Array, at: number): void;
}

/** @internal what {@link deliver} reads: the bar loop's state, or a live run's. */
export type DeliverState = Pick<LoopState, 'broker' | 'strategies' | 'brokerTimes' | 'core' | 'wantsOrders' | 'wantsTrades' | 'closed' | 'datas'> & {
  observer?: DeliveryObserver | null;
};

/**
 * @internal Applies the step's `got` notification records and notifies the strategies that
 * listen. Shared by the bar loop and live runs, so both deliver alike.
 */
export function deliver(L: DeliverState, bar: number, got: number): void {
  const { broker, strategies, brokerTimes, core, wantsOrders, wantsTrades, closed, datas } = L;
  const observer = L.observer ?? null;
  const buf = broker.events;
  let firstTrade = -1;
  for (let k = 0; k < got; k++) {
    const at = k * RECORD;
    if (!isOrderRecord(buf, at)) {
      if (firstTrade < 0) firstTrade = k;
      continue;
    }
    const ref = applyOrderRecord(buf, at, broker.table, bar, brokerTimes, core);
    const owner = orderOwner(buf, at);
    if (observer !== null) observer.order(ref, owner, buf[at + 4] === 1);
    if (wantsOrders[owner]) strategies[owner]!.notifyOrder(broker.order(ref).snapshot());
  }
  // Trades are notified after every order of the bar, as backtrader does.
  for (let k = Math.max(firstTrade, 0); firstTrade >= 0 && k < got; k++) {
    const at = k * RECORD;
    if (isOrderRecord(buf, at)) continue;
    const owner = tradeOwner(buf, at);
    if (isClosedTradeRecord(buf, at)) closed[owner]!.push(buf, at);
    if (observer !== null) observer.trade(owner, buf, at);
    if (wantsTrades[owner]) strategies[owner]!.notifyTrade(decodeTrade(buf, at, brokerTimes, datas));
  }
}
