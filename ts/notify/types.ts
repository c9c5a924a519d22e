/**
 * The shapes the notifier works with: a {@link Notification} (what is sent), a {@link Channel}
 * (where it goes) and the routing each channel applies.
 */
import type { EventLevel, FerroEvent, FerroEventType } from '../events/index.js';

/** One message to send, made from a bus event or a `notify()` call. */
export interface Notification {
  level: EventLevel;
  /** A short title: the e-mail subject, the bold first line in chats. */
  title: string;
  /** The message, plain text (channels add their own markup). */
  text: string;
  /** When it happened (ms since 1970 UTC). */
  time: number;
  /** The event type, or `message` for `notify()`. */
  type: FerroEventType;
  /** The strategy or component it concerns. */
  source?: string;
  /** The instrument it concerns, when there is one. */
  symbol?: string;
  /** Named values shown as a list (price, size, P&L, ...). */
  fields: Array<[string, string]>;
  /** Extra data given to `notify()`; sent as is by the generic webhook. */
  data?: Record<string, unknown>;
  /** The event it was made from. */
  event?: FerroEvent;
  /** The deduplication key: event type + instrument + text. */
  key: string;
  /** Set when deduplication folded repeats into this one: how many, over how long. */
  repeats?: { count: number; windowMs: number };
  /** Set when the queue dropped notifications before this one: how many. */
  droppedBefore?: number;
}

/** Which notifications a channel takes. */
export interface RouteOptions {
  /** Lowest level sent (default INFO). */
  minLevel?: EventLevel;
  /** Only these event types (`message` is `notify()`); default all. */
  events?: readonly FerroEventType[];
  /** A last say: return false to skip a notification. Must be cheap: it runs on the publisher's call. */
  filter?: (notification: Notification) => boolean;
}

/** At most `limit` messages per `perMs` milliseconds. */
export interface RateLimit {
  limit: number;
  perMs: number;
}

/** What a channel's `send` returns on success. */
export interface SendReceipt {
  /** The provider's id of the message (Twilio's SID, the e-mail's Message-ID, ...). */
  id?: string;
  /** HTTP status or SMTP code of the accepting answer. */
  status?: number;
}

/**
 * Where notifications go. Each channel formats for its medium and throws
 * {@link NotifySendError} (transient or permanent) when the provider refuses.
 */
export interface Channel {
  /** Unique name among the notifier's channels (used in logs and the notification log). */
  readonly name: string;
  /** The medium: `email`, `sms`, `webhook`, `dingtalk`, `wecom`, `slack`, `telegram`, `discord`. */
  readonly kind: string;
  readonly route: RouteOptions;
  /** The provider's limits, applied before each send. */
  readonly rateLimits: readonly RateLimit[];
  /** Every secret this channel holds (tokens, passwords, keyed URLs): scrubbed from logs and errors. */
  readonly secrets: readonly string[];
  /** Sends one notification; `signal` aborts it at the notifier's timeout. */
  send(notification: Notification, signal: AbortSignal): Promise<SendReceipt>;
  /** Releases connections (SMTP pools). */
  close?(): Promise<void>;
}

/** A secret given in code (a string) or read from an environment variable at construction. */
export type Secret = string | { env: string };

/** How a notifier reports what it does: one line per attempt, retry, drop and failure. */
export interface NotifyLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
