/**
 * POST /api/payments/webhook/:provider: a payment provider tells the cloud an
 * order was paid, failed or refunded. Public (the provider has no account): the
 * proof is the HMAC signature over the raw body (webhook-signature.ts), so this
 * plugin keeps the raw text beside the parsed JSON. Setting a status the order has
 * already is a no-op answered the same, so the provider's retries are harmless.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { CloudApp } from '../../context.js';
import { apiError, badField, notFound } from '../../errors.js';
import { fails, ok } from '../../api/answers.js';
import { parseJsonBody } from '../../json-body.js';
import { verifyWebhookSignature } from './webhook-signature.js';

const Params = Type.Object({ provider: Type.String({ pattern: '^[a-z0-9_-]{1,32}$', errorMessage: 'must be a provider name' }) }, { additionalProperties: false });
const Headers = Type.Object({ 'x-easygas-signature': Type.Optional(Type.String({ description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">' })) });
const WebhookBody = Type.Record(Type.String(), Type.Unknown(), { description: 'The provider’s own event, read by its PaymentProvider.' });
const WebhookAnswer = Type.Object(
  { orderNumber: Type.String(), paymentStatus: Type.String(), changed: Type.Boolean({ description: 'False when the order had this status already (a retry).' }) },
  { title: 'PaymentWebhookAnswer' },
);

/** Registered with the prefix /api/payments. */
export function paymentWebhookModule(app: CloudApp): Promise<void> {
  const raw = new WeakMap<FastifyRequest, string>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    raw.set(request, text);
    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.post(
    '/webhook/:provider',
    {
      schema: {
        operationId: 'receivePaymentWebhook',
        tags: ['orders'],
        summary: 'A payment provider reports a payment (signed)',
        description:
          'Signed with the provider’s secret: `X-EasyGas-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, refused when older than 5 minutes. ' +
          'Sets the order’s `paymentStatus` (paid, failed, refunded); a retry changes nothing and answers the same.',
        params: Params,
        headers: Headers,
        body: WebhookBody,
        response: { 200: ok(WebhookAnswer, 'The order’s payment status now.'), ...fails('EASYGAS_NOT_FOUND', 'EASYGAS_WEBHOOK_SIGNATURE_INVALID') },
      },
    },
    async (request) => {
      const provider = app.cloud.payments.get(request.params.provider);
      if (provider?.webhook === undefined) throw notFound('payment provider', request.params.provider);
      const check = verifyWebhookSignature(request.headers['x-easygas-signature'], raw.get(request) ?? '', provider.webhook.secret, app.cloud.clock.now());
      if (!check.ok) throw apiError('EASYGAS_WEBHOOK_SIGNATURE_INVALID', { reason: check.reason });
      const event = provider.webhook.event(request.body);
      if (event === undefined) throw badField('type', `not an event of ${provider.name} that this server reads`);
      const result = await app.cloud.repo.orders.setPaymentStatus(event.orderNumber, event.paymentStatus, app.cloud.clock.now());
      if (result === undefined) throw notFound('order', event.orderNumber);
      request.log.info({ order: event.orderNumber, provider: provider.name, status: event.paymentStatus, changed: result.changed }, 'payment webhook');
      return { orderNumber: result.order.number, paymentStatus: result.order.paymentStatus, changed: result.changed };
    },
  );
  return Promise.resolve();
}
