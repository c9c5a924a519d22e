/** Checks of routing options: levels and event types by name, with the valid ones in the error. */
import { EVENT_LEVELS, type EventLevel, type FerroEventType } from '../events/index.js';
import { NotifyConfigError } from '../errors.js';
import type { RouteOptions } from './types.js';

/** Every event type the bus carries. */
export const EVENT_TYPES: readonly FerroEventType[] = [
  'order', 'fill', 'trade', 'risk', 'risk.refused', 'connection', 'strategy.error', 'data.stale', 'message', 'summary', 'session',
];

/** Throws unless `level` is a level name. */
export function checkLevel(level: unknown, what: string): asserts level is EventLevel {
  if (!EVENT_LEVELS.includes(level as EventLevel)) {
    throw new NotifyConfigError(`${what} must be one of ${EVENT_LEVELS.join(', ')}, got '${String(level)}'`);
  }
}

/** Throws unless every event type is known. */
export function checkRoute(route: RouteOptions, channel: string): void {
  if (route.minLevel !== undefined) checkLevel(route.minLevel, `channel '${channel}': minLevel`);
  if (route.events !== undefined) {
    if (!Array.isArray(route.events)) throw new NotifyConfigError(`channel '${channel}': events must be a list of event types`);
    for (const t of route.events) {
      if (!EVENT_TYPES.includes(t)) {
        throw new NotifyConfigError(`channel '${channel}': unknown event type '${String(t)}' (known: ${EVENT_TYPES.join(', ')})`);
      }
    }
  }
  if (route.filter !== undefined && typeof route.filter !== 'function') {
    throw new NotifyConfigError(`channel '${channel}': filter must be a function`);
  }
}
