/**
 * A sweep worker thread: imports the strategy module, rebuilds the datas on the shared columns
 * (no copy), then runs the combinations the main thread sends, one at a time, with the
 * indicator cache on — so an indicator with the same parameters is computed once per worker.
 * @internal
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

import { useIndicatorCache } from '../indicators/cache.js';
import { useColumnPool } from '../engine/column-pool.js';
import type { ParamDefaults } from '../engine/params.js';
import type { Strategy } from '../engine/strategy.js';
import { runOne, type RunSetup, type SweepAnalyzer } from './run-one.js';
import { rebuildData, type SharedData } from './shared-data.js';
import type { BrokerSettings } from '../broker/broker.js';

/** What the main thread gives each worker. */
export interface WorkerInit {
  module: string;
  exportName: string;
  datas: SharedData[];
  broker: BrokerSettings;
  analyzers: SweepAnalyzer[];
}

/** Messages to and from a worker. */
export type ToWorker = { index: number; params: ParamDefaults } | { stop: true };
export type FromWorker = { ready: true } | { index: number; row: ReturnType<typeof runOne> } | { fatal: string };

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  let setup: RunSetup;
  try {
    const url = /^[a-z]+:/i.test(init.module) ? init.module : pathToFileURL(init.module).href;
    const mod = (await import(url)) as Record<string, unknown>;
    const strategy = mod[init.exportName] as (new () => Strategy) | undefined;
    if (typeof strategy !== 'function') throw new Error(`module ${init.module} has no export '${init.exportName}'`);
    useIndicatorCache(true);
    useColumnPool(true);
    setup = {
      strategy,
      datas: init.datas.map(rebuildData),
      broker: init.broker,
      analyzers: init.analyzers,
    };
  } catch (err) {
    port.postMessage({ fatal: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
    return;
  }
  port.on('message', (msg: ToWorker) => {
    if ('stop' in msg) {
      port.close();
      return;
    }
    port.postMessage({ index: msg.index, row: runOne(setup, msg.params) } satisfies FromWorker);
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

void main();
