import { BarRecorder } from './recorder.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Broker } from '../broker/broker.js';
import { Strategy } from './strategy.js';
import { RECORD, applyOrderRecord, decodeTrade, isOrderRecord, tradeOwner } from '../broker/events.js';
import type { Trade } from '../broker/trade.js';
import type { LoopResult } from './result.js';

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
  minPeriods: number[],
  cheatOnOpen = false,
): LoopResult[] {
  const n = datas[0]!.size;
  const state = broker.state;
  const core = broker.core!;
  const cash = strategies.map(() => new Float64Array(n));
  const value = strategies.map(() => new Float64Array(n));
  const closed: Trade[][] = strategies.map(() => []);
  const wantsCashValue = strategies.map((s) => s.notifyCashValue !== Strategy.prototype.notifyCashValue);
  const single = datas.length === 1 ? datas[0]! : null;
  const dtOf = (d: number, bar: number) => datas[d]!.columns.datetime[bar]!;

  const recorder = new BarRecorder(n, broker);
  for (const s of strategies) s.start();

  const deliver = (bar: number, count: number) => {
    if (count * RECORD > broker.events.length) broker.events = new Float64Array(count * RECORD * 2);
    const buf = broker.events;
    const got = core.takeEvents(buf);
    let firstTrade = -1;
    for (let k = 0; k < got; k++) {
      const at = k * RECORD;
      if (!isOrderRecord(buf, at)) {
        if (firstTrade < 0) firstTrade = k;
        continue;
      }
      const order = applyOrderRecord(buf, at, broker.orders, bar, dtOf, (ref) => core.orderReason(ref));
      strategies[order.ownerIndex]!.notifyOrder(order.snapshot());
    }
    // Trades are notified after every order of the bar, as backtrader does.
    for (let k = Math.max(firstTrade, 0); firstTrade >= 0 && k < got; k++) {
      const at = k * RECORD;
      if (isOrderRecord(buf, at)) continue;
      const owner = tradeOwner(buf, at);
      const trade = decodeTrade(buf, at, dtOf);
      if (trade.isClosed) closed[owner]!.push(trade);
      strategies[owner]!.notifyTrade(trade);
    }
  };

  for (let i = 0; i < n; i++) {
    if (single) single.cursor.i = i;
    else for (let d = 0; d < datas.length; d++) datas[d]!.cursor.i = i;

    if (cheatOnOpen) {
      // backtrader's cheat-on-open: strategies see the bar before the broker fills against it.
      for (let k = 0; k < strategies.length; k++) {
        const s = strategies[k]!;
        const len = i + 1;
        const minp = minPeriods[k]!;
        if (len > minp) s.nextOpen();
        else if (len === minp) s.nextstartOpen();
        else s.prenextOpen();
      }
    }

    // Enter the broker only when it has orders, notifications, or per-bar work (futures
    // marked to market, credit interest, added cash).
    if (state[1] !== 0 || state[2] !== 0 || state[3] !== 0) deliver(i, core.next(i));

    const c = state[0]!;
    const v = broker.getValue();
    recorder.record(i, v);
    for (let k = 0; k < strategies.length; k++) {
      const s = strategies[k]!;
      cash[k]![i] = c;
      value[k]![i] = v;
      if (wantsCashValue[k]) s.notifyCashValue(c, v);
      const len = i + 1;
      const minp = minPeriods[k]!;
      if (len > minp) s.next();
      else if (len === minp) s.nextstart();
      else s.prenext();
    }
  }

  for (const s of strategies) s.stop();

  const open = decodeOpenTrades(core.openTrades(), dtOf);
  return strategies.map((strategy, k) => ({
    strategy,
    orders: broker.orders.filter((o) => o.ownerIndex === k),
    trades: closed[k]!,
    openTrades: open.filter((t) => t.owner === k).map((t) => t.trade),
    cash: cash[k]!,
    value: value[k]!,
    finalValue: n > 0 ? broker.getValue() : broker.getCash(),
    finalCash: broker.getCash(),
    bars: n,
    recorded: recorder,
  }));
}

function decodeOpenTrades(records: number[], dtOf: (d: number, bar: number) => number) {
  const buf = Float64Array.from(records);
  const out: { owner: number; trade: Trade }[] = [];
  for (let at = 0; at < buf.length; at += RECORD) out.push({ owner: tradeOwner(buf, at), trade: decodeTrade(buf, at, dtOf) });
  return out;
}
