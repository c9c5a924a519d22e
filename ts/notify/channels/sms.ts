/**
 * SMS through a provider ({@link SmsProvider}): the text is made to fit the allowed segments.
 * Twilio is built in ({@link twilio}); another provider is an object with a `send` method.
 */
import { NotifyConfigError } from '../../errors.js';
import type { Notification, RateLimit, SendReceipt } from '../types.js';
import { BaseChannel, type ChannelOptions } from './base.js';
import { smsText } from './sms-text.js';

/** Sends one text message. Throws `NotifySendError` (transient or permanent) on failure. */
export interface SmsProvider {
  /** The provider's name, for logs. */
  readonly name: string;
  /** Its secrets (scrubbed from logs and errors). */
  readonly secrets: readonly string[];
  /** Its published sending limits (the channel's default). */
  readonly rateLimits: readonly RateLimit[];
  send(message: { to: string; text: string; channel: string }, signal: AbortSignal): Promise<SendReceipt>;
}

/** Options of {@link sms}. */
export interface SmsOptions extends ChannelOptions {
  provider: SmsProvider;
  /** The phone number to text, in E.164 form (`+15551234567`). One channel per number. */
  to: string;
  /** Segments a message may take (default 1: 160 GSM-7 characters or 70 others). */
  maxSegments?: number;
}

class SmsChannel extends BaseChannel {
  readonly kind = 'sms';
  private readonly provider: SmsProvider;
  private readonly to: string;
  private readonly maxSegments: number;

  constructor(options: SmsOptions) {
    if (!options?.provider || typeof options.provider.send !== 'function') {
      throw new NotifyConfigError('sms channel: provider is required (e.g. provider: twilio({ accountSid, authToken, from }))');
    }
    super('sms', options, [...options.provider.rateLimits]);
    this.provider = options.provider;
    for (const s of options.provider.secrets) this.secret(s);
    if (typeof options.to !== 'string' || !/^\+[1-9]\d{6,14}$/.test(options.to)) {
      throw new NotifyConfigError(`sms channel '${this.name}': to must be a phone number in E.164 form (+ and 7 to 15 digits)`);
    }
    this.to = options.to;
    this.maxSegments = options.maxSegments ?? 1;
    if (!Number.isInteger(this.maxSegments) || this.maxSegments < 1) throw new NotifyConfigError(`sms channel '${this.name}': maxSegments must be a whole number >= 1`);
  }

  send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    return this.provider.send({ to: this.to, text: smsText(n, this.maxSegments), channel: this.name }, signal);
  }
}

/** An SMS channel. */
export function sms(options: SmsOptions): BaseChannel {
  return new SmsChannel(options);
}
