/**
 * The refill loop through the API, on SQLite and PostgreSQL: a customer's tank,
 * suppliers with a quote, an order priced from the tiers, the supplier moving it to
 * delivered, the customer told at each step (notification + domain event); and the
 * faults: 400 naming the field, 404 for another customer's ids, 409 with the state
 * now — also for the loser of two concurrent changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../../events/domain-events.js';
import { STORAGE_KINDS, StorageUnavailable, call, signUp, startHarness, type Harness, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { HOUR, newOrder, newTank, supplierProfile, supplierSteps, windowFrom } from '../../test-support/order-world.js';

interface OrderBody {
  id: string;
  number: string;
  status: string;
  litres: number;
  total: { amount: number; currency: string };
  totalFormatted: string;
  actualLitres: number | null;
  invoiceNumber: string | null;
  allowedActions: string[];
  history?: { status: string; action: string; by: string }[];
  review?: { stars: number } | null;
}
interface ErrorBody {
  code: string;
  issues?: { path: string }[];
  current?: { status: string; number?: string };
  allowed?: string[];
}

for (const storage of STORAGE_KINDS) ordersRoutes(storage);

function ordersRoutes(storage: StorageKind): void {
  describe(`orders on ${storage}`, () => {
    let h: Harness;
    let skip: string | undefined;
    let ann: SignedIn;
    let bob: SignedIn;
    let gasCo: SignedIn;
    let supplierId: string;
    const events: DomainEvent[] = [];

    before(async () => {
      try {
        h = await startHarness({ authRateLimit: { max: 100_000, windowMs: 60_000 } }, { storage });
      } catch (error) {
        if (!(error instanceof StorageUnavailable)) throw error;
        skip = error.message;
        return;
      }
      h.app.cloud.events.subscribe((event) => events.push(event));
      ann = await signUp(h.app, 'Ann');
      bob = await signUp(h.app, 'Bob');
      gasCo = await signUp(h.app, 'Gas Co', 'supplier');
      supplierId = (await supplierProfile(h, gasCo)).id;
    });
    after(async () => {
      if (skip === undefined) await h.close();
    });
    const test = (name: string, fn: () => Promise<void>): void => {
      it(name, async (t) => {
        if (skip !== undefined) return t.skip(skip);
        await fn();
      });
    };

    test('the whole loop: tank, quote, order, acknowledge, schedule, in transit, delivered, review', async () => {
      const tankId = await newTank(h, ann.token, supplierId);
      const level = await call(h.app, 'POST', `/api/tanks/${tankId}/levels`, { token: ann.token, body: { percent: 40 } });
      assert.equal(level.status, 201, level.text);
      const current = await call<{ level: { percent: number; source: string } }>(h.app, 'GET', `/api/tanks/${tankId}/levels/current`, { token: ann.token });
      assert.deepEqual([current.body.level.percent, current.body.level.source], [40, 'manual']);
      const found = await call<{ id: string; quote: { total: { amount: number } } }[]>(h.app, 'GET', '/api/suppliers?postalCode=ba1%201aa&product=lpg&litres=550', { token: ann.token });
      assert.deepEqual(found.body.map((s) => s.id), [supplierId]);
      // 550 L at 0.8523: 468.765 → 468.77 (half up, once).
      assert.equal(found.body[0]?.quote.total.amount, 46877);

      const placed = await call<OrderBody>(h.app, 'POST', '/api/orders', { token: ann.token, body: { tankId, fillTo: 95, window: windowFrom(h), notes: 'side gate' } });
      assert.equal(placed.status, 201, placed.text);
      assert.match(placed.body.number, /^WO-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.deepEqual([placed.body.status, placed.body.litres, placed.body.total.amount, placed.body.total.currency], ['placed', 550, 46877, 'GBP']);
      assert.deepEqual(placed.body.allowedActions, ['reschedule', 'cancel']);

      const second = await call<ErrorBody>(h.app, 'POST', '/api/orders', { token: ann.token, body: { tankId, litres: 200, window: windowFrom(h) } });
      assert.equal(second.status, 409);
      assert.equal(second.body.code, 'EASYGAS_ORDER_OPEN');
      assert.deepEqual([second.body.current?.status, second.body.current?.number], ['placed', placed.body.number]);

      const seen = await call<OrderBody[]>(h.app, 'GET', '/api/supplier/orders', { token: gasCo.token });
      assert.ok(seen.body.some((o) => o.id === placed.body.id));
      await supplierSteps(h, gasCo.token, placed.body.id, [{ status: 'acknowledged' }, { status: 'scheduled', window: windowFrom(h, 30) }, { status: 'in_transit' }]);
      const late = await call<ErrorBody>(h.app, 'PATCH', `/api/orders/${placed.body.id}/cancel`, { token: ann.token, body: {} });
      assert.equal(late.status, 409, 'no cancelling once the truck has left');
      assert.deepEqual([late.body.code, late.body.current?.status, late.body.allowed], ['EASYGAS_ORDER_STATE', 'in_transit', []]);
      const noLitres = await call<ErrorBody>(h.app, 'PATCH', `/api/supplier/orders/${placed.body.id}/status`, { token: gasCo.token, body: { status: 'delivered' } });
      assert.deepEqual([noLitres.status, noLitres.body.issues?.[0]?.path], [400, 'actualLitres']);
      const delivered = await call<OrderBody>(h.app, 'PATCH', `/api/supplier/orders/${placed.body.id}/status`, { token: gasCo.token, body: { status: 'delivered', actualLitres: 540, driverNotes: 'filled' } });
      assert.equal(delivered.status, 200, delivered.text);
      assert.equal(delivered.body.actualLitres, 540);
      assert.match(delivered.body.invoiceNumber ?? '', /^INV-2026-/);

      const detail = await call<OrderBody>(h.app, 'GET', `/api/orders/${placed.body.id}`, { token: ann.token });
      assert.deepEqual(detail.body.history?.map((e) => `${e.action}:${e.status}:${e.by}`), [
        'place:placed:customer', 'acknowledge:acknowledged:supplier', 'schedule:scheduled:supplier', 'dispatch:in_transit:supplier', 'deliver:delivered:supplier',
      ]);
      const notes = await call<{ type: string; title: string }[]>(h.app, 'GET', '/api/notifications?limit=20', { token: ann.token });
      assert.deepEqual(notes.body.map((n) => n.type).reverse(), ['order', 'order', 'order', 'delivery', 'delivery']);
      assert.deepEqual(
        events.filter((e) => e.type === 'order.changed' && e.order.id === placed.body.id).map((e) => (e.type === 'order.changed' ? `${e.party}:${e.order.action}` : '')),
        ['place', 'acknowledge', 'schedule', 'dispatch', 'deliver'].flatMap((a) => [`customer:${a}`, `supplier:${a}`]),
        'a domain event per change and party, after its commit',
      );

      const review = await call<OrderBody>(h.app, 'POST', `/api/orders/${placed.body.id}/review`, { token: ann.token, body: { stars: 4, comment: 'on time' } });
      assert.deepEqual([review.status, review.body.review?.stars], [201, 4]);
      const again = await call<ErrorBody>(h.app, 'POST', `/api/orders/${placed.body.id}/review`, { token: ann.token, body: { stars: 1 } });
      assert.deepEqual([again.status, again.body.code], [409, 'EASYGAS_ALREADY_REVIEWED']);
      const rated = await call<{ rating: number; reviewCount: number }>(h.app, 'GET', `/api/suppliers/${supplierId}`, { token: ann.token });
      assert.deepEqual([rated.body.rating, rated.body.reviewCount], [4, 1]);
      const stats = await call<{ months: { month: string; delivered: number; litres: number; spent: { amount: number }[] }[] }>(h.app, 'GET', '/api/orders/statistics', { token: ann.token });
      assert.deepEqual(stats.body.months.map((m) => [m.month, m.delivered, m.litres, m.spent[0]?.amount]), [['2026-01', 1, 540, 46877]]);

      // The tank is free for its next order once the last one was delivered.
      const next = await call(h.app, 'POST', '/api/orders', { token: ann.token, body: { tankId, litres: 300, window: windowFrom(h) } });
      assert.equal(next.status, 201, next.text);
    });

    test('bad input is a 400 naming the field, and stores nothing', async () => {
      const tankId = await newTank(h, ann.token, supplierId);
      const cases: [Record<string, unknown>, string][] = [
        [{ tankId, litres: 1001, window: windowFrom(h) }, 'litres'],
        [{ tankId, litres: 0, window: windowFrom(h) }, 'litres'],
        [{ tankId, window: windowFrom(h) }, 'litres'],
        [{ tankId, fillTo: 95, window: windowFrom(h) }, 'fillTo'],
        [{ tankId, litres: 50, window: windowFrom(h) }, 'litres'],
        [{ tankId, litres: 500, window: { start: h.clock.now() + 5 * HOUR, end: h.clock.now() + 4 * HOUR } }, 'window.end'],
        [{ tankId, litres: 500, window: { start: h.clock.now() - 48 * HOUR, end: h.clock.now() - 40 * HOUR } }, 'window.start'],
      ];
      for (const [body, path] of cases) {
        const answer = await call<ErrorBody>(h.app, 'POST', '/api/orders', { token: ann.token, body });
        assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
        assert.ok(answer.body.issues?.some((i) => i.path.replace(/^\//, '').replace(/\//g, '.') === path), `${path}: ${answer.text}`);
      }
      const orders = await call<OrderBody[]>(h.app, 'GET', `/api/orders?tankId=${tankId}`, { token: ann.token });
      assert.deepEqual(orders.body, []);
    });

    test("another customer's tank and order are 404 on every route", async () => {
      const { id, tankId } = await newOrder(h, ann.token, supplierId);
      const tries: [string, string, unknown?][] = [
        ['GET', `/api/tanks/${tankId}`], ['PATCH', `/api/tanks/${tankId}`, { name: 'mine' }], ['DELETE', `/api/tanks/${tankId}`], ['GET', `/api/tanks/${tankId}/levels`],
        ['POST', `/api/tanks/${tankId}/levels`, { percent: 10 }], ['POST', '/api/orders', { tankId, litres: 200, window: windowFrom(h) }], ['GET', `/api/orders/${id}`],
        ['PATCH', `/api/orders/${id}/cancel`, {}], ['PATCH', `/api/orders/${id}/reschedule`, { window: windowFrom(h) }], ['GET', `/api/orders?tankId=${tankId}`],
      ];
      for (const [method, url, body] of tries) {
        const answer = await call<ErrorBody>(h.app, method as 'GET', url, { token: bob.token, ...(body === undefined ? {} : { body }) });
        assert.deepEqual([answer.status, answer.body.code], [404, 'EASYGAS_NOT_FOUND'], `${method} ${url}`);
      }
      const still = await call<OrderBody>(h.app, 'GET', `/api/orders/${id}`, { token: ann.token });
      assert.equal(still.body.status, 'placed');
    });

    test('two concurrent changes of one order: exactly one 200, the other 409 with the state now', async () => {
      for (let round = 0; round < 4; round++) {
        const { id } = await newOrder(h, ann.token, supplierId);
        const answers = await Promise.all([
          call<OrderBody & ErrorBody>(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: { status: 'acknowledged' } }),
          call<OrderBody & ErrorBody>(h.app, 'PATCH', `/api/orders/${id}/cancel`, { token: ann.token, body: { reason: 'found a cheaper one' } }),
        ]);
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.text).join('\n'));
        const winner = answers.find((a) => a.status === 200);
        const loser = answers.find((a) => a.status === 409);
        assert.equal(loser?.body.code, 'EASYGAS_ORDER_STATE');
        assert.equal(loser?.body.current?.status, winner?.body.status, 'the loser is told what the winner made of it');
        const detail = await call<OrderBody>(h.app, 'GET', `/api/orders/${id}`, { token: ann.token });
        assert.equal(detail.body.history?.length, 2, 'one change applied, not two');
      }
      // Two of the same change at once (a double click): one 200, one 409.
      const { id } = await newOrder(h, ann.token, supplierId);
      const twice = await Promise.all([0, 1].map(() => call(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: { status: 'acknowledged' } })));
      assert.deepEqual(twice.map((a) => a.status).sort(), [200, 409]);
    });

    test('reschedule and reject: the customer moves the window, the supplier declines with a reason', async () => {
      const { id } = await newOrder(h, ann.token, supplierId);
      const moved = await call<OrderBody & { window: { start: number } }>(h.app, 'PATCH', `/api/orders/${id}/reschedule`, { token: ann.token, body: { window: windowFrom(h, 72) } });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.window.start, h.clock.now() + 72 * HOUR);
      const noReason = await call<ErrorBody>(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: { status: 'cancelled' } });
      assert.deepEqual([noReason.status, noReason.body.issues?.[0]?.path], [400, 'reason']);
      const rejected = await call<OrderBody & { cancelReason: string }>(h.app, 'PATCH', `/api/supplier/orders/${id}/status`, { token: gasCo.token, body: { status: 'cancelled', reason: 'no truck that week' } });
      assert.deepEqual([rejected.status, rejected.body.status, rejected.body.cancelReason], [200, 'cancelled', 'no truck that week']);
      const notes = await call<{ type: string; message: string }[]>(h.app, 'GET', '/api/notifications?limit=2', { token: ann.token });
      assert.deepEqual(notes.body.map((n) => n.type), ['cancel', 'reschedule']);
      assert.equal(notes.body[0]?.message, 'no truck that week');
    });
  });
}
