/**
 * Both parties' open pages hear each change of their orders live: a real
 * WebSocket subscribed to `orders` and `notifications` gets `order.changed` and the
 * notification for each step the supplier takes; the supplier's own socket gets
 * `order.changed` for the placement and each step, whoever took it; another
 * customer's socket and another supplier's get nothing of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, signUp, startHarness, type Harness, type SignedIn } from '../../test-support/harness.js';
import { newOrder, supplierProfile, windowFrom } from '../../test-support/order-world.js';
import { LiveClient } from '../live/test-support/live-client.js';

describe('orders, live', () => {
  let h: Harness;
  let base: string;
  let ann: SignedIn;
  let gasCo: SignedIn;
  let supplierId: string;

  before(async () => {
    h = await startHarness();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    ann = await signUp(h.app, 'Ann');
    gasCo = await signUp(h.app, 'Gas Co', 'supplier');
    supplierId = (await supplierProfile(h, gasCo)).id;
  });
  after(() => h.close());

  it('pushes order.changed and the notification for each step to the customer only', async () => {
    const mine = await LiveClient.signedIn(base, ann.token, ['orders', 'notifications']);
    const stranger = await LiveClient.signedIn(base, (await signUp(h.app)).token, ['orders', 'notifications']);
    try {
      const { id } = await newOrder(h, ann.token, supplierId);
      const steps = [
        { body: { status: 'acknowledged' }, action: 'acknowledge', status: 'acknowledged', type: 'order' },
        { body: { status: 'scheduled', window: windowFrom(h, 30) }, action: 'schedule', status: 'scheduled', type: 'order' },
        { body: { status: 'in_transit' }, action: 'dispatch', status: 'in_transit', type: 'delivery' },
        { body: { status: 'delivered', actualLitres: 500 }, action: 'deliver', status: 'delivered', type: 'delivery' },
      ];
      for (const step of steps) {
        const answer = await call(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: step.body });
        assert.equal(answer.status, 200, answer.text);
        const changed = await mine.next((m) => m.topic === 'orders' && (m.event as { order: { action: string } }).order.action === step.action, 2_000);
        assert.deepEqual((changed.event as { order: { id: string; status: string } }).order.status, step.status);
        assert.equal((changed.event as { order: { id: string } }).order.id, id);
        const note = await mine.next((m) => m.topic === 'notifications' && (m.event as { notification: { title: string } }).notification.title.includes(step.status === 'in_transit' ? 'on its way' : step.status), 2_000);
        assert.equal((note.event as { notification: { type: string } }).notification.type, step.type);
      }
      assert.deepEqual(stranger.events('order.changed'), [], 'another customer hears nothing');
    } finally {
      mine.close();
      stranger.close();
    }
  });

  it('pushes order.changed to the supplier for the placement and every change, and to no other supplier', async () => {
    const supplierSocket = await LiveClient.signedIn(base, gasCo.token, ['orders']);
    const rivalAccount = await signUp(h.app, 'Rival Gas', 'supplier');
    await supplierProfile(h, rivalAccount);
    const rival = await LiveClient.signedIn(base, rivalAccount.token, ['orders']);
    try {
      const { id } = await newOrder(h, ann.token, supplierId);
      const action = (m: Record<string, unknown>) => (m.event as { order: { id: string; action: string } }).order;
      const placed = await supplierSocket.next((m) => m.topic === 'orders' && action(m).id === id && action(m).action === 'place', 2_000);
      assert.equal((placed.event as { party: string }).party, 'supplier');
      const acknowledged = await call(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: { status: 'acknowledged' } });
      assert.equal(acknowledged.status, 200, acknowledged.text);
      await supplierSocket.next((m) => m.topic === 'orders' && action(m).id === id && action(m).action === 'acknowledge', 2_000);
      const cancelled = await call(h.app, 'PATCH', `/api/orders/${id}/cancel`, { token: ann.token, body: { reason: 'found a cheaper one' } });
      assert.equal(cancelled.status, 200, cancelled.text);
      const heard = await supplierSocket.next((m) => m.topic === 'orders' && action(m).id === id && action(m).action === 'cancel', 2_000);
      assert.equal((heard.event as { order: { status: string } }).order.status, 'cancelled', "the customer's own change reaches the supplier too");
      assert.deepEqual(rival.events('order.changed'), [], 'another supplier hears nothing');
    } finally {
      supplierSocket.close();
      rival.close();
    }
  });
});
