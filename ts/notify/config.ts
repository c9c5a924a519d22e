/**
 * Channels from plain configuration (a JSON or YAML file, the live config): each entry names its
 * `kind` and carries that channel's options, with secrets as `{ env: 'VARIABLE' }`.
 *
 * ```json
 * [{ "kind": "telegram", "token": { "env": "TELEGRAM_BOT_TOKEN" }, "chatId": "123456", "events": ["fill", "trade"] },
 *  { "kind": "sms", "provider": { "kind": "twilio", "accountSid": { "env": "TWILIO_SID" }, "authToken": { "env": "TWILIO_TOKEN" }, "from": "+15550001111" },
 *    "to": "+15552223333", "minLevel": "CRITICAL" }]
 * ```
 */
import { NotifyConfigError } from '../errors.js';
import { discord, type DiscordOptions } from './channels/discord.js';
import { dingtalk, type DingTalkOptions } from './channels/dingtalk.js';
import { email, type EmailOptions } from './channels/email.js';
import { slack, type SlackOptions } from './channels/slack.js';
import { sms, type SmsOptions } from './channels/sms.js';
import { telegram, type TelegramOptions } from './channels/telegram.js';
import { twilio, type TwilioOptions } from './channels/twilio.js';
import { webhook, type WebhookOptions } from './channels/webhook.js';
import { wecom, type WeComOptions } from './channels/wecom.js';
import type { Channel } from './types.js';

/** One channel in configuration. */
export type ChannelConfig =
  | ({ kind: 'email' } & EmailOptions)
  | ({ kind: 'sms'; provider: { kind: 'twilio' } & TwilioOptions } & Omit<SmsOptions, 'provider'>)
  | ({ kind: 'webhook' } & WebhookOptions)
  | ({ kind: 'dingtalk' } & DingTalkOptions)
  | ({ kind: 'wecom' } & WeComOptions)
  | ({ kind: 'slack' } & SlackOptions)
  | ({ kind: 'telegram' } & TelegramOptions)
  | ({ kind: 'discord' } & DiscordOptions);

const KINDS = ['email', 'sms', 'webhook', 'dingtalk', 'wecom', 'slack', 'telegram', 'discord'];

/** Builds the channels a configuration lists. @throws NotifyConfigError naming the entry that is wrong. */
export function channelsFromConfig(config: readonly ChannelConfig[]): Channel[] {
  if (!Array.isArray(config)) throw new NotifyConfigError('notifications: channels must be a list of { kind, ...options }');
  return config.map((entry, k) => {
    const { kind, ...options } = (entry ?? {}) as ChannelConfig;
    try {
      switch (kind) {
        case 'email': return email(options as EmailOptions);
        case 'webhook': return webhook(options as WebhookOptions);
        case 'dingtalk': return dingtalk(options as DingTalkOptions);
        case 'wecom': return wecom(options as WeComOptions);
        case 'slack': return slack(options as SlackOptions);
        case 'telegram': return telegram(options as TelegramOptions);
        case 'discord': return discord(options as DiscordOptions);
        case 'sms': {
          const { provider, ...rest } = options as Omit<SmsOptions, 'provider'> & { provider?: { kind?: string } & TwilioOptions };
          if (provider?.kind !== 'twilio') throw new NotifyConfigError(`sms provider kind must be 'twilio' in configuration (other providers are given in code), got '${provider?.kind}'`);
          const { kind: _k, ...twilioOptions } = provider;
          return sms({ ...rest, provider: twilio(twilioOptions) });
        }
        default:
          throw new NotifyConfigError(`unknown kind '${String(kind)}' (known: ${KINDS.join(', ')})`);
      }
    } catch (error) {
      if (error instanceof NotifyConfigError) throw new NotifyConfigError(`notifications: channel ${k + 1}: ${error.message}`);
      throw error;
    }
  });
}
