import { Cerebro } from '../engine/cerebro.js';
import type { Strategy } from '../engine/strategy.js';
import type { ParamDefaults } from '../engine/params.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { BrokerSettings } from '../broker/broker.js';
import { Analyzer, Analyzers } from '../analyzers/index.js';
import { errorRow, type SweepRow } from './results.js';
import type { RunResult } from '../engine/result.js';
import { giveBack } from '../engine/column-pool.js';
import { endIndicatorRun } from '../indicators/cache.js';

/** An analyzer to run in each combination, by its class name in `Analyzers`. */
export interface SweepAnalyzer {
  cls: string;
  params: Record<string, unknown>;
  name: string;
}

/** Everything one combination needs besides its parameters. @internal */
export interface RunSetup {
  strategy: new () => Strategy;
  datas: DataFeed[];
  broker: BrokerSettings;
  analyzers: SweepAnalyzer[];
}

/** Largest peak-to-trough fall of `value`, in percent. @internal */
export function maxDrawdownPct(value: Float64Array): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (v > peak) peak = v;
    else if (peak > 0 && (peak - v) / peak > worst) worst = (peak - v) / peak;
  }
  return worst * 100;
}

/** A cerebro with the setup and the strategy with `params`, ready to run. @internal */
export function buildCerebro(setup: RunSetup, params: ParamDefaults): Cerebro {
  const cerebro = new Cerebro({ stdstats: false });
  for (const d of setup.datas) cerebro.addData(d);
  cerebro.broker.importSettings(setup.broker);
  for (const a of setup.analyzers) {
    const cls = (Analyzers as Record<string, unknown>)[a.cls] as new (p?: unknown) => never;
    cerebro.addAnalyzer(cls, a.params, a.name);
  }
  cerebro.addStrategy(setup.strategy, params);
  return cerebro;
}

/** Reduces a run to a light row. @internal */
export function rowOf(r: RunResult, setup: Pick<RunSetup, 'analyzers'>, params: ParamDefaults, ms: number): SweepRow {
  const start = r.recorded.startValue;
  const row: SweepRow = {
    params,
    finalValue: r.finalValue,
    returnPct: (r.finalValue / start - 1) * 100,
    maxDrawdownPct: maxDrawdownPct(r.value),
    closedTrades: r.trades.length,
    wonTrades: r.trades.filter((t) => t.pnlcomm > 0).length,
    pnlNet: r.trades.reduce((s, t) => s + t.pnlcomm, 0),
    ms,
  };
  if (setup.analyzers.length > 0) {
    row.analyzers = Object.fromEntries(setup.analyzers.map((a) => [a.name, r.analyzer(Analyzer, a.name).getAnalysis()]));
  }
  return row;
}

/**
 * Runs one combination and reduces it to a light row. A combination that throws becomes a row
 * with its error, so one bad combination never stops a sweep.
 * @internal
 */
export function runOne(setup: RunSetup, params: ParamDefaults): SweepRow {
  const t0 = performance.now();
  try {
    const [r] = buildCerebro(setup, params).run();
    const row = rowOf(r!, setup, params, performance.now() - t0);
    // The row is all a sweep keeps of the run.
    giveBack(r!.cash, r!.value);
    return row;
  } catch (err) {
    const ms = performance.now() - t0;
    if (!(err instanceof Error)) return errorRow(params, String(err), ms, typeof err);
    return errorRow(params, `${err.name}: ${err.message}`, ms, err.constructor?.name || err.name);
  } finally {
    // Whatever the run read of the indicator cache, it reads no more.
    endIndicatorRun();
  }
}
