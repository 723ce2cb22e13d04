/**
 * Proof of delivery through the API, on SQLite and PostgreSQL: the supplier's
 * `delivered` carries a signature image, stored with the delivery and served to the
 * customer; none given is 404; an image whose bytes are not what it declares is a
 * 400 naming the field, and the order stays as it was.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { STORAGE_KINDS, call, signUp, type Harness, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { SIGNATURE_PNG, deliveredOrder, newOrder, supplierProfile, supplierSteps, windowFrom } from '../../test-support/order-world.js';
import { suiteHarness } from '../../test-support/suite-harness.js';

for (const storage of STORAGE_KINDS) proofOfDelivery(storage);

function proofOfDelivery(storage: StorageKind): void {
  describe(`proof of delivery on ${storage}`, () => {
    let h: Harness;
    const suite = suiteHarness(storage);
    let ann: SignedIn;
    let gasCo: SignedIn;
    let supplierId: string;

    before(async () => {
      if (suite.skip !== undefined) return;
      ({ h, ann } = suite);
      gasCo = await signUp(h.app, 'Gas Co', 'supplier');
      supplierId = (await supplierProfile(h, gasCo)).id;
    });

    it('stores the signature with the delivery and serves it to the customer only', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const id = await deliveredOrder(h, ann.token, gasCo.token, supplierId, { signature: { contentType: 'image/png', data: SIGNATURE_PNG } });
      const proof = await call<{ contentType: string; data: string }>(h.app, 'GET', `/api/orders/${id}/proof`, { token: ann.token });
      assert.equal(proof.status, 200, proof.text);
      assert.deepEqual(proof.body, { contentType: 'image/png', data: SIGNATURE_PNG });
      const stranger = await signUp(h.app, 'Bob');
      assert.equal((await call(h.app, 'GET', `/api/orders/${id}/proof`, { token: stranger.token })).status, 404);
      const without = await deliveredOrder(h, ann.token, gasCo.token, supplierId);
      assert.equal((await call(h.app, 'GET', `/api/orders/${without}/proof`, { token: ann.token })).status, 404, 'none given');
    });

    it('refuses an image that is not what it declares (400 naming the field), and the order stays in transit', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const { id } = await newOrder(h, ann.token, supplierId);
      await supplierSteps(h, gasCo.token, id, [{ status: 'scheduled', window: windowFrom(h) }, { status: 'in_transit' }]);
      const jpegBytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(16)]).toString('base64');
      const html = Buffer.from('<html><script>alert(1)</script>').toString('base64');
      for (const [signature, field] of [[{ contentType: 'image/png', data: jpegBytes }, 'signature.contentType'], [{ contentType: 'image/png', data: html }, 'signature.data']] as const) {
        const answer = await call<{ issues?: { path: string }[] }>(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: { status: 'delivered', actualLitres: 400, signature } });
        assert.deepEqual([answer.status, answer.body.issues?.[0]?.path], [400, field], answer.text);
      }
      const order = await call<{ status: string }>(h.app, 'GET', `/api/orders/${id}`, { token: ann.token });
      assert.equal(order.body.status, 'in_transit', 'nothing was lost or half-done');
      assert.equal((await call(h.app, 'GET', `/api/orders/${id}/proof`, { token: ann.token })).status, 404);
    });
  });
}
