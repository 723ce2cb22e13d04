/**
 * The signed payment webhook through the API, on SQLite and PostgreSQL: a paid
 * event sets the order's paymentStatus, a retry changes nothing and answers the
 * same; a bad, missing or replayed signature is 401 and changes nothing; an unknown
 * provider or order is 404; an event the provider does not send is 400.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { suiteHarness } from '../../test-support/suite-harness.js';
import { STORAGE_KINDS, call, signUp, type Harness, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { newOrder, supplierProfile } from '../../test-support/order-world.js';
import { signedWebhook } from '../../test-support/test-payment-provider.js';

for (const storage of STORAGE_KINDS) paymentWebhook(storage);

function paymentWebhook(storage: StorageKind): void {
  describe(`payment webhook on ${storage}`, () => {
    let h: Harness;
    const suite = suiteHarness(storage);
    let ann: SignedIn;
    let supplierId: string;

    before(async () => {
      if (suite.skip !== undefined) return;
      ({ h, ann } = suite);
      supplierId = (await supplierProfile(h, await signUp(h.app, 'Gas Co', 'supplier'))).id;
    });

    const send = async (body: Record<string, unknown>, atMs = h.clock.now(), secret?: string, provider = 'testpay') => {
      const signed = signedWebhook(body, atMs, secret);
      const answer = await h.app.inject({ method: 'POST', url: `/api/payments/webhook/${provider}`, headers: signed.headers, payload: signed.payload });
      return { status: answer.statusCode, body: JSON.parse(answer.body) as { code?: string; paymentStatus?: string; changed?: boolean; issues?: { path: string }[] } };
    };
    const paymentOf = async (id: string) => (await call<{ paymentStatus: string }>(h.app, 'GET', `/api/orders/${id}`, { token: ann.token })).body.paymentStatus;

    it('sets the payment status once; a retry answers the same and changes nothing', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const { id } = await newOrder(h, ann.token, supplierId);
      const number = (await call<{ number: string }>(h.app, 'GET', `/api/orders/${id}`, { token: ann.token })).body.number;
      const first = await send({ type: 'payment.succeeded', orderNumber: number });
      assert.deepEqual([first.status, first.body.paymentStatus, first.body.changed], [200, 'paid', true]);
      const retry = await send({ type: 'payment.succeeded', orderNumber: number });
      assert.deepEqual([retry.status, retry.body.paymentStatus, retry.body.changed], [200, 'paid', false]);
      assert.equal(await paymentOf(id), 'paid');
      const refunded = await send({ type: 'payment.refunded', orderNumber: number });
      assert.deepEqual([refunded.status, refunded.body.paymentStatus], [200, 'refunded']);
      await call(h.app, 'PATCH', `/api/orders/${id}/cancel`, { token: ann.token, body: {} });
    });

    it('refuses a wrong secret, a tampered body, a missing header and a replay older than 5 minutes (401), changing nothing', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const { id } = await newOrder(h, ann.token, supplierId);
      const number = (await call<{ number: string }>(h.app, 'GET', `/api/orders/${id}`, { token: ann.token })).body.number;
      const body = { type: 'payment.succeeded', orderNumber: number };
      assert.deepEqual([(await send(body, h.clock.now(), 'whsec_wrong')).status], [401]);
      assert.equal((await send(body, h.clock.now() - 5 * 60_000 - 1_000)).body.code, 'EASYGAS_WEBHOOK_SIGNATURE_INVALID');
      const signed = signedWebhook(body, h.clock.now());
      const tampered = await h.app.inject({ method: 'POST', url: '/api/payments/webhook/testpay', headers: signed.headers, payload: signed.payload.replace('succeeded', 'refunded') });
      assert.equal(tampered.statusCode, 401);
      const unsigned = await h.app.inject({ method: 'POST', url: '/api/payments/webhook/testpay', headers: { 'content-type': 'application/json' }, payload: signed.payload });
      assert.equal(unsigned.statusCode, 401);
      assert.equal(await paymentOf(id), 'pending', 'nothing changed');
      assert.equal((await send({ type: 'payment.exploded', orderNumber: number })).status, 400);
      assert.equal((await send({ type: 'payment.succeeded', orderNumber: 'WO-NONE-NONE' })).status, 404);
      assert.equal((await send(body, h.clock.now(), undefined, 'nopay')).status, 404);
      await call(h.app, 'PATCH', `/api/orders/${id}/cancel`, { token: ann.token, body: {} });
    });
  });
}
