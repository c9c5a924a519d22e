/** Notifications: e-mail, SMS, webhooks and chats, routed by level and event, never in trading's way. */
export { Notifier, type NotifierOptions, type NotifyOptions } from './notifier.js';
export * as channels from './channels/index.js';
export type { ChannelOptions, SmsProvider } from './channels/index.js';
export { channelsFromConfig, type ChannelConfig } from './config.js';
export { MemoryNotificationLog, type NotificationLog, type NotificationRecord } from './log.js';
export { scheduleSummary, type SummaryOptions, type SummarySchedule, type SummarySnapshot } from './summary.js';
export { fromEvent } from './notification.js';
export { resolveSecret, Redactor } from './secrets.js';
export type { QuietHoursOptions } from './quiet-hours.js';
export type { RetryOptions } from './retry.js';
export type { ChannelStats } from './channel-runner.js';
export type { Channel, Notification, RouteOptions, RateLimit, SendReceipt, Secret, NotifyLogger } from './types.js';
