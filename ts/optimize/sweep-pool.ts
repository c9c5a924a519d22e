import { availableParallelism } from 'node:os';

import { ParamError, SweepWorkerError } from '../errors.js';
import { ThreadPool } from './threads.js';
import type { SweepSpec } from './worker.js';

/** Options of {@link sweepPool}. */
export interface SweepPoolOptions {
  /** Worker threads (default: all cores). */
  workers?: number;
  /**
   * The module that exports the strategy the sweeps will run (`import.meta.url` of its file, or
   * a path): the threads load it while they start, ahead of the first sweep. Optional: a sweep
   * names its own `module`, which the threads load then.
   */
  module?: string | URL;
}

/**
 * Worker threads kept warm across sweeps. Each thread starts once (a JavaScript engine of its
 * own, the library loaded, the strategy module imported) and compiles the hot code once;
 * every sweep given the pool (`optStrategy(cls, grid, { pool })`) runs on the same threads, so
 * the second sweep starts no thread and runs compiled code from its first combination.
 *
 * The threads start as soon as the pool is made: make it before reading the data, and they
 * start while the data is prepared. An idle pool does not keep the process alive (no need to
 * close it for the process to end); `close()` stops its threads at once. Sweeps given the same
 * pool run one after another. A thread that dies (a crash in a strategy) fails the combination
 * it ran and is replaced.
 *
 * ```ts
 * const pool = sweepPool({ workers: 2, module: import.meta.url });
 * const cerebro = new Cerebro();
 * cerebro.addData(feeds.backtraderCsv('data.csv')); // the threads start meanwhile
 * const coarse = await cerebro.optStrategy(SmaCross, { fast: range(5, 25, 5), slow: range(30, 80, 10) }, { pool });
 * const fine = await cerebro.optStrategy(SmaCross, { fast: range(8, 13), slow: range(35, 46) }, { pool });
 * await pool.close();
 * ```
 */
export class SweepPool {
  /** Worker threads the pool keeps. */
  readonly workers: number;
  /** The strategy module the threads loaded as they started (the sweeps' default `module`). */
  readonly module: string | undefined;
  private readonly threads: Promise<ThreadPool>;
  private pool: ThreadPool | undefined;
  /** The last sweep given the pool: the next waits for it. */
  private turn: Promise<unknown> = Promise.resolve();
  private closedAt = false;

  /** @internal use {@link sweepPool}. */
  constructor(options: SweepPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new ParamError(`workers must be a whole number >= 1, got ${String(options.workers)}`);
    this.workers = workers;
    this.module = options.module === undefined ? undefined : String(options.module);
    const init = this.module === undefined ? {} : { module: this.module };
    this.threads = ThreadPool.start(init, workers).then(
      (pool) => {
        this.pool = pool;
        if (this.closedAt) void pool.close();
        return pool;
      },
      (err: unknown) => {
        throw new SweepWorkerError('SWEEP_WORKER_START', `the sweep pool's threads could not start: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    // Seen by the first sweep (or never, if the pool is not used): not an unhandled rejection.
    this.threads.catch(() => undefined);
  }

  /** Threads started since the pool was made, replacements of lost threads included. */
  get threadsStarted(): number {
    return this.pool?.threadsStarted ?? 0;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closedAt;
  }

  /** Resolves when every thread has started (rejects with a `SweepWorkerError` if they cannot). */
  async ready(): Promise<void> {
    await this.threads;
  }

  /**
   * Runs `sweep` on the threads with `spec` loaded, after the sweeps given the pool before.
   * @internal
   */
  use<T>(spec: SweepSpec, timeLimitMs: number, sweep: (threads: ThreadPool) => Promise<T>): Promise<T> {
    const mine = this.turn.then(async () => {
      if (this.closedAt) throw new SweepWorkerError('SWEEP_POOL_CLOSED', 'the sweep pool is closed: make another with sweepPool()');
      const threads = await this.threads;
      if (!threads.alive) {
        throw new SweepWorkerError('SWEEP_WORKER_START', 'the sweep pool has no thread left: its threads kept stopping; make another with sweepPool()');
      }
      try {
        await threads.prepare(spec);
      } catch (err) {
        throw new ParamError(err instanceof Error ? err.message : String(err));
      }
      threads.timeLimitMs = timeLimitMs;
      return sweep(threads);
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  /** Stops the threads (a sweep running on them fails its remaining combinations). */
  async close(): Promise<void> {
    this.closedAt = true;
    await this.pool?.close();
  }
}

/**
 * Starts worker threads to run several sweeps of TypeScript strategies on: see {@link SweepPool}.
 * Pass it as `optStrategy(cls, grid, { pool })`.
 * @throws ParamError for a `workers` that is not a whole number >= 1.
 */
export function sweepPool(options: SweepPoolOptions = {}): SweepPool {
  return new SweepPool(options);
}
