/**
 * The structured logger of live sessions: pino, JSON lines with levels. A user passes their own
 * (`runLive({ logger })`) to route logs anywhere pino can.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** The default: level `info` (`warn` under vitest) to stderr, named `ferrotrade`. */
export function defaultLogger(): Logger {
  const level = process.env.FERROTRADE_LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info');
  return pino({ name: 'ferrotrade', level }, pino.destination(2));
}
