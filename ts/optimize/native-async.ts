/**
 * Native sweeps off the JavaScript thread: the same sweep as `sweep.native`, run by the addon on
 * threads of its own while the event loop goes on (a server, a dashboard or a CLI stays
 * responsive), with progress and cancellation.
 */
import { FerroError, fromNative, ParamError } from '../errors.js';
import { native } from '../native.js';
import { prepareSweep, resultsOf, type NativeSweepOptions, type NativeSweepResults } from './native.js';
import { ProgressReporter, type SweepProgress } from './progress.js';

/** Options of {@link runNativeAsync}: those of `sweep.native`, with progress and cancellation. */
export interface NativeSweepAsyncOptions extends NativeSweepOptions {
  /**
   * Called as combinations finish (at most every `progressIntervalMs`, and once at the end); a
   * progress bar is drawn on a terminal as well, as for `cerebro.optStrategy`.
   */
  onProgress?: (progress: SweepProgress) => void;
  /** How often progress is read, in ms (default 100). */
  progressIntervalMs?: number;
  /**
   * Stops the sweep: no combination starts after it is aborted (those running finish, each takes
   * milliseconds), and the Promise rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

/**
 * Runs a declarative strategy over every combination of a grid in Rust, on every core, without
 * blocking the event loop. Resolves with the same results as `sweep.native`. Bad options reject
 * with the same typed errors, before any work starts.
 *
 * The data's columns are copied for the sweep's threads (what the caller does with its arrays
 * meanwhile cannot reach them).
 */
export async function runNativeAsync(options: NativeSweepAsyncOptions): Promise<NativeSweepResults> {
  const p = prepareSweep(options);
  const { signal } = options;
  signal?.throwIfAborted();
  const interval = options.progressIntervalMs ?? 100;
  if (!(Number.isFinite(interval) && interval > 0)) {
    throw new ParamError(`progressIntervalMs must be a number of milliseconds > 0, got ${String(options.progressIntervalMs)}`);
  }
  const total = p.grid.reduce((n, g) => n * g.values.length, 1);
  const progress = new ProgressReporter(total, options.onProgress);
  const job = new native.NativeSweepJob();
  const stop = () => job.cancel();
  signal?.addEventListener('abort', stop, { once: true });
  let reported = 0;
  // An error thrown by the progress callback stops the sweep and is what it rejects with.
  let callbackFailed = false;
  let callbackError: unknown;
  const report = (done: number) => {
    if (done === reported || callbackFailed) return;
    reported = done;
    try {
      progress.update(done);
    } catch (error) {
      callbackFailed = true;
      callbackError = error;
      job.cancel();
    }
  };
  const poll = setInterval(() => report(job.done()), interval);
  try {
    let out;
    try {
      out = await job.start(p.columns, p.strategy, p.grid, p.broker, p.threads);
    } catch (err) {
      const failure = fromNative(err);
      const canceled = failure instanceof FerroError && failure.code === 'CANCELED';
      if (callbackFailed) throw callbackError;
      // A cancelled sweep rejects with the abort's reason; any other failure with its own error.
      throw canceled && signal?.aborted ? signal.reason : failure;
    }
    report(total);
    if (callbackFailed) throw callbackError;
    // Aborted after its last combination had started: it finished, but the caller asked to stop.
    signal?.throwIfAborted();
    return resultsOf(out, p.grid);
  } catch (err) {
    progress.abandon();
    throw err;
  } finally {
    clearInterval(poll);
    signal?.removeEventListener('abort', stop);
  }
}
