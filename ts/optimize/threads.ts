import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { ParamDefaults } from '../engine/params.js';
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
  if (!here.endsWith('.ts')) return new Worker(fileURLToPath(new URL('./worker.js', here)), { workerData });
  const target = new URL('./worker.ts', here).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

interface Task {
  params: ParamDefaults;
  resolve: (row: SweepRow) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  task?: Task;
}

/**
 * A fixed set of sweep worker threads that run combinations on request, one per thread at a
 * time: the threads of a local sweep, of the sweeps of a walk-forward optimisation (kept from
 * one window to the next, so each thread starts and compiles the hot code once), and of a
 * `ferrotrade worker` process (one per remote sweep). A thread that dies fails its combination
 * and is replaced; when no thread is left and none can start, what waits fails.
 * @internal
 */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;
  /** Threads being started. */
  private starting = 0;
  /** Combinations running or waiting. */
  active = 0;

  private constructor(private init: WorkerInit) {}

  /** Starts `size` threads and waits until each has imported the strategy module. */
  static async start(init: WorkerInit, size: number): Promise<ThreadPool> {
    const pool = new ThreadPool(init);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Threads that can take a combination now. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Gives the threads the setup of another sweep (datas, broker, analyzers); combinations run
   * after this use it. Only between sweeps: no combination may be running or waiting.
   */
  configure(setup: WorkerSetup): void {
    if (this.active !== 0) throw new Error('a sweep worker pool takes a new setup only between sweeps');
    this.init = { ...this.init, ...setup };
    for (const slot of this.slots) slot.worker.postMessage({ setup } satisfies ToWorker);
  }

  private spawn(): Promise<void> {
    this.starting++;
    return new Promise<void>((resolve, reject) => {
      const slot: Slot = { worker: startWorker(this.init) };
      let ready = false;
      slot.worker.on('message', (msg: FromWorker) => {
        if ('fatal' in msg) {
          reject(new Error(`sweep worker could not start: ${msg.fatal}`));
          void slot.worker.terminate();
        } else if ('ready' in msg) {
          ready = true;
          this.starting--;
          this.slots.push(slot);
          resolve();
          this.pump();
        } else if ('row' in msg) {
          const task = slot.task!;
          slot.task = undefined;
          this.active--;
          task.resolve(msg.row);
          this.pump();
        }
      });
      const lost = (why: string) => {
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        if (!ready) reject(new Error(`sweep worker stopped before it was ready: ${why}`));
        if (slot.task) {
          this.active--;
          slot.task.reject(new Error(`sweep worker thread stopped during the combination: ${why}`));
          slot.task = undefined;
        }
        if (ready && !this.closed) void this.spawn().catch(() => undefined);
      };
      slot.worker.on('error', (err) => lost(err.message));
      slot.worker.on('exit', (code) => lost(`exit code ${code}`));
    }).catch((err: unknown) => {
      this.starting--;
      // No thread left and none coming: what waits would wait forever.
      if (this.slots.length === 0 && this.starting === 0) this.failWaiting(err instanceof Error ? err.message : String(err));
      throw err;
    });
  }

  private failWaiting(why: string): void {
    for (const task of this.queue.splice(0)) {
      this.active--;
      task.reject(new Error(`no sweep worker thread could run the combination: ${why}`));
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task) continue;
      slot.task = this.queue.shift()!;
      slot.worker.postMessage({ index: 0, params: slot.task.params } satisfies ToWorker);
    }
  }

  /** Runs one combination on the next free thread. */
  run(params: ParamDefaults): Promise<SweepRow> {
    if (this.closed) return Promise.reject(new Error('the sweep worker pool is closed'));
    this.active++;
    return new Promise((resolve, reject) => {
      this.queue.push({ params, resolve, reject });
      this.pump();
    });
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
