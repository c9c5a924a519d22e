/**
 * DingTalk (钉钉) group robot: markdown messages, signed with the robot's secret when it has one
 * ("加签": `timestamp` and `sign` = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)) in the
 * URL). Default limit: DingTalk's 20 messages a minute per robot. DingTalk answers HTTP 200 with
 * an `errcode`: 0 is sent, 130101 ("send too fast") is retried, others are permanent.
 */
import { createHmac } from 'node:crypto';
import { levelRank, type EventLevel } from '../../events/index.js';
import { truncateBytes } from '../format.js';
import { checkErrcode, post } from '../http.js';
import { optionalSecret, resolveSecret } from '../secrets.js';
import type { Notification, Secret, SendReceipt } from '../types.js';
import { BaseChannel, checkUrl, type ChannelOptions } from './base.js';
import { markdownText } from './markdown.js';

/** Options of {@link dingtalk}. */
export interface DingTalkOptions extends ChannelOptions {
  /** The robot's `access_token` (from its webhook URL). */
  accessToken: Secret;
  /** The robot's signing secret (`SEC...`), when "加签" is on. */
  secret?: Secret;
  /** Mobile numbers to @-mention. */
  atMobiles?: string[];
  /** @-mention everyone at and above this level (default: never). */
  atAllFrom?: EventLevel;
  /** The robot endpoint (default `https://oapi.dingtalk.com/robot/send`). */
  url?: string;
  /** Clock for the signature's timestamp (default `Date.now`). */
  now?: () => number;
}

/** DingTalk's signature of `timestamp` with `secret`, before URL encoding. */
export function dingtalkSign(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** DingTalk's "send too fast" error: worth waiting for. */
const TOO_FAST = 130101;

class DingTalkChannel extends BaseChannel {
  readonly kind = 'dingtalk';
  private readonly endpoint: string;
  private readonly token: string;
  private readonly signSecret?: string;
  private readonly atMobiles: string[];
  private readonly atAllRank: number;
  private readonly now: () => number;

  constructor(options: DingTalkOptions) {
    super('dingtalk', options, [{ limit: 20, perMs: 60_000 }]);
    this.token = this.secret(resolveSecret(options.accessToken, `dingtalk channel '${this.name}': accessToken`));
    const s = optionalSecret(options.secret, `dingtalk channel '${this.name}': secret`);
    if (s !== undefined) this.signSecret = this.secret(s);
    this.endpoint = checkUrl(options.url ?? 'https://oapi.dingtalk.com/robot/send', `dingtalk channel '${this.name}': url`);
    this.atMobiles = options.atMobiles ?? [];
    this.atAllRank = options.atAllFrom ? levelRank(options.atAllFrom) : Infinity;
    this.now = options.now ?? Date.now;
  }

  /** The URL with the token and, when signing, the timestamp and signature. */
  private url(): string {
    const url = new URL(this.endpoint);
    url.searchParams.set('access_token', this.token);
    if (this.signSecret !== undefined) {
      const timestamp = this.now();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingtalkSign(timestamp, this.signSecret));
    }
    return url.toString();
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    const atAll = levelRank(n.level) >= this.atAllRank;
    // DingTalk mentions only the numbers that also appear in the text.
    const mentions = this.atMobiles.map((m) => `@${m}`).join(' ');
    const text = truncateBytes(markdownText(n) + (mentions ? `\n\n${mentions}` : ''), 20_000);
    const body = {
      msgtype: 'markdown',
      markdown: { title: n.title.slice(0, 64), text },
      at: { atMobiles: this.atMobiles, isAtAll: atAll },
    };
    const answer = await post({ channel: this.name, url: this.url(), json: body, signal });
    checkErrcode(this.name, 'DingTalk', answer, TOO_FAST);
    return { status: answer.status };
  }
}

/** A DingTalk group robot channel. */
export function dingtalk(options: DingTalkOptions): BaseChannel {
  return new DingTalkChannel(options);
}
