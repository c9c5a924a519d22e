/**
 * The structured logger of live sessions: pino, JSON lines with levels. A user passes their own
 * (`runLive({ logger })`) to route logs anywhere pino can.
 *
 * pino is loaded the first time a default logger is made, not when the library is imported: a
 * backtest never logs through it, and loading it (with its worker-stream machinery) adds about
 * 9 MB to every process that imports ferrotrade.
 */
import { createRequire } from 'node:module';
import type { Logger as PinoLogger, pino as PinoFactory } from 'pino';

export type Logger = PinoLogger;

const requireFromHere = createRequire(import.meta.url);
let factory: typeof PinoFactory | undefined;

/** The default: level `info` (`warn` under vitest) to stderr, named `ferrotrade`. */
export function defaultLogger(): Logger {
  factory ??= (requireFromHere('pino') as { pino: typeof PinoFactory }).pino;
  const level = process.env.FERROTRADE_LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info');
  return factory({ name: 'ferrotrade', level }, factory.destination(2));
}
