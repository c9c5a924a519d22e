import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { ParamDefaults } from '../engine/params.js';
import { SweepWorkerError } from '../errors.js';
import { compileForWorkers, isTypeScriptModule } from './compile-module.js';
import type { SweepRow } from './results.js';
import type { FromWorker, SweepSpec, ToWorker, WorkerInit, WorkerStrategy } from './worker.js';

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
async function loadable<T extends WorkerInit>(init: T): Promise<T> {
  if (!('module' in init) || init.module === undefined || fromSources() || !isTypeScriptModule(init.module)) return init;
  const source = init.module;
  // Compiled once per process: the same `data:` URL each time, so a thread that already
  // imported it takes its loaded module (and its compiled code) again.
  let compiled = COMPILED.get(source);
  if (!compiled) {
    compiled = compileForWorkers(source);
    COMPILED.set(source, compiled);
    compiled.catch(() => COMPILED.delete(source));
  }
  return { ...init, module: await compiled, moduleName: init.moduleName ?? source };
}

/** TypeScript strategy modules compiled for the threads, by path or URL. */
const COMPILED = new Map<string, Promise<string>>();

/** Threads lost in a row without a result before a pool stops replacing them. */
const MAX_BARREN_LOSSES = 8;

/**
 * Combinations sent to a thread ahead of the one it runs, so that it never waits for the main
 * thread between two (the main thread may be busy, or on the same core): one more than the
 * running one. With a time limit, one at a time, so that the limit times one combination.
 */
const AHEAD = 2;

interface Task {
  params: ParamDefaults;
  resolve: (row: SweepRow) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Whether the thread has loaded the library (and the strategy it started with) and can take combinations. */
  ready: boolean;
  /** Combinations sent to the thread, in the order it runs them: the first is running. */
  tasks: Task[];
  /** Why the thread failed, from its `error` event (its `exit` comes after). */
  failure?: string;
  /** The time limit of the running combination. */
  timer?: NodeJS.Timeout;
  /** Whether the thread was stopped for running past the time limit (not a failing thread). */
  timedOut?: boolean;
  /** The `sweep` message the thread has not answered yet, and what waits for its answer. */
  preparing?: { id: number; done: (error?: string) => void };
}

/**
 * A fixed set of sweep worker threads that run combinations on request: the threads of a local
 * sweep, of a {@link SweepPool} kept across sweeps, of the sweeps of a walk-forward
 * optimisation (kept from one window to the next, so each thread starts and compiles the hot
 * code once), and of a `ferrotrade worker` process (one per remote sweep). A thread that dies
 * fails its combination and is replaced; when no thread is left and none can start, what waits
 * fails, and so does what is asked after. An idle pool does not keep the process alive.
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
  /** Waits (starts, preparations, combinations) that need the threads to keep the process alive. */
  private holds = 0;
  private prepareId = 0;
  /** Combinations running or waiting. */
  active = 0;
  /** Threads started since the pool was made, replacements included. */
  threadsStarted = 0;
  /**
   * Longest a combination may run, in ms (0: no limit). A thread past it is stopped (a
   * strategy that never returns cannot be interrupted otherwise), its combination fails with
   * the reason, and a new thread takes its place.
   */
  timeLimitMs = 0;

  private constructor(private init: WorkerInit) {}

  /**
   * Starts `size` threads and waits until each has loaded the library, and the strategy module
   * when `init` names one.
   */
  static async start(init: WorkerInit, size: number): Promise<ThreadPool> {
    const pool = new ThreadPool(await loadable(init));
    pool.hold(1);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    } finally {
      pool.hold(-1);
    }
    return pool;
  }

  /** Whether any thread is running or starting (a pool whose threads all died is not). */
  get alive(): boolean {
    return !this.closed && this.slots.length > 0;
  }

  /** Threads running or starting. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Gives the threads the strategy and setup of another sweep (datas, broker, analyzers), and
   * resolves when every thread has loaded them; a strategy module a thread cannot load rejects
   * with why. Combinations run after this use them, on every thread, including one still
   * starting or started later. Only between sweeps: no combination may be running or waiting.
   */
  async prepare(spec: SweepSpec): Promise<void> {
    if (this.active !== 0) throw new Error('a sweep worker pool takes a new setup only between sweeps');
    const strategy: WorkerStrategy = await loadable(spec.strategy);
    const sweep = { strategy, setup: spec.setup };
    this.init = { ...strategy, ...spec.setup };
    const id = ++this.prepareId;
    this.hold(1);
    try {
      // A starting thread takes the message once it listens, before any combination; one that
      // dies before it answers is replaced by a thread that starts with this sweep.
      const answers = this.slots.map(
        (slot) =>
          new Promise<string | undefined>((done) => {
            slot.preparing = { id, done };
            slot.worker.postMessage({ sweep, id } satisfies ToWorker);
          }),
      );
      const failed = (await Promise.all(answers)).find((e) => e !== undefined);
      if (failed !== undefined) throw new Error(failed);
    } finally {
      this.hold(-1);
    }
  }

  /** Keeps the process alive while something waits on the threads; lets it end when idle. */
  private hold(delta: number): void {
    const before = this.holds;
    this.holds += delta;
    if ((before === 0) === (this.holds === 0)) return;
    for (const slot of this.slots) {
      if (this.holds > 0) slot.worker.ref();
      else slot.worker.unref();
    }
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
      this.threadsStarted++;
      if (this.holds === 0) worker.unref();
      const slot: Slot = { worker, ready: false, tasks: [] };
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
        } else if ('prepared' in msg) {
          if (slot.preparing?.id !== msg.prepared) return;
          const { done } = slot.preparing;
          slot.preparing = undefined;
          done(msg.error);
        } else if ('row' in msg) {
          // A row can come after the thread's `error` failed its task: it is dropped then.
          const task = slot.tasks.shift();
          clearTimeout(slot.timer);
          if (!task) return;
          this.active--;
          this.barrenLosses = 0;
          task.resolve(msg.row);
          this.timeRunning(slot);
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
        // The running combination fails; those sent ahead of it go back to the queue, first
        // (or fail too, when the pool is closed).
        const [running, ...ahead] = slot.tasks.splice(0);
        this.queue.unshift(...ahead);
        if (running) {
          this.active--;
          running.reject(new SweepWorkerError(slot.timedOut ? 'SWEEP_TIME_LIMIT' : 'SWEEP_WORKER_EXIT', `sweep worker thread stopped during the combination: ${why}`));
        }
        if (this.closed) this.failWaiting();
        // A thread that started with the sweep's setup (its replacement) answers for it.
        slot.preparing?.done();
        slot.preparing = undefined;
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
      task.reject(new SweepWorkerError(this.closed ? 'SWEEP_POOL_CLOSED' : 'SWEEP_WORKER_START', `no sweep worker thread could run the combination: ${this.lastFailure}`));
    }
  }

  /** Starts the time limit of the combination a thread now runs (its first task), if any. */
  private timeRunning(slot: Slot): void {
    if (this.timeLimitMs <= 0 || slot.tasks.length === 0) return;
    const limit = this.timeLimitMs;
    slot.timer = setTimeout(() => {
      slot.timedOut = true;
      slot.failure = `the combination ran longer than timeLimitMs (${limit} ms) and its thread was stopped; raise timeLimitMs if it needs longer`;
      void slot.worker.terminate();
    }, limit);
  }

  private pump(): void {
    const ahead = this.timeLimitMs > 0 ? 1 : AHEAD;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      // (A thread that reported an error is on its way out: its `exit` follows.)
      if (!slot.ready || slot.failure !== undefined) continue;
      // Near the end of the queue, none ahead: the last combinations go to whichever thread is
      // free, not behind a running one.
      while (slot.tasks.length < ahead && this.queue.length > 0 && (slot.tasks.length === 0 || this.queue.length >= this.slots.length)) {
        const task = this.queue.shift()!;
        slot.tasks.push(task);
        slot.worker.postMessage({ index: 0, params: task.params } satisfies ToWorker);
        if (slot.tasks.length === 1) this.timeRunning(slot);
      }
    }
  }

  /** Runs one combination on the next free thread. */
  run(params: ParamDefaults): Promise<SweepRow> {
    if (this.closed) return Promise.reject(new SweepWorkerError('SWEEP_POOL_CLOSED', 'the sweep worker pool is closed'));
    if (!this.alive) {
      return Promise.reject(
        new SweepWorkerError('SWEEP_WORKER_START', `no sweep worker thread could run the combination: ${this.lastFailure || 'the pool has no threads'}`),
      );
    }
    this.active++;
    this.hold(1);
    return new Promise<SweepRow>((resolve, reject) => {
      this.queue.push({ params, resolve, reject });
      this.pump();
    }).finally(() => this.hold(-1));
  }

  /** Stops every thread, those still starting included. */
  async close(): Promise<void> {
    this.closed = true;
    this.lastFailure = 'the sweep worker pool was closed';
    this.failWaiting();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
