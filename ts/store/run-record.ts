/**
 * A finished backtest as the store keeps it: the run (strategy, params, a hash of the strategy's
 * code), every order with each status change and fill, the trades, position changes and the
 * equity curve. `cerebro.run({ store })` saves one per strategy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ExecType, OrderStatus, type Order } from '../broker/order.js';
import type { Trade } from '../broker/trade.js';
import type { RunResult } from '../engine/result.js';
import { ParamError } from '../errors.js';
import type { EquityPoint, OrderEventRow, OrderRow, PositionRow, RunRecord, Store, TradeRow } from './types.js';

/** How a run is saved. */
export interface SaveRunOptions {
  /** Where to save. */
  store: Store;
  /**
   * The run's id (one strategy) or a prefix (`<prefix>-<k>` for strategy k of several).
   * Default: `<strategy>-<UTC time>-<random>`.
   */
  runId?: string;
  /** Anything JSON to keep with the run (data files, notes). */
  meta?: unknown;
}

const ms = (t: number): number => Math.round(t);
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** A hash of the strategy's class source: runs of changed code can be told apart. */
export function codeHash(cls: unknown): string {
  return createHash('sha256').update(String(cls)).digest('hex').slice(0, 16);
}

/** The id a run gets when none is given. */
export function newRunId(strategy: string, startedAt: number): string {
  const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${strategy}-${stamp}-${randomUUID().slice(0, 8)}`;
}

function orderRows(result: RunResult, o: Order): { order: OrderRow; events: OrderEventRow[] } {
  const data = result.datas[o.dataIndex];
  const times = data?.columns.datetime;
  const timeAt = (bar: number, fallback: number) => ms(times && bar >= 0 && bar < times.length ? times[bar]! : fallback);
  const created = o.created;
  const order: OrderRow = {
    ref: o.ref,
    clientOrderId: null,
    symbol: data?.name ?? `data${o.dataIndex}`,
    side: created.size >= 0 ? 'buy' : 'sell',
    type: ExecType[o.exectype] ?? String(o.exectype),
    size: Math.abs(created.size),
    price: finite(created.price),
    createdAt: ms(created.dt),
    status: OrderStatus[o.status] ?? String(o.status),
  };
  const events = o.history.map((h, seq): OrderEventRow => ({
    ref: o.ref,
    seq,
    time: timeAt(h.fill ? h.fill.bar : h.bar, created.dt),
    status: OrderStatus[h.status] ?? String(h.status),
    fillSize: h.fill ? h.fill.size : null,
    fillPrice: h.fill ? h.fill.price : null,
    commission: h.fill ? h.fill.comm : null,
  }));
  return { order, events };
}

function tradeRow(result: RunResult, t: Trade): TradeRow {
  return {
    id: t.ref,
    symbol: result.datas[t.dataIndex]?.name ?? `data${t.dataIndex}`,
    openedAt: ms(t.dtopen),
    closedAt: Number.isFinite(t.dtclose) ? ms(t.dtclose) : null,
    size: t.size,
    entryPrice: t.price,
    pnl: t.pnl,
    pnlComm: t.pnlcomm,
    commission: t.commission,
    bars: t.barlen,
  };
}

/** The record of one strategy's result. */
export function runRecordOf(
  result: RunResult,
  run: { id: string; startedAt: number; endedAt: number; meta?: unknown },
): RunRecord {
  const strategy = result.strategy.constructor as { name: string };
  const orders: OrderRow[] = [];
  const orderEvents: OrderEventRow[] = [];
  for (const o of result.orders) {
    const { order, events } = orderRows(result, o);
    orders.push(order);
    orderEvents.push(...events);
  }
  const times = result.timeline.times;
  const positions: PositionRow[] = [];
  result.positions.forEach((p, d) => {
    const symbol = result.datas[d]?.name ?? `data${d}`;
    let last = 0;
    for (let i = 0; i < p.size.length; i++) {
      if (p.size[i] !== last) positions.push({ symbol, time: ms(times[i]!), size: p.size[i]!, price: p.price[i]! });
      last = p.size[i]!;
    }
  });
  positions.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : 1));
  const equity: EquityPoint[] = [];
  for (let i = 0; i < result.value.length && i < times.length; i++) {
    if (Number.isFinite(result.value[i])) equity.push({ time: ms(times[i]!), value: result.value[i]!, cash: finite(result.cash[i]!) });
  }
  return {
    id: run.id,
    kind: 'backtest',
    strategy: strategy.name || 'Strategy',
    params: { ...(result.strategy.params as Record<string, unknown>) },
    codeHash: codeHash(strategy),
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    startValue: result.startValue,
    finalValue: result.finalValue,
    meta: run.meta,
    orders,
    orderEvents,
    trades: [...result.trades, ...result.openTrades].map((t) => tradeRow(result, t)),
    positions,
    equity,
  };
}

/** Saves every strategy's result as a run; returns the run ids, in strategy order. */
export async function saveRuns(results: RunResult[], options: SaveRunOptions, startedAt: number, endedAt: number): Promise<string[]> {
  const { store } = options;
  if (!store || typeof store.saveRun !== 'function') throw new ParamError('run({ store }): store must be a Store from openStore(url)');
  const ids: string[] = [];
  for (const [k, result] of results.entries()) {
    const name = (result.strategy.constructor as { name: string }).name || 'Strategy';
    const id = options.runId === undefined ? newRunId(name, startedAt) : results.length === 1 ? options.runId : `${options.runId}-${k}`;
    await store.saveRun(runRecordOf(result, { id, startedAt, endedAt, meta: options.meta }));
    (result as RunResult & { runId?: string }).runId = id;
    ids.push(id);
  }
  return ids;
}
