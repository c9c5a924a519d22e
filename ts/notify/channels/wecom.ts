/**
 * WeCom (企业微信) group robot: markdown messages (4,096 bytes at most), or text with
 * @-mentions by mobile number. Default limit: WeCom's 20 messages a minute per robot. WeCom
 * answers HTTP 200 with an `errcode`: 0 is sent, 45009 (frequency limit) is retried, others are
 * permanent.
 */
import { plainText, truncateBytes } from '../format.js';
import { checkErrcode, post } from '../http.js';
import { resolveSecret } from '../secrets.js';
import type { Notification, Secret, SendReceipt } from '../types.js';
import { BaseChannel, checkUrl, type ChannelOptions } from './base.js';
import { markdownText } from './markdown.js';

/** Options of {@link wecom}. */
export interface WeComOptions extends ChannelOptions {
  /** The robot's `key` (from its webhook URL). */
  key: Secret;
  /** `markdown` (default) or `text` (plain, but can @-mention). */
  format?: 'markdown' | 'text';
  /** Mobile numbers to @-mention (text format only; `@all` for everyone). */
  mentionMobiles?: string[];
  /** The robot endpoint (default `https://qyapi.weixin.qq.com/cgi-bin/webhook/send`). */
  url?: string;
}

const FREQUENCY_LIMIT = 45009;

class WeComChannel extends BaseChannel {
  readonly kind = 'wecom';
  private readonly fullUrl: string;
  private readonly format: 'markdown' | 'text';
  private readonly mentions: string[];

  constructor(options: WeComOptions) {
    super('wecom', options, [{ limit: 20, perMs: 60_000 }]);
    const key = this.secret(resolveSecret(options.key, `wecom channel '${this.name}': key`));
    const url = new URL(checkUrl(options.url ?? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send', `wecom channel '${this.name}': url`));
    url.searchParams.set('key', key);
    this.fullUrl = url.toString();
    this.format = options.format ?? 'markdown';
    this.mentions = options.mentionMobiles ?? [];
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    const body = this.format === 'markdown'
      ? { msgtype: 'markdown', markdown: { content: truncateBytes(markdownText(n, { heading: '###' }), 4096) } }
      : { msgtype: 'text', text: { content: truncateBytes(plainText(n), 2048), mentioned_mobile_list: this.mentions } };
    const answer = await post({ channel: this.name, url: this.fullUrl, json: body, signal });
    checkErrcode(this.name, 'WeCom', answer, FREQUENCY_LIMIT);
    return { status: answer.status };
  }
}

/** A WeCom group robot channel. */
export function wecom(options: WeComOptions): BaseChannel {
  return new WeComChannel(options);
}
