import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { ParamDefaults } from '../engine/params.js';
import { compileForWorkers, isTypeScriptModule } from './compile-module.js';
import type { SweepRow } from './results.js';
import type { FromWorker, ToWorker, WorkerInit, WorkerSetup } from './worker.js';

/**
 * Starts a sweep worker thread on the script next to this module. From the TypeScript sources
 * (tests, `tsx`), the worker first registers tsx's loader in its own thread, then imports the
 * script.
 * @internal
 */
export function startWorker(workerData: WorkerInit): Worker {
  const here = import.meta.url;
  if (!fromSources()) return new Worker(fileURLToPath(new URL('./worker.js', here)), { workerData });
  const target = new URL('./worker.ts', here).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** Whether this module runs from the TypeScript sources (tests, tsx) rather than the built package. */
function fromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}

/**
 * The init the threads get: a TypeScript strategy module compiled once to JavaScript when the
 * threads run the built package (from the sources they register tsx, which loads it as is).
 */
async function loadableInit(init: WorkerInit): Promise<WorkerInit> {
  if (fromSources() || !isTypeScriptModule(init.module)) return init;
  return { ...init, module: await compileForWorkers(init.module), moduleName: init.moduleName ?? init.module };
}

/** Threads lost in a row without a result before a pool stops replacing them. */
const MAX_BARREN_LOSSES = 8;

interface Task {
  params: ParamDefaults;
  resolve: (row: SweepRow) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Whether the thread has loaded the strategy and can take combinations. */
  ready: boolean;
  task?: Task;
  /** Why the thread failed, from its `error` event (its `exit` comes after). */
  failure?: string;
  /** The time limit of the running combination. */
  timer?: NodeJS.Timeout;
  /** Whether the thread was stopped for running past the time limit (not a failing thread). */
  timedOut?: boolean;
}

/**
 * A fixed set of sweep worker threads that run combinations on request, one per thread at a
 * time: the threads of a local sweep, of the sweeps of a walk-forward optimisation (kept from
 * one window to the next, so each thread starts and compiles the hot code once), and of a
 * `ferrotrade worker` process (one per remote sweep). A thread that dies fails its combination
 * and is replaced; when no thread is left and none can start, what waits fails, and so does
 * what is asked after.
 * @internal
 */
export class ThreadPool {
  /** Every thread, starting or ready. */
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;
  /** Why the last thread that could not start failed (when none is left). */
  private lastFailure = '';
  /**
   * Threads lost since the last row came back. A thread that dies again and again without a
   * result (a strategy module whose import leaves a failing timer, say) is not replaced for
   * ever: past {@link MAX_BARREN_LOSSES} such losses in a row the pool stops replacing threads.
   */
  private barrenLosses = 0;
  /** Combinations running or waiting. */
  active = 0;
  /**
   * Longest a combination may run, in ms (0: no limit). A thread past it is stopped (a
   * strategy that never returns cannot be interrupted otherwise), its combination fails with
   * the reason, and a new thread takes its place.
   */
  timeLimitMs = 0;

  private constructor(private init: WorkerInit) {}

  /** Starts `size` threads and waits until each has imported the strategy module. */
  static async start(init: WorkerInit, size: number): Promise<ThreadPool> {
    const pool = new ThreadPool(await loadableInit(init));
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Whether any thread is running or starting (a pool whose threads all died is not). */
  get alive(): boolean {
    return !this.closed && this.slots.length > 0;
  }

  /**
   * Gives the threads the setup of another sweep (datas, broker, analyzers); combinations run
   * after this use it, on every thread, including one still starting or started later. Only
   * between sweeps: no combination may be running or waiting.
   */
  configure(setup: WorkerSetup): void {
    if (this.active !== 0) throw new Error('a sweep worker pool takes a new setup only between sweeps');
    this.init = { ...this.init, ...setup };
    // A starting thread takes the message once it listens, before any combination.
    for (const slot of this.slots) slot.worker.postMessage({ setup } satisfies ToWorker);
  }

  private spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = startWorker(this.init);
      } catch (err) {
        // Not even started (the setup could not be sent to a thread): as a failed start.
        this.lastFailure = err instanceof Error ? err.message : String(err);
        if (this.slots.length === 0) this.failWaiting();
        reject(err instanceof Error ? err : new Error(this.lastFailure));
        return;
      }
      const slot: Slot = { worker, ready: false };
      this.slots.push(slot);
      slot.worker.on('message', (msg: FromWorker) => {
        if ('fatal' in msg) {
          slot.failure = `sweep worker could not start: ${msg.fatal}`;
          void slot.worker.terminate();
        } else if ('ready' in msg) {
          if (this.closed) {
            void slot.worker.terminate();
            return;
          }
          slot.ready = true;
          resolve();
          this.pump();
        } else if ('row' in msg) {
          // A row can come after the thread's `error` failed its task: it is dropped then.
          const task = slot.task;
          clearTimeout(slot.timer);
          if (!task) return;
          slot.task = undefined;
          this.active--;
          this.barrenLosses = 0;
          task.resolve(msg.row);
          this.pump();
        }
      });
      slot.worker.on('error', (err) => {
        slot.failure ??= err.message;
      });
      // Everything about a lost thread happens once, on `exit` (after its messages and its
      // `error`, if it had one).
      slot.worker.on('exit', (code) => {
        clearTimeout(slot.timer);
        const why = slot.failure ?? `exit code ${code}`;
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        if (slot.task) {
          this.active--;
          slot.task.reject(new Error(`sweep worker thread stopped during the combination: ${why}`));
          slot.task = undefined;
        }
        if (this.closed) return;
        if (!slot.ready || (!slot.timedOut && ++this.barrenLosses > MAX_BARREN_LOSSES)) {
          this.lastFailure = slot.ready ? `sweep worker threads keep stopping without a result: ${why}` : why;
          reject(new Error(slot.failure ?? `sweep worker stopped before it was ready: ${why}`));
          // No thread left and none coming: what waits would wait forever.
          if (this.slots.length === 0) this.failWaiting();
          return;
        }
        void this.spawn().catch(() => undefined);
      });
    });
  }

  private failWaiting(): void {
    for (const task of this.queue.splice(0)) {
      this.active--;
      task.reject(new Error(`no sweep worker thread could run the combination: ${this.lastFailure}`));
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      // (A thread that reported an error is on its way out: its `exit` follows.)
      if (!slot.ready || slot.task || slot.failure !== undefined) continue;
      slot.task = this.queue.shift()!;
      slot.worker.postMessage({ index: 0, params: slot.task.params } satisfies ToWorker);
      if (this.timeLimitMs > 0) {
        const limit = this.timeLimitMs;
        slot.timer = setTimeout(() => {
          slot.timedOut = true;
          slot.failure = `the combination ran longer than timeLimitMs (${limit} ms) and its thread was stopped; raise timeLimitMs if it needs longer`;
          void slot.worker.terminate();
        }, limit);
      }
    }
  }

  /** Runs one combination on the next free thread. */
  run(params: ParamDefaults): Promise<SweepRow> {
    if (this.closed) return Promise.reject(new Error('the sweep worker pool is closed'));
    if (!this.alive) {
      return Promise.reject(new Error(`no sweep worker thread could run the combination: ${this.lastFailure || 'the pool has no threads'}`));
    }
    this.active++;
    return new Promise((resolve, reject) => {
      this.queue.push({ params, resolve, reject });
      this.pump();
    });
  }

  /** Stops every thread, those still starting included. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
