/**
 * /api/channels (where you are told: email, SMS, webhooks) and
 * /api/push-subscriptions (this browser's push). The email verification link is
 * public: the token is the proof.
 */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { perActorAndId, perAddress } from '../../routes/rate-limits.js';
import { apiError } from '../../errors.js';
import type { ChannelAddress } from '../../storage/delivery-types.js';
import {
  ChannelAddressView,
  ChannelTestQueued,
  EmailBody,
  PushPublicKey,
  PushSubscriptionBody,
  PushUnsubscribeBody,
  SmsBody,
  VerifyBody,
  VerifyQuery,
  WebhookBody,
  WebhookCreated,
} from './schemas.js';
import { ChannelsService } from './service.js';

const config = requirePermission('notifications:own');
const tags = ['channels'];
/** A test costs a real send (an SMS is paid for): one per address a minute. */
const TEST_LIMIT = { max: 1, windowMs: 60_000 };

function addressView(a: ChannelAddress) {
  return {
    id: a.id,
    kind: a.kind,
    target: a.target,
    verified: a.verifiedAt !== null,
    enabled: a.disabledAt === null,
    disabledReason: a.disabledReason,
    createdAt: a.createdAt,
    contactName: a.contactName,
  };
}

/** Registered with the prefix /api. */
export async function channelsModule(app: CloudApp): Promise<void> {
  const { repo, clock, outbox, publicUrl } = app.cloud;
  const channels = new ChannelsService(repo, clock, { publicUrl, wake: () => outbox.kick() });
  await app.register((open: CloudApp) => verifyRoutes(open, channels), { prefix: '/channels/email/verify' });
  await app.register(userScope((scope) => addressRoutes(scope, channels)), { prefix: '/channels' });
  await app.register(userScope((scope) => pushRoutes(scope, channels)), { prefix: '/push-subscriptions' });
}

function verifyRoutes(app: CloudApp, channels: ChannelsService): Promise<void> {
  const limited = { rateLimit: perAddress(app.cloud.settings.authRateLimit, 'verify-email') };
  const answer = { 200: ok(ChannelAddressView, 'The address is verified: alarms go to it.'), ...fails('EASYGAS_LINK_INVALID') };
  app.get(
    '',
    {
      config: limited,
      schema: { operationId: 'verifyEmailLink', tags, summary: 'Verify an email address (the link in the email)', description: "The verification link as an API call: single-use, valid 24 h. No sign-in needed: the token is the proof. The email's link opens the dashboard's /verify-email page, which posts the token (verifyEmail) when the user confirms.", querystring: VerifyQuery, response: answer },
    },
    async (request) => addressView(await channels.verifyEmail(request.query.token)),
  );
  app.post(
    '',
    { config: limited, schema: { operationId: 'verifyEmail', tags, summary: 'Verify an email address with the token of its link', description: "What the dashboard's /verify-email page (the email's link) calls when the user confirms.", body: VerifyBody, response: answer } },
    async (request) => addressView(await channels.verifyEmail(request.body.token)),
  );
  return Promise.resolve();
}

function addressRoutes(app: CloudApp, channels: ChannelsService): void {
  app.get(
    '',
    { config, schema: { operationId: 'listChannels', tags, summary: 'Your channel addresses and their state', description: 'Emails (verified or not), SMS numbers, webhooks and push subscriptions, and your emergency contacts (those with a contactName); a refused address shows why it was turned off.', response: { 200: ok(Type.Array(ChannelAddressView), 'Every address, oldest first.') } } },
    async (request) => (await channels.list(currentActor(request))).map(addressView),
  );
  app.post(
    '/email',
    {
      config,
      schema: {
        operationId: 'addEmailChannel',
        tags,
        summary: 'Add an email address, yours or an emergency contact\'s (a verification link is sent to it)',
        description:
          'Alarms go to the address once its link is opened (valid 24 h). Adding it again sends a new link, or turns a refused address back on. ' +
          'With `contactName` it is an emergency contact (at most 5): the link\'s email says who added them and why, and the contact is told only of a critical alarm left unacknowledged through every reminder. ' +
          'A `contactName` that is empty or longer than 60 characters after trimming, or a sixth contact, answers 400 naming body.contactName.',
        body: EmailBody,
        response: { 201: ok(ChannelAddressView, 'The address, not verified yet (unless it already was).'), ...fails('EASYGAS_VALIDATION') },
      },
    },
    async (request, reply) => reply.status(201).send(addressView(await channels.addEmail(currentActor(request), request.body.email, request.body.contactName))),
  );
  app.post(
    '/sms',
    {
      config,
      schema: {
        operationId: 'addSmsChannel',
        tags,
        summary: 'Add a mobile number for SMS (critical alarms only), yours or an emergency contact\'s',
        description:
          'The number is validated and stored in E.164; a landline or an invalid number answers 400 naming body.phone. ' +
          'With `contactName` it is an emergency contact (at most 5), told only of a critical alarm left unacknowledged through every reminder; a bad `contactName` or a sixth contact answers 400 naming body.contactName.',
        body: SmsBody,
        response: { 201: ok(ChannelAddressView, 'The number, in E.164.'), ...fails('EASYGAS_VALIDATION') },
      },
    },
    async (request, reply) => reply.status(201).send(addressView(await channels.addSms(currentActor(request), request.body.phone, request.body.contactName))),
  );
  app.post(
    '/webhook',
    {
      config,
      schema: {
        operationId: 'addWebhookChannel',
        tags,
        summary: 'Add a webhook (every notification that goes beyond the app)',
        description: 'The answer carries the HMAC-SHA256 signing secret, once. Adding the same URL again makes a new secret.',
        body: WebhookBody,
        response: { 201: ok(WebhookCreated, 'The webhook and its secret.'), ...fails('EASYGAS_VALIDATION') },
      },
    },
    async (request, reply) => {
      const { address, secret } = await channels.addWebhook(currentActor(request), request.body.url);
      return reply.status(201).send({ address: addressView(address), secret });
    },
  );
  app.post(
    '/:id/test',
    {
      config: { ...config, rateLimit: perActorAndId(TEST_LIMIT, 'channel-test') },
      schema: {
        operationId: 'testChannel',
        tags,
        summary: 'Send a test notification to this one address',
        description:
          'Queues a test notification (type test, severity info) with one delivery, to this address only, through the same outbox as alarms, at once even in quiet hours. ' +
          'GET /api/notifications/{notificationId}/deliveries then shows how it went. One test per address a minute.',
        params: IdParams,
        response: {
          202: ok(ChannelTestQueued, 'The test is queued: its delivery is pending.'),
          ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_CHANNEL_UNVERIFIED', 'EASYGAS_CHANNEL_DISABLED'),
        },
      },
    },
    async (request, reply) => reply.status(202).send(await channels.test(currentActor(request), request.params.id)),
  );
  app.delete(
    '/:id',
    {
      config,
      schema: { operationId: 'deleteChannel', tags, summary: 'Remove a channel address', description: 'Nothing more is sent to it; its past deliveries stay in the log.', params: IdParams, response: { 204: noContent('The address was removed.'), ...fails('EASYGAS_NOT_FOUND') } },
    },
    async (request, reply) => {
      await channels.remove(currentActor(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

function pushRoutes(app: CloudApp, channels: ChannelsService): void {
  const publicKey = app.cloud.pushPublicKey;
  app.get(
    '/key',
    {
      config,
      schema: {
        operationId: 'getPushPublicKey',
        tags,
        summary: "The server's VAPID public key, to subscribe a browser with",
        description: "Pass it as PushManager.subscribe({ applicationServerKey }) before POST /api/push-subscriptions. 404 when the server's operator has not configured web push.",
        response: { 200: ok(PushPublicKey, 'The key.'), ...fails('EASYGAS_PUSH_NOT_CONFIGURED') },
      },
    },
    () => {
      if (publicKey === undefined) throw apiError('EASYGAS_PUSH_NOT_CONFIGURED', {});
      return Promise.resolve({ publicKey });
    },
  );
  app.post(
    '',
    {
      config,
      schema: {
        operationId: 'addPushSubscription',
        tags,
        summary: "Register this browser's push subscription (PushSubscription.toJSON())",
        description: 'Registering the same endpoint again replaces its keys. A subscription the push service answers 404/410 for is deleted.',
        body: PushSubscriptionBody,
        response: { 201: ok(ChannelAddressView, 'The subscription.'), ...fails('EASYGAS_VALIDATION') },
      },
    },
    async (request, reply) => reply.status(201).send(addressView(await channels.addPush(currentActor(request), request.body))),
  );
  app.delete(
    '',
    {
      config,
      schema: {
        operationId: 'deletePushSubscription',
        tags,
        summary: "Remove this browser's push subscription",
        description: 'By its endpoint (as the browser knows it after unsubscribe()); idempotent: an endpoint not registered (any more) answers 204 too.',
        body: PushUnsubscribeBody,
        response: { 204: noContent('The subscription is not registered (any more).') },
      },
    },
    async (request, reply) => {
      await channels.removePush(currentActor(request), request.body.endpoint);
      return reply.status(204).send();
    },
  );
}
