/** Request and response schemas of /api/channels and /api/push-subscriptions. */
import { Type } from 'typebox';
import { Nullable, Timestamp } from '../../api/common.js';

export const AddressKind = Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('webhook'), Type.Literal('push')]);

export const ChannelAddressView = Type.Object(
  {
    id: Type.String(),
    kind: AddressKind,
    target: Type.String({ description: 'the email, the E.164 phone, the webhook URL, or the push endpoint' }),
    verified: Type.Boolean({ description: 'an email is verified by its link before alarms go to it; the others need no proof' }),
    enabled: Type.Boolean({ description: 'false once a provider refused the address (a hard bounce, a number that opted out): add it again to turn it back on' }),
    disabledReason: Nullable(Type.String()),
    createdAt: Timestamp,
    contactName: Nullable(Type.String({ description: "an emergency contact's name: told only of a critical alarm you leave unacknowledged; null for your own address" })),
  },
  { title: 'ChannelAddress' },
);

const ContactName = Type.Optional(
  Type.String({
    maxLength: 200,
    description: 'makes the address an emergency contact (at most 5): 1 to 60 characters, trimmed. A contact gets none of your notifications, only a critical alarm left unacknowledged through every reminder, and its "resolved"',
  }),
);

export const EmailBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254, errorMessage: 'must be an email address' }), contactName: ContactName },
  { title: 'AddEmailAddress', additionalProperties: false },
);

export const VerifyBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { title: 'VerifyEmail', additionalProperties: false });
export const VerifyQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const SmsBody = Type.Object(
  { phone: Type.String({ minLength: 1, maxLength: 40, description: 'a mobile number with its country code, e.g. +44 7911 123456; stored in E.164' }), contactName: ContactName },
  { title: 'AddSmsNumber', additionalProperties: false },
);

export const WebhookBody = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 2048, description: 'an https (or http) URL; called with a JSON body signed with HMAC-SHA256' }) },
  { title: 'AddWebhook', additionalProperties: false },
);

export const WebhookCreated = Type.Object(
  { address: ChannelAddressView, secret: Type.String({ description: 'the signing secret: shown once, keep it in the receiver' }) },
  { title: 'WebhookCreated' },
);

export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 2048, description: 'PushSubscription.endpoint (https)' }),
    keys: Type.Object({ p256dh: Type.String({ minLength: 1, maxLength: 200 }), auth: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    expirationTime: Type.Optional(Nullable(Type.Number())),
  },
  { title: 'PushSubscription', additionalProperties: false },
);

export const PushUnsubscribeBody = Type.Object({ endpoint: Type.String({ minLength: 1, maxLength: 2048 }) }, { title: 'PushUnsubscribe', additionalProperties: false });

export const ChannelTestQueued = Type.Object(
  {
    notificationId: Type.String({ description: 'the test notification, in your inbox' }),
    deliveryId: Type.String({ description: 'its one delivery, to this address: GET /api/notifications/{notificationId}/deliveries shows how it went' }),
  },
  { title: 'ChannelTestQueued' },
);

export const PushPublicKey = Type.Object(
  { publicKey: Type.String({ description: "the VAPID public key (URL-safe base64, 65 bytes): PushManager.subscribe's applicationServerKey" }) },
  { title: 'PushPublicKey' },
);
