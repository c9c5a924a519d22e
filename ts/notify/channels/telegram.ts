/**
 * Telegram bot: `sendMessage` with HTML formatting. Quieter levels arrive without a sound
 * (`disable_notification`). Default limits are Telegram's published ones: one message a second
 * per chat, and 20 a minute in a group.
 */
import { levelRank, type EventLevel } from '../../events/index.js';
import { NotifyConfigError, NotifySendError } from '../../errors.js';
import { escapeHtml, formatTime, LEVEL_MARK, notes, truncate } from '../format.js';
import { answerJson, post } from '../http.js';
import { resolveSecret } from '../secrets.js';
import type { Notification, RateLimit, Secret, SendReceipt } from '../types.js';
import { BaseChannel, checkUrl, type ChannelOptions } from './base.js';

/** Options of {@link telegram}. */
export interface TelegramOptions extends ChannelOptions {
  /** The bot token from @BotFather (`123456:ABC-...`). */
  token: Secret;
  /** The chat: a user or group id (groups are negative) or `@channelname`. */
  chatId: string | number;
  /** A forum topic of the group (`message_thread_id`). */
  threadId?: number;
  /** Levels below this arrive silently (default WARNING). */
  silentBelow?: EventLevel;
  /** The Bot API's address (default `https://api.telegram.org`; a local Bot API server or a test server). */
  apiUrl?: string;
}

/** Telegram limits a message to 4,096 characters. */
const MAX_TEXT = 4096;

/** The message as Telegram HTML: the title in bold, the text, fields in italics, notes. */
export function telegramHtml(n: Notification): string {
  const lines = [`${LEVEL_MARK[n.level]} <b>${escapeHtml(n.title)}</b>`];
  if (n.text !== n.title) lines.push(escapeHtml(n.text));
  for (const [k, v] of n.fields) lines.push(`<i>${escapeHtml(k)}</i>: ${escapeHtml(v)}`);
  for (const note of notes(n)) lines.push(`<i>${escapeHtml(note)}</i>`);
  lines.push(`<code>${escapeHtml([n.source, formatTime(n.time)].filter(Boolean).join(' · '))}</code>`);
  const html = lines.join('\n');
  if (html.length <= MAX_TEXT) return html;
  // Cutting HTML could split a tag or an entity: cut the plain text, then escape, until it fits.
  for (let keep = MAX_TEXT - 200; ; keep = Math.floor(keep * 0.8)) {
    const short = `${LEVEL_MARK[n.level]} <b>${escapeHtml(truncate(n.title, 200))}</b>\n${escapeHtml(truncate(n.text, keep))}`;
    if (short.length <= MAX_TEXT) return short;
  }
}

interface TelegramAnswer {
  ok: boolean;
  result?: { message_id: number };
  description?: string;
  parameters?: { retry_after?: number };
}

class TelegramChannel extends BaseChannel {
  readonly kind = 'telegram';
  private readonly url: string;
  private readonly chatId: string | number;
  private readonly threadId?: number;
  private readonly silentRank: number;

  constructor(options: TelegramOptions) {
    const chat = options?.chatId;
    const group = typeof chat === 'number' ? chat < 0 : String(chat).startsWith('-');
    const limits: RateLimit[] = [{ limit: 1, perMs: 1000 }];
    if (group) limits.push({ limit: 20, perMs: 60_000 });
    super('telegram', options, limits);
    const token = this.secret(resolveSecret(options.token, `telegram channel '${this.name}': token`));
    if (chat === undefined || chat === '') throw new NotifyConfigError(`telegram channel '${this.name}': chatId is required (the user, group or @channel to write to)`);
    this.chatId = chat;
    this.threadId = options.threadId;
    this.silentRank = levelRank(options.silentBelow ?? 'WARNING');
    const api = checkUrl(options.apiUrl ?? 'https://api.telegram.org', `telegram channel '${this.name}': apiUrl`).replace(/\/+$/, '');
    this.url = `${api}/bot${token}/sendMessage`;
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    const body: Record<string, unknown> = {
      chat_id: this.chatId,
      text: telegramHtml(n),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      disable_notification: levelRank(n.level) < this.silentRank,
    };
    if (this.threadId !== undefined) body.message_thread_id = this.threadId;
    const answer = await post({
      channel: this.name, url: this.url, json: body, signal,
      retryAfterFromBody: (text) => {
        const s = (JSON.parse(text) as TelegramAnswer).parameters?.retry_after;
        return s === undefined ? undefined : s * 1000;
      },
    });
    const json = answerJson<TelegramAnswer>(this.name, answer);
    if (!json.ok) throw new NotifySendError(`${this.name}: Telegram refused the message: ${json.description ?? answer.text}`, this.name, false, answer.status);
    return { status: answer.status, id: json.result ? String(json.result.message_id) : undefined };
  }
}

/** A Telegram bot channel (see docs/notifications.md for creating the bot and finding the chat id). */
export function telegram(options: TelegramOptions): BaseChannel {
  return new TelegramChannel(options);
}
