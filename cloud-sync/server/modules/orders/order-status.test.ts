import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedOrderActions, decideOrderAction, isOpenOrder, ORDER_ACTIONS, ORDER_STATUSES, type OrderParty } from './order-status.js';

describe('order status', () => {
  it('walks the happy path placed → acknowledged → scheduled → in_transit → delivered, by the supplier', () => {
    const path = [
      ['placed', 'acknowledge', 'acknowledged'],
      ['acknowledged', 'schedule', 'scheduled'],
      ['scheduled', 'dispatch', 'in_transit'],
      ['in_transit', 'deliver', 'delivered'],
    ] as const;
    for (const [from, action, to] of path) assert.deepEqual(decideOrderAction(from, action, 'supplier'), { ok: true, to });
  });

  it('lets the customer cancel until the truck leaves, never after', () => {
    for (const status of ['placed', 'acknowledged', 'scheduled'] as const) assert.deepEqual(decideOrderAction(status, 'cancel', 'customer'), { ok: true, to: 'cancelled' });
    assert.deepEqual(decideOrderAction('in_transit', 'cancel', 'customer'), { ok: false, why: 'status', status: 'in_transit', allowed: [] });
    assert.deepEqual(decideOrderAction('delivered', 'cancel', 'customer'), { ok: false, why: 'status', status: 'delivered', allowed: [] });
  });

  it('refuses an action to a party that may never take it, and says what it may do instead', () => {
    assert.deepEqual(decideOrderAction('placed', 'acknowledge', 'customer'), { ok: false, why: 'party', status: 'placed', allowed: ['reschedule', 'cancel'] });
    assert.deepEqual(decideOrderAction('placed', 'cancel', 'supplier'), { ok: false, why: 'party', status: 'placed', allowed: ['acknowledge', 'reject', 'schedule', 'reschedule'] });
  });

  it('reschedules without changing the status, only before transit', () => {
    assert.deepEqual(decideOrderAction('scheduled', 'reschedule', 'customer'), { ok: true, to: 'scheduled' });
    assert.equal(decideOrderAction('in_transit', 'reschedule', 'supplier').ok, false);
  });

  it('has no way out of delivered or cancelled for anyone', () => {
    for (const party of ['customer', 'supplier', 'system'] as OrderParty[]) {
      assert.deepEqual(allowedOrderActions('delivered', party), []);
      assert.deepEqual(allowedOrderActions('cancelled', party), []);
    }
  });

  it('agrees with itself: an allowed action always decides ok, any other never does', () => {
    for (const status of ORDER_STATUSES)
      for (const party of ['customer', 'supplier', 'system'] as OrderParty[])
        for (const action of ORDER_ACTIONS) assert.equal(decideOrderAction(status, action, party).ok, allowedOrderActions(status, party).includes(action), `${party} ${action} from ${status}`);
  });

  it('counts placed to in_transit as open (one open order per tank)', () => {
    assert.deepEqual(ORDER_STATUSES.filter(isOpenOrder), ['placed', 'acknowledged', 'scheduled', 'in_transit']);
  });
});
