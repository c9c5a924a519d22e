/**
 * A sweep worker thread: imports the strategy module, rebuilds the datas on the shared columns
 * (no copy), then runs the combinations the main thread sends, one at a time, with the
 * indicator cache on — so an indicator with the same parameters is computed once per worker.
 * A `setup` message starts another sweep on the same thread (the windows of a walk-forward).
 * @internal
 */
import { sweepClass } from './sweep-class.js';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

import { useIndicatorCache } from '../indicators/cache.js';
import { useColumnPool } from '../engine/column-pool.js';
import type { ParamDefaults } from '../engine/params.js';
import type { Strategy } from '../engine/strategy.js';
import { runOne, type RunSetup, type SweepAnalyzer } from './run-one.js';
import { rebuildData, type SharedData } from './shared-data.js';
import type { BrokerSettings } from '../broker/broker.js';

/** The datas, broker and analyzers the combinations of one sweep run with. */
export interface WorkerSetup {
  datas: SharedData[];
  broker: BrokerSettings;
  analyzers: SweepAnalyzer[];
}

/** What the main thread gives each worker: the strategy to import and the first sweep's setup. */
export interface WorkerInit extends WorkerSetup {
  module: string;
  /** How messages name the module when `module` is its compiled form (a `data:` URL). */
  moduleName?: string;
  exportName: string;
}

/**
 * Messages to and from a worker. `setup` starts another sweep on the same thread (its compiled
 * code and indicator cache stay warm): the combinations after it run with the new setup.
 */
export type ToWorker = { index: number; params: ParamDefaults } | { setup: WorkerSetup } | { stop: true };
export type FromWorker = { ready: true } | { index: number; row: ReturnType<typeof runOne> } | { fatal: string };

/** The setup of a sweep's runs, over the shared columns as they are (no copy). */
function runSetup(strategy: new () => Strategy, s: WorkerSetup): RunSetup {
  return { strategy, datas: s.datas.map(rebuildData), broker: s.broker, analyzers: s.analyzers };
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  let setup: RunSetup;
  try {
    const url = /^[a-z]+:/i.test(init.module) ? init.module : pathToFileURL(init.module).href;
    const mod = (await import(url)) as Record<string, unknown>;
    // A Strategy, or an Algo run through its adapter.
    const strategy = sweepClass(mod[init.exportName]);
    if (!strategy) throw new Error(`module ${init.moduleName ?? init.module} has no Strategy or Algo export '${init.exportName}'`);
    useIndicatorCache(true);
    useColumnPool(true);
    setup = runSetup(strategy, init);
  } catch (err) {
    port.postMessage({ fatal: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
    return;
  }
  port.on('message', (msg: ToWorker) => {
    if ('stop' in msg) {
      port.close();
      return;
    }
    if ('setup' in msg) {
      setup = runSetup(setup.strategy, msg.setup);
      return;
    }
    port.postMessage({ index: msg.index, row: runOne(setup, msg.params) } satisfies FromWorker);
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

void main();
