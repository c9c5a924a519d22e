/** What every built-in channel shares: its name, routing, rate limits and secrets. */
import { NotifyConfigError } from '../../errors.js';
import type { Channel, Notification, RateLimit, RouteOptions, SendReceipt } from '../types.js';

/** Options every channel takes. */
export interface ChannelOptions extends RouteOptions {
  /** Unique name (default: the kind, e.g. `telegram`). */
  name?: string;
  /** Replaces the provider's published limits (default per channel); `[]` for none. */
  rateLimits?: RateLimit[];
}

/** A channel built from options: subclasses implement `send`. */
export abstract class BaseChannel implements Channel {
  readonly name: string;
  readonly route: RouteOptions;
  readonly rateLimits: readonly RateLimit[];
  abstract readonly kind: string;
  protected readonly secretValues: string[] = [];

  constructor(kind: string, options: ChannelOptions, defaultLimits: RateLimit[]) {
    if (options === null || typeof options !== 'object') throw new NotifyConfigError(`${kind} channel: options must be an object`);
    this.name = options.name ?? kind;
    if (typeof this.name !== 'string' || this.name === '') throw new NotifyConfigError(`${kind} channel: name must be a non-empty string`);
    const route: RouteOptions = {};
    if (options.minLevel !== undefined) route.minLevel = options.minLevel;
    if (options.events !== undefined) route.events = options.events;
    if (options.filter !== undefined) route.filter = options.filter;
    this.route = route;
    this.rateLimits = options.rateLimits ?? defaultLimits;
  }

  get secrets(): readonly string[] {
    return this.secretValues;
  }

  /** Notes a secret so the notifier scrubs it from logs and errors; returns it. */
  protected secret(value: string): string {
    this.secretValues.push(value);
    return value;
  }

  abstract send(notification: Notification, signal: AbortSignal): Promise<SendReceipt>;
}

/** Checks a URL given in options (`http:` or `https:`). */
export function checkUrl(url: unknown, what: string): string {
  if (typeof url !== 'string') throw new NotifyConfigError(`${what} must be a URL string`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The value may hold a key: name the option, not the value.
    throw new NotifyConfigError(`${what} is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new NotifyConfigError(`${what} must be an http(s) URL`);
  return url;
}
