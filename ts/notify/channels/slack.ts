/**
 * Slack incoming webhook: `mrkdwn` text (bold title, fields, notes). Default limit: Slack's one
 * message a second per webhook.
 */
import { NotifySendError } from '../../errors.js';
import { escapeHtml, formatTime, LEVEL_MARK, notes, truncate } from '../format.js';
import { post } from '../http.js';
import { resolveSecret } from '../secrets.js';
import type { Notification, Secret, SendReceipt } from '../types.js';
import { BaseChannel, checkUrl, type ChannelOptions } from './base.js';

/** Options of {@link slack}. */
export interface SlackOptions extends ChannelOptions {
  /** The incoming webhook URL (`https://hooks.slack.com/services/T.../B.../...`): it is the secret. */
  url: Secret;
}

/** Slack's mrkdwn: `&`, `<`, `>` escaped, `*bold*`, `_italic_`. */
export function slackText(n: Notification): string {
  const lines = [`${LEVEL_MARK[n.level]} *${escapeHtml(n.title)}*`];
  if (n.text !== n.title) lines.push(escapeHtml(n.text));
  for (const [k, v] of n.fields) lines.push(`_${escapeHtml(k)}_: ${escapeHtml(v)}`);
  for (const note of notes(n)) lines.push(`_${escapeHtml(note)}_`);
  lines.push(escapeHtml([n.source, formatTime(n.time)].filter(Boolean).join(' · ')));
  return truncate(lines.join('\n'), 3000);
}

class SlackChannel extends BaseChannel {
  readonly kind = 'slack';
  private readonly url: string;

  constructor(options: SlackOptions) {
    super('slack', options, [{ limit: 1, perMs: 1000 }]);
    this.url = this.secret(checkUrl(resolveSecret(options.url, `slack channel '${this.name}': url`), `slack channel '${this.name}': url`));
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    const answer = await post({ channel: this.name, url: this.url, json: { text: slackText(n), mrkdwn: true }, signal });
    if (answer.text.trim() !== 'ok') throw new NotifySendError(`${this.name}: Slack answered '${answer.text.slice(0, 100)}'`, this.name, false, answer.status);
    return { status: answer.status };
  }
}

/** A Slack incoming-webhook channel. */
export function slack(options: SlackOptions): BaseChannel {
  return new SlackChannel(options);
}
