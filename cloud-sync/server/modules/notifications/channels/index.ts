/** The notification channels library: what the delivery worker, the routes and the CLI use. */
export type { Channel, ChannelKind, Delivered, Gone, PermanentFailure, RetryLater, SendOutcome } from './channel.js';
export { CHANNEL_ERRORS, type ChannelError, type ChannelErrorCode } from './channel-errors.js';
export { SEVERITY_WORDS, type MessageLinks, type MessageSeverity, type NotificationMessage } from './message.js';
export { createChannels, type ChannelDeps, type Channels } from './create-channels.js';
export { loadChannelSettings, CONFIG_FILE_ENV, SETTING_ENV, type LoadOptions } from './settings-sources.js';
export {
  ChannelSettingsError,
  describeChannelSettings,
  validateChannelSettings,
  type ChannelSettings,
  type PolicySettings,
  type PushSettings,
  type SettingsIssue,
  type SmsSettings,
  type SmtpSettings,
  type WebhookSettings,
} from './settings.js';
export { Secret } from './secret.js';
export { createEmailChannel, type EmailAddress } from './email/email-channel.js';
export { createLogEmailChannel, formatLoggedEmail, type LoggedEmail } from './email/log-email-channel.js';
export { createPushChannel, type PushSubscriptionAddress } from './push/push-channel.js';
export { pushTopic } from './push/push-payload.js';
export { generateVapidKeys, vapidKeysAsEnv, type VapidKeys } from './push/vapid-keys.js';
export { createSmsChannel, type SmsAddress } from './sms/sms-channel.js';
export type { OutgoingSms, SmsProvider } from './sms/sms-provider.js';
export { createTwilioProvider } from './sms/twilio-provider.js';
export { normalisePhoneNumber, type PhoneNumberResult } from './sms/phone-number.js';
export { createWebhookChannel, type WebhookAddress } from './webhook/webhook-channel.js';
export {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  newWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  type VerifyResult,
} from './webhook/webhook-signature.js';
