/** The built-in channels. */
export { email, emailSubject, emailHtml, type EmailOptions } from './email.js';
export { sms, type SmsOptions, type SmsProvider } from './sms.js';
export { smsText, smsSegments, fitSms, isGsm7 } from './sms-text.js';
export { twilio, type TwilioOptions } from './twilio.js';
export { webhook, webhookPayload, webhookSignature, type WebhookOptions, type WebhookPayload } from './webhook.js';
export { dingtalk, dingtalkSign, type DingTalkOptions } from './dingtalk.js';
export { wecom, type WeComOptions } from './wecom.js';
export { slack, slackText, type SlackOptions } from './slack.js';
export { telegram, telegramHtml, type TelegramOptions } from './telegram.js';
export { discord, discordBody, type DiscordOptions } from './discord.js';
export { BaseChannel, type ChannelOptions } from './base.js';
