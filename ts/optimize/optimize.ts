import { availableParallelism } from 'node:os';

import { ParamError, SweepWorkerError } from '../errors.js';
import type { Strategy } from '../engine/strategy.js';
import { collectParamDefaults, type ParamDefaults } from '../engine/params.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { BrokerSettings } from '../broker/broker.js';
import { useIndicatorCache } from '../indicators/cache.js';
import { useColumnPool } from '../engine/column-pool.js';
import { useSharedPrices } from '../broker/shared-prices.js';
import { expandGrid, type Grid, type Sampling } from './grid.js';
import { ProgressReporter, type SweepProgress } from './progress.js';
import { errorRow, SweepResults, type SweepRow } from './results.js';
import { runOne, type SweepAnalyzer } from './run-one.js';
import { describeData, shareDatas } from './shared-data.js';
import { ThreadPool } from './threads.js';
import { SweepPool } from './sweep-pool.js';
import { importWithPeers } from '../optional-peer.js';
import { DISTRIBUTED_PEERS } from './remote.js';
import type { DistributedOptions } from './distributed.js';
import type { SweepSpec, WorkerSetup } from './worker.js';

/** Options of `cerebro.optStrategy`. */
export interface OptimizeOptions {
  /**
   * The module that exports the strategy class (`import.meta.url` of its file, or a path).
   * Worker threads import it; required unless `maxCpus` is 1.
   */
  module?: string | URL;
  /** The export name of the class in `module` (default: the class's name). */
  exportName?: string;
  /** Worker threads (default: all cores). 1 runs the sweep in the calling thread. */
  maxCpus?: number;
  /** All combinations (default), or a random / Latin-hypercube sample of them. */
  sampling?: Sampling;
  /**
   * Most combinations the sweep may run (default 1,000,000): a larger grid is refused before
   * any work with its size and an estimate of the time (`ParamError`, code `SWEEP_TOO_LARGE`).
   */
  maxCombinations?: number;
  /**
   * Longest one combination may run, in ms (default: no limit). A combination past it has
   * its thread stopped and becomes a row with the error, and the sweep goes on: a strategy
   * that never returns cannot stall the sweep. Needs worker threads (`module`), since a
   * thread is the unit that can be stopped; with `maxCpus: 1` the sweep runs on one thread.
   */
  timeLimitMs?: number;
  /**
   * Run on worker threads even with `maxCpus: 1` (default: one CPU runs in the calling thread).
   * Useful to compare 1 and N workers with the same start-up costs.
   */
  threads?: boolean;
  /** Called after every combination (a progress bar is drawn on a terminal as well). */
  onProgress?: (progress: SweepProgress) => void;
  /**
   * Worker threads kept warm across sweeps ({@link sweepPool}): the sweep runs on them instead
   * of starting threads of its own, and leaves them running (`maxCpus` and `threads` are then
   * ignored: the pool's size is the sweep's). `module` defaults to the pool's.
   */
  pool?: SweepPool;
  /**
   * Runs the combinations on `ferrotrade worker` processes through a BullMQ queue on Redis,
   * on any number of machines, instead of local threads (`maxCpus` is then ignored; `module`
   * is required and must be importable under the same path on every worker machine).
   */
  distributed?: DistributedOptions;
}

/** @internal what the cerebro hands the sweep. */
export interface SweepSetup {
  datas: DataFeed[];
  broker: BrokerSettings;
  analyzers: SweepAnalyzer[];
}

/** @internal runs a sweep; see `Cerebro.optStrategy`. */
export async function optimize(
  setup: SweepSetup,
  cls: new () => Strategy,
  grid: Grid,
  options: OptimizeOptions = {},
  /**
   * Worker threads kept across sweeps (the windows of a walk-forward optimisation): a sweep on
   * threads takes them from here, or starts them and leaves them here; the caller closes them.
   */
  keep?: { pool?: ThreadPool },
): Promise<SweepResults> {
  const bars = setup.datas.reduce((n, d) => Math.max(n, d.size), 0);
  const parallel = options.distributed ? 1 : options.maxCpus ?? availableParallelism();
  const combos = expandGrid(cls.name, collectParamDefaults(cls), grid, options.sampling, { maxCombinations: options.maxCombinations, bars, parallel });
  if (options.distributed) {
    if (options.module === undefined) {
      throw new ParamError('a distributed sweep needs `module`: the path or URL of the file that exports the strategy, the same on every worker machine');
    }
    const run = {
      setup: { datas: setup.datas.map((d) => describeData(d)), broker: setup.broker, analyzers: setup.analyzers },
      strategyName: cls.name,
      module: String(options.module),
      exportName: options.exportName ?? cls.name,
      combos,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    // Loaded on demand: BullMQ and the Redis client are not needed by local sweeps.
    const { distributedSweep } = await importWithPeers(() => import('./distributed.js'), DISTRIBUTED_PEERS, 'distributed sweeps');
    return distributedSweep(run, options.distributed);
  }
  const pool = options.pool;
  if (pool !== undefined && !(pool instanceof SweepPool)) throw new ParamError('pool must be a SweepPool made by sweepPool()');
  const cpus = pool?.workers ?? options.maxCpus ?? availableParallelism();
  if (!Number.isInteger(cpus) || cpus < 1) throw new ParamError(`maxCpus must be a whole number >= 1, got ${cpus}`);
  const workers = Math.min(cpus, combos.length);
  const progress = new ProgressReporter(combos.length, options.onProgress);
  const t0 = performance.now();

  const timeLimitMs = options.timeLimitMs ?? 0;
  if (!Number.isFinite(timeLimitMs) || timeLimitMs < 0) throw new ParamError(`timeLimitMs must be a number of ms >= 0, got ${String(options.timeLimitMs)}`);
  if (pool === undefined && workers <= 1 && options.threads !== true && timeLimitMs === 0) {
    useIndicatorCache(true);
    useColumnPool(true);
    useSharedPrices(true);
    try {
      const rows: SweepRow[] = [];
      const run = { strategy: cls, datas: setup.datas, broker: setup.broker, analyzers: setup.analyzers };
      for (const params of combos) {
        rows.push(runOne(run, params));
        progress.update(rows.length);
      }
      return new SweepResults(rows, performance.now() - t0, 1);
    } finally {
      useIndicatorCache(false);
      useColumnPool(false);
      useSharedPrices(false);
    }
  }

  const module = options.module ?? pool?.module;
  if (module === undefined) {
    throw new ParamError(
      'a sweep on worker threads needs `module`: the URL or path of the file that exports the strategy (e.g. import.meta.url), or maxCpus: 1',
    );
  }
  const strategy = { module: String(module), exportName: options.exportName ?? cls.name };
  if (pool) {
    const spec: SweepSpec = { strategy, setup: { datas: shareDatas(setup.datas), broker: setup.broker, analyzers: setup.analyzers } };
    return pool.use(spec, timeLimitMs, async (threads) => {
      const rows = await runOnPool(threads, combos, progress);
      return new SweepResults(rows, performance.now() - t0, threads.size);
    });
  }

  let threads = keep?.pool;
  if (threads && !threads.alive) {
    // The earlier sweep's threads died and could not be replaced: start anew.
    void threads.close();
    threads = undefined;
  }
  // The threads start (a JavaScript engine each, the library and the strategy module loaded)
  // while the columns are copied to shared memory.
  const starting = threads ? Promise.resolve(threads) : startPool(strategy, workers);
  starting.catch(() => undefined);
  let sweepSetup: WorkerSetup;
  try {
    sweepSetup = { datas: shareDatas(setup.datas), broker: setup.broker, analyzers: setup.analyzers };
  } catch (err) {
    if (!keep) void starting.then((p) => p.close(), () => undefined);
    throw err;
  }
  threads = await starting;
  if (keep) keep.pool = threads;
  try {
    await threads.prepare({ strategy, setup: sweepSetup });
  } catch (err) {
    if (!keep) void threads.close();
    throw new ParamError(err instanceof Error ? err.message : String(err));
  }
  threads.timeLimitMs = timeLimitMs;
  try {
    const rows = await runOnPool(threads, combos, progress);
    return new SweepResults(rows, performance.now() - t0, workers);
  } finally {
    // The sweep is done with its last row; the threads wind down on their own.
    if (!keep) void threads.close();
  }
}

/**
 * Starts the worker threads of a sweep (or of several sweeps: see
 * {@link ThreadPool.prepare}), which load the library and the strategy module; a module that
 * cannot be loaded is a ParamError.
 */
async function startPool(strategy: { module: string }, workers: number): Promise<ThreadPool> {
  try {
    return await ThreadPool.start({ module: strategy.module }, workers);
  } catch (err) {
    throw new ParamError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Runs every combination on the pool's threads (each takes the next as it becomes free); a
 * combination whose thread fails becomes a row with the error, and the sweep goes on.
 */
function runOnPool(pool: ThreadPool, combos: ParamDefaults[], progress: ProgressReporter): Promise<SweepRow[]> {
  let done = 0;
  return Promise.all(
    combos.map((params) =>
      pool.run(params).then(
        (row) => {
          progress.update(++done);
          return row;
        },
        (err: unknown) => {
          progress.update(++done);
          const error = err instanceof Error ? err.message : String(err);
          return errorRow(params, error, 0, err instanceof SweepWorkerError ? err.code : 'Error');
        },
      ),
    ),
  );
}
