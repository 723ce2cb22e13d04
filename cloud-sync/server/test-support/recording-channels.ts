/**
 * The route tests' channels: the real webhook channel, and an email channel that
 * records what it was asked to send (a verification link, an alarm) instead of
 * speaking SMTP. Tests of the email path itself use the real SMTP sink
 * (modules/notifications/channels/test-support/smtp-sink.ts).
 */
import { createChannels, generateVapidKeys, loadChannelSettings, type Channels, type NotificationMessage } from '../modules/notifications/channels/index.js';
import type { EmailAddress } from '../modules/notifications/channels/email/email-channel.js';

export interface SentEmail {
  readonly message: NotificationMessage;
  readonly to: string;
}

export function recordingChannels(now: () => number): { channels: Channels; sent: SentEmail[] } {
  const sent: SentEmail[] = [];
  const base = createChannels(loadChannelSettings({ env: {} }), { now });
  const channels: Channels = {
    webhook: base.webhook,
    email: {
      kind: 'email',
      send(message: NotificationMessage, address: EmailAddress) {
        sent.push({ message, to: address.email });
        return Promise.resolve({ status: 'delivered', providerMessageId: `<${message.id}@test>` });
      },
      close: () => Promise.resolve(),
    },
    // The key the dashboard subscribes with; nothing is pushed (no push channel), as on a server whose push service is down.
    pushPublicKey: generateVapidKeys().publicKey,
    close: () => base.close(),
  };
  return { channels, sent };
}

/** The token of the newest link sent to `to` (a verification or a reset), or undefined. */
export function linkToken(sent: readonly SentEmail[], to: string): string | undefined {
  const mail = sent.filter((m) => m.to === to).at(-1);
  return mail === undefined ? undefined : /token=([\w-]+)/.exec(mail.message.links.dashboard)?.[1];
}
