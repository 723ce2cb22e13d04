/**
 * The channels the settings configure, built once by the composition root (the
 * cloud's main) and handed to the delivery worker. A channel without settings is
 * absent: the worker records "not configured" rather than pretending to send.
 */
import type { Channel } from './channel.js';
import { createEmailChannel, type EmailAddress } from './email/email-channel.js';
import { createPushChannel, type PushSubscriptionAddress } from './push/push-channel.js';
import type { ChannelSettings } from './settings.js';
import { createSmsChannel, type SmsAddress } from './sms/sms-channel.js';
import { createTwilioProvider } from './sms/twilio-provider.js';
import { createWebhookChannel, type WebhookAddress } from './webhook/webhook-channel.js';

export interface Channels {
  readonly email?: Channel<EmailAddress>;
  readonly push?: Channel<PushSubscriptionAddress>;
  readonly sms?: Channel<SmsAddress>;
  readonly webhook: Channel<WebhookAddress>;
  /** The VAPID public key browsers subscribe with (the dashboard's applicationServerKey); set with push. */
  readonly pushPublicKey?: string;
  close(): Promise<void>;
}

export interface ChannelDeps {
  /** The server's clock (UTC epoch ms): Retry-After dates and webhook timestamps. */
  readonly now: () => number;
}

export function createChannels(settings: ChannelSettings, deps: ChannelDeps): Channels {
  const email = settings.smtp === undefined ? undefined : createEmailChannel(settings.smtp);
  const push = settings.push === undefined ? undefined : createPushChannel(settings.push, { now: deps.now });
  const sms =
    settings.sms === undefined
      ? undefined
      : createSmsChannel(createTwilioProvider(settings.sms, { now: deps.now }), settings.sms.defaultCountry === undefined ? {} : { defaultCountry: settings.sms.defaultCountry });
  const webhook = createWebhookChannel(settings.webhook, { now: deps.now });
  const all = [email, push, sms, webhook].filter((c) => c !== undefined);
  return {
    ...(email === undefined ? {} : { email }),
    ...(push === undefined || settings.push === undefined ? {} : { push, pushPublicKey: settings.push.vapidPublicKey }),
    ...(sms === undefined ? {} : { sms }),
    webhook,
    async close() {
      await Promise.all(all.map((c) => c.close()));
    },
  };
}
