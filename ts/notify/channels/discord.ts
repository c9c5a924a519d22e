/**
 * Discord webhook: one embed per message, coloured by level, mentions disabled. Default limits:
 * Discord's webhook limits, 5 requests per 2 s and 30 messages a minute per channel.
 */
import type { EventLevel } from '../../events/index.js';
import { LEVEL_MARK, notes, truncate } from '../format.js';
import { post } from '../http.js';
import { resolveSecret } from '../secrets.js';
import type { Notification, Secret, SendReceipt } from '../types.js';
import { BaseChannel, checkUrl, type ChannelOptions } from './base.js';

/** Options of {@link discord}. */
export interface DiscordOptions extends ChannelOptions {
  /** The webhook URL (`https://discord.com/api/webhooks/ID/TOKEN`): it is the secret. */
  url: Secret;
  /** Overrides the webhook's display name. */
  username?: string;
}

const COLOURS: Record<EventLevel, number> = { DEBUG: 0x95a5a6, INFO: 0x3498db, WARNING: 0xf1c40f, ERROR: 0xe74c3c, CRITICAL: 0x8e44ad };

/** The webhook body: an embed with the title, text, fields (inline), notes and time. */
export function discordBody(n: Notification, username?: string): Record<string, unknown> {
  const note = notes(n);
  const embed: Record<string, unknown> = {
    title: truncate(`${LEVEL_MARK[n.level]} ${n.title}`, 256),
    description: truncate([n.text !== n.title ? n.text : '', ...note].filter(Boolean).join('\n'), 4096),
    color: COLOURS[n.level],
    fields: n.fields.slice(0, 25).map(([name, value]) => ({ name: truncate(name, 256), value: truncate(value || '-', 1024), inline: !value.includes('\n') })),
  };
  if (Number.isFinite(n.time)) embed.timestamp = new Date(n.time).toISOString();
  if (n.source) embed.footer = { text: truncate(n.source, 2048) };
  const body: Record<string, unknown> = {
    content: truncate(`[${n.level}] ${n.title}`, 2000),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
  if (username) body.username = username;
  return body;
}

class DiscordChannel extends BaseChannel {
  readonly kind = 'discord';
  private readonly url: string;
  private readonly username?: string;

  constructor(options: DiscordOptions) {
    super('discord', options, [{ limit: 5, perMs: 2000 }, { limit: 30, perMs: 60_000 }]);
    const url = this.secret(checkUrl(resolveSecret(options.url, `discord channel '${this.name}': url`), `discord channel '${this.name}': url`));
    // `wait=true`: Discord answers with the message (and its id) once it is stored.
    this.url = `${url}${url.includes('?') ? '&' : '?'}wait=true`;
    this.username = options.username;
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    const answer = await post({
      channel: this.name, url: this.url, json: discordBody(n, this.username), signal,
      // Discord's 429 body: { retry_after: seconds (fractional), global }.
      retryAfterFromBody: (text) => {
        const s = (JSON.parse(text) as { retry_after?: number }).retry_after;
        return s === undefined ? undefined : s * 1000;
      },
    });
    let id: string | undefined;
    try {
      id = (JSON.parse(answer.text) as { id?: string }).id;
    } catch {
      id = undefined;
    }
    return { status: answer.status, id };
  }
}

/** A Discord webhook channel. */
export function discord(options: DiscordOptions): BaseChannel {
  return new DiscordChannel(options);
}
