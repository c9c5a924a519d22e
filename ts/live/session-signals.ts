/**
 * What stops a live session from outside: its abort signal, and (unless turned off) SIGINT and
 * SIGTERM, each a graceful stop.
 */
import type { LiveOptions, StopReason } from './options.js';
import type { Logger } from './logger.js';

/**
 * Calls `stop` when `options.signal` aborts (`'stopped'`) or, with `options.handleSignals`
 * (default true), on SIGINT or SIGTERM (`'signal'`). Returns what removes the listeners.
 */
export function watchStops(options: Pick<LiveOptions, 'signal' | 'handleSignals'>, log: Logger | null, stop: (reason: StopReason) => void): () => void {
  const cleanups: (() => void)[] = [];
  const signal = options.signal;
  if (signal) {
    const onAbort = () => stop('stopped');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
  }
  if (options.handleSignals ?? true) {
    const onSignal = (name: NodeJS.Signals) => {
      log?.warn({ signal: name }, 'signal received: stopping');
      stop('signal');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    cleanups.push(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }
  return () => {
    for (const c of cleanups) c();
  };
}
