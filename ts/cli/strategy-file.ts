/**
 * A strategy file for `ferrotrade backtest` and `ferrotrade live`: a module whose default export
 * (or `strategy` export) is a Strategy class, with optional `params` (passed to addStrategy) and
 * `configure(cerebro)` (broker settings, sizers, analyzers). The same file runs in both commands.
 *
 * ```ts
 * export default class SmaCross extends Strategy { ... }
 * export const params = { fast: 10, slow: 30 };
 * export function configure(cerebro: Cerebro) { cerebro.broker.setCash(100_000); }
 * ```
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Cerebro } from '../engine/cerebro.js';
import { Strategy } from '../engine/strategy.js';
import { ParamError } from '../errors.js';
import type { RunSummary } from '../live/options.js';
import type { RunResult } from '../engine/result.js';

/** What a strategy file provides. */
export interface StrategyModule {
  strategy: new () => Strategy;
  params: Record<string, unknown>;
  configure?: (cerebro: Cerebro) => void;
}

/** Loads a strategy file. @throws ParamError when it exports no Strategy class. */
export async function loadStrategyFile(file: string): Promise<StrategyModule> {
  const mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  const cls = (mod.default ?? mod.strategy) as (new () => Strategy) | undefined;
  if (typeof cls !== 'function' || !(cls.prototype instanceof Strategy)) {
    throw new ParamError(`${file} must export a Strategy class as its default export (or as 'strategy')`);
  }
  const params = (mod.params ?? {}) as Record<string, unknown>;
  const configure = typeof mod.configure === 'function' ? (mod.configure as (c: Cerebro) => void) : undefined;
  return { strategy: cls, params, ...(configure ? { configure } : {}) };
}

/** A new cerebro with the file's strategy added and its configuration applied. */
export function cerebroFor(m: StrategyModule): Cerebro {
  const cerebro = new Cerebro();
  m.configure?.(cerebro);
  cerebro.addStrategy(m.strategy, m.params as never);
  return cerebro;
}

/** The summary of a backtest, in the shape a live session's has. */
export function backtestSummary(r: RunResult): RunSummary {
  const fills = r.orders.reduce((a, o) => a + o.history.filter((e) => e.fill).length, 0);
  return {
    mode: 'backtest', strategy: r.strategy.constructor.name, bars: r.bars, orders: r.orders.length, fills, trades: r.trades.length,
    openOrders: r.orders.filter((o) => o.alive()).length, startValue: r.startValue, finalValue: r.finalValue, finalCash: r.finalCash,
    pnl: r.finalValue - r.startValue,
  };
}

/** Prints a summary (the same lines for every mode). */
export function printSummary(s: RunSummary & { reason?: string }): string {
  const rows = Object.entries(s as object).filter(([, v]) => typeof v !== 'object');
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v)}`).join('\n') + '\n';
}
