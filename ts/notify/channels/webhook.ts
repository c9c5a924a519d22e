/**
 * Generic webhook: the notification as JSON, POSTed to any URL, optionally signed with HMAC-SHA256
 * so the receiver can check it came from here and was not replayed:
 * `X-Ferrotrade-Timestamp: <ms>` and `X-Ferrotrade-Signature: sha256=<hex of HMAC(secret, timestamp + "." + body)>`.
 */
import { createHmac } from 'node:crypto';
import { NotifyConfigError } from '../../errors.js';
import { post } from '../http.js';
import { optionalSecret, resolveSecret } from '../secrets.js';
import type { Notification, Secret, SendReceipt } from '../types.js';
import { BaseChannel, checkUrl, type ChannelOptions } from './base.js';

/** Options of {@link webhook}. */
export interface WebhookOptions extends ChannelOptions {
  /** Where to POST (may carry a key, so it is treated as a secret). */
  url: Secret;
  /** Extra headers; values may be secrets (an `Authorization` header, an API key). */
  headers?: Record<string, Secret>;
  /** HMAC-SHA256 key: signs each request when given. */
  secret?: Secret;
  /** Header of the signature (default `X-Ferrotrade-Signature`). */
  signatureHeader?: string;
  /** Header of the timestamp that is signed with the body (default `X-Ferrotrade-Timestamp`). */
  timestampHeader?: string;
  /** Clock for the timestamp (default `Date.now`). */
  now?: () => number;
}

/** The JSON a webhook receives. */
export interface WebhookPayload {
  level: string;
  type: string;
  title: string;
  text: string;
  /** ISO 8601 time of the event. */
  time: string;
  source?: string;
  symbol?: string;
  fields: Record<string, string>;
  data?: Record<string, unknown>;
  /** The bus event, as it was published. */
  event?: unknown;
  repeats?: { count: number; windowMs: number };
  droppedBefore?: number;
}

/** The payload for a notification. */
export function webhookPayload(n: Notification): WebhookPayload {
  const p: WebhookPayload = {
    level: n.level, type: n.type, title: n.title, text: n.text,
    time: Number.isFinite(n.time) ? new Date(n.time).toISOString() : String(n.time),
    fields: Object.fromEntries(n.fields),
  };
  if (n.source !== undefined) p.source = n.source;
  if (n.symbol !== undefined) p.symbol = n.symbol;
  if (n.data !== undefined) p.data = n.data;
  if (n.event !== undefined) p.event = n.event;
  if (n.repeats) p.repeats = n.repeats;
  if (n.droppedBefore) p.droppedBefore = n.droppedBefore;
  return p;
}

/** The signature header's value for a body sent at `timestamp`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

class WebhookChannel extends BaseChannel {
  readonly kind = 'webhook';
  private readonly url: string;
  private readonly headers: Record<string, string> = {};
  private readonly signKey?: string;
  private readonly signatureHeader: string;
  private readonly timestampHeader: string;
  private readonly now: () => number;

  constructor(options: WebhookOptions) {
    super('webhook', options, []);
    this.url = this.secret(checkUrl(resolveSecret(options.url, `webhook channel '${this.name}': url`), `webhook channel '${this.name}': url`));
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k)) throw new NotifyConfigError(`webhook channel '${this.name}': '${k}' is not a valid header name`);
      this.headers[k] = this.secret(resolveSecret(v, `webhook channel '${this.name}': header ${k}`));
    }
    const key = optionalSecret(options.secret, `webhook channel '${this.name}': secret`);
    if (key !== undefined) this.signKey = this.secret(key);
    this.signatureHeader = options.signatureHeader ?? 'X-Ferrotrade-Signature';
    this.timestampHeader = options.timestampHeader ?? 'X-Ferrotrade-Timestamp';
    this.now = options.now ?? Date.now;
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    const body = JSON.stringify(webhookPayload(n));
    const headers: Record<string, string> = { ...this.headers, 'content-type': 'application/json; charset=utf-8' };
    if (this.signKey !== undefined) {
      const timestamp = this.now();
      headers[this.timestampHeader] = String(timestamp);
      headers[this.signatureHeader] = webhookSignature(this.signKey, timestamp, body);
    }
    // The body is signed as sent: pass the exact string, not an object to re-serialise.
    const answer = await post({ channel: this.name, url: this.url, headers, json: undefined, signal, rawBody: body });
    return { status: answer.status };
  }
}

/** A generic JSON webhook channel. */
export function webhook(options: WebhookOptions): BaseChannel {
  return new WebhookChannel(options);
}
