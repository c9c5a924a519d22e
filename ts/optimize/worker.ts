/**
 * A sweep worker thread: loads the library, then the strategy module and the sweep's setup when
 * it is given one (at start, or later with a `sweep` message), rebuilds the datas on the shared
 * columns (no copy), and runs the combinations the main thread sends, in order, with the
 * indicator cache on — so an indicator with the same parameters is computed once per worker.
 * A thread lives across sweeps: another `sweep` message switches it to another setup (and
 * strategy module) with its compiled code and caches still warm.
 * @internal
 */
import { sweepClass } from './sweep-class.js';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

import { useIndicatorCache } from '../indicators/cache.js';
import { useColumnPool } from '../engine/column-pool.js';
import { useSharedPrices } from '../broker/shared-prices.js';
import type { ParamDefaults } from '../engine/params.js';
import type { Strategy } from '../engine/strategy.js';
import { runOne, type RunSetup, type SweepAnalyzer } from './run-one.js';
import { rebuildData, type SharedData } from './shared-data.js';
import type { BrokerSettings } from '../broker/broker.js';
import { errorRow, type SweepRow } from './results.js';

/** The datas, broker and analyzers the combinations of one sweep run with. */
export interface WorkerSetup {
  datas: SharedData[];
  broker: BrokerSettings;
  analyzers: SweepAnalyzer[];
}

/** Which strategy a sweep runs: the module that exports it and the export's name. */
export interface WorkerStrategy {
  module: string;
  /** How messages name the module when `module` is its compiled form (a `data:` URL). */
  moduleName?: string;
  exportName: string;
}

/**
 * What a thread starts with: the strategy and the setup of its first sweep; or less — a pool
 * started ahead of its sweeps loads the library, and the strategy module when it is named, and
 * gets the rest with a `sweep` message.
 */
export type WorkerInit = (WorkerStrategy & WorkerSetup) | { module?: string; moduleName?: string; exportName?: string };

/** One sweep's strategy and setup, as a pool sends them to its threads. */
export interface SweepSpec {
  strategy: WorkerStrategy;
  setup: WorkerSetup;
}

/**
 * Messages to and from a worker. `sweep` starts another sweep on the same thread (its compiled
 * code and indicator cache stay warm) and is answered with `prepared` once the module is loaded
 * (with `error` if it could not be): the combinations after it run with the new setup.
 A combination is answered with its row; several may be sent ahead, and run in order.
 */
export type ToWorker = { index: number; params: ParamDefaults } | { sweep: SweepSpec; id: number } | { stop: true };
export type FromWorker = { ready: true } | { index: number; row: SweepRow } | { prepared: number; error?: string } | { fatal: string };

/** A module by path or URL. */
async function importModule(module: string): Promise<Record<string, unknown>> {
  return (await import(/^[a-z]+:/i.test(module) ? module : pathToFileURL(module).href)) as Record<string, unknown>;
}

/** The class a module exports under `exportName`, as a sweep runs it. */
async function loadStrategy(s: WorkerStrategy): Promise<new () => Strategy> {
  const mod = await importModule(s.module);
  // A Strategy, or an Algo run through its adapter.
  const strategy = sweepClass(mod[s.exportName]);
  if (!strategy) throw new Error(`module ${s.moduleName ?? s.module} has no Strategy or Algo export '${s.exportName}'`);
  return strategy;
}

/** The setup of a sweep's runs, over the shared columns as they are (no copy). */
function runSetup(strategy: new () => Strategy, s: WorkerSetup): RunSetup {
  return { strategy, datas: s.datas.map(rebuildData), broker: s.broker, analyzers: s.analyzers };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  useIndicatorCache(true);
  useColumnPool(true);
  useSharedPrices(true);
  let setup: RunSetup | undefined;
  /** Why the current sweep has no setup (its module could not be loaded). */
  let unprepared = 'the sweep worker has no strategy: it was given no sweep';
  try {
    if ('datas' in init) setup = runSetup(await loadStrategy(init), init);
    // Loaded ahead, so that the first sweep finds it compiled.
    else if (init.module !== undefined) await importModule(init.module);
  } catch (err) {
    port.postMessage({ fatal: message(err) } satisfies FromWorker);
    return;
  }

  // Messages are handled one after another, each after the last has finished: a module import
  // is asynchronous, and the combinations sent after a `sweep` must run with its setup.
  let chain = Promise.resolve();
  const handle = async (msg: ToWorker): Promise<void> => {
    if ('stop' in msg) {
      port.close();
      return;
    }
    if ('sweep' in msg) {
      try {
        setup = runSetup(await loadStrategy(msg.sweep.strategy), msg.sweep.setup);
        port.postMessage({ prepared: msg.id } satisfies FromWorker);
      } catch (err) {
        setup = undefined;
        unprepared = message(err);
        port.postMessage({ prepared: msg.id, error: unprepared } satisfies FromWorker);
      }
      return;
    }
    const row = setup ? runOne(setup, msg.params) : errorRow(msg.params, unprepared);
    port.postMessage({ index: msg.index, row } satisfies FromWorker);
  };
  port.on('message', (msg: ToWorker) => {
    chain = chain.then(() => handle(msg));
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

void main();
