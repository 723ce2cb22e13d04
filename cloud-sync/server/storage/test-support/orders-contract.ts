/**
 * The storage contract of tanks, suppliers and orders, on SQLite and PostgreSQL:
 * one open order per tank decided by the unique index (also under parallel
 * placements), and status changes as a compare-and-set (two at once: one wins).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { newOrderNumber } from '../../modules/orders/order-number.js';
import type { Repository } from '../repository.js';
import type { NewOrder, OrderChange, Supplier, Tank, TankDraft } from '../order-types.js';
import type { ContractTest } from './repository-contract.js';
import { T0, seedUser } from './seed.js';

const DAY = 86_400_000;

export const tankDraft = (overrides: Partial<TankDraft> = {}): TankDraft => ({
  name: 'Garden tank',
  product: 'lpg',
  capacityLitres: 1000,
  lowThreshold: 20,
  reorderLevel: 25,
  autoOrder: false,
  preferredSupplierId: null,
  sensorId: null,
  address: { street: '1 High St', city: 'Bath', postalCode: 'BA1 1AA', country: 'GB' },
  accessNotes: null,
  ...overrides,
});

async function seedSupplier(repo: Repository, postalCodes = ['BA11AA']): Promise<Supplier> {
  const user = await seedUser(repo);
  const created = await repo.suppliers.create(
    { id: randomUUID(), userId: user.id, company: `Gas ${user.id.slice(0, 4)}`, currency: 'GBP', leadTimeDays: 3, active: true, postalCodes, prices: { lpg: [{ minVolume: 100, maxVolume: null, pricePerLitre: 8523 }] } },
    T0,
  );
  assert.notEqual(created, 'user_taken');
  return created as Supplier;
}

const newOrder = (tank: Tank, supplier: Supplier, overrides: Partial<NewOrder> = {}): NewOrder => ({
  id: randomUUID(), number: newOrderNumber(), userId: tank.userId, tankId: tank.id, supplierId: supplier.id, product: 'lpg', litres: 500,
  pricePerLitre: 8523, totalAmount: 42615, currency: 'GBP', windowStart: T0 + DAY, windowEnd: T0 + 2 * DAY, notes: null, placedBy: 'customer', address: tank.address, ...overrides,
});

const change = (expected: OrderChange['expected'], to: OrderChange['to'], action: OrderChange['action'], by: OrderChange['by']): OrderChange => ({ expected, to, action, by, byUserId: null, notes: null, fields: {} });

export function ordersContract(test: ContractTest, repo: () => Repository): void {
  test('tanks: owned by one user; levels; removal refused while an order is open', async () => {
    const ann = await seedUser(repo());
    const bob = await seedUser(repo());
    const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft({ autoOrder: true }), T0);
    assert.equal(tank.capacityLitres, 1000);
    assert.equal(tank.autoOrder, true);
    assert.deepEqual(tank.address.postalCode, 'BA1 1AA');
    assert.equal(await repo().tanks.get(bob.id, tank.id), undefined, "another user's tank is not found");
    assert.equal(await repo().tanks.update(bob.id, tank.id, tankDraft({ name: 'x' }), T0), undefined);
    assert.equal((await repo().tanks.update(ann.id, tank.id, tankDraft({ name: 'Renamed' }), T0 + 1))?.name, 'Renamed');
    await repo().tanks.addLevel(tank.id, { at: T0, percent: 40.5, litres: 405, source: 'manual' }, T0);
    await repo().tanks.addLevel(tank.id, { at: T0 + 60_000, percent: 39, litres: null, source: 'estimated' }, T0);
    assert.deepEqual(await repo().tanks.levels(tank.id, T0 - 1, T0 + DAY, 10), [
      { at: T0, percent: 40.5, litres: 405, source: 'manual' },
      { at: T0 + 60_000, percent: 39, litres: null, source: 'estimated' },
    ]);
    const supplier = await seedSupplier(repo());
    const placed = await repo().orders.place(newOrder(tank, supplier), T0);
    assert.ok(typeof placed === 'object');
    assert.equal(await repo().tanks.remove(ann.id, tank.id), 'open_order');
    assert.equal(await repo().tanks.remove(bob.id, tank.id), false);
    assert.equal((await repo().orders.transition({ customerId: ann.id }, placed.id, change('placed', 'cancelled', 'cancel', 'customer'), T0)).kind, 'done');
    assert.equal(await repo().tanks.remove(ann.id, tank.id), true);
    assert.equal(await repo().tanks.get(ann.id, tank.id), undefined);
  });

  test('suppliers: by postal code (spaces and case ignored) and product; one profile per account', async () => {
    const code = `Z${randomUUID().slice(0, 6)}`.toUpperCase();
    const supplier = await seedSupplier(repo(), [`${code.slice(0, 3)} ${code.slice(3).toLowerCase()}`]);
    assert.deepEqual((await repo().suppliers.serving(code.toLowerCase(), 'lpg')).map((s) => s.id), [supplier.id]);
    assert.deepEqual(await repo().suppliers.serving(code, 'water'), [], 'it prices no water');
    assert.deepEqual(await repo().suppliers.serving('NOWHERE', 'lpg'), []);
    assert.equal((await repo().suppliers.byUser(supplier.userId))?.id, supplier.id);
    assert.deepEqual(supplier.prices.lpg, [{ minVolume: 100, maxVolume: null, pricePerLitre: 8523 }]);
    assert.equal(supplier.rating, null);
    const again = await repo().suppliers.create({ ...supplier, id: randomUUID() }, T0);
    assert.equal(again, 'user_taken');
  });

  test('one open order per tank, decided by the database even for parallel placements', async () => {
    const ann = await seedUser(repo());
    const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    const supplier = await seedSupplier(repo());
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => repo().orders.place(newOrder(tank, supplier), T0)));
    assert.equal(outcomes.filter((o) => typeof o === 'object').length, 1, JSON.stringify(outcomes.map((o) => (typeof o === 'object' ? o.status : o))));
    assert.equal(outcomes.filter((o) => o === 'tank_has_open_order').length, 5);
    const open = await repo().orders.openForTank(tank.id);
    assert.ok(open !== undefined);
    const other = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    assert.equal(await repo().orders.place(newOrder(other, supplier, { number: open.number }), T0), 'number_taken');
    // Delivered frees the tank for its next order.
    for (const [from, to, action] of [['placed', 'scheduled', 'schedule'], ['scheduled', 'in_transit', 'dispatch'], ['in_transit', 'delivered', 'deliver']] as const) {
      assert.equal((await repo().orders.transition({ supplierId: supplier.id }, open.id, change(from, to, action, 'supplier'), T0 + 1)).kind, 'done');
    }
    assert.equal(typeof (await repo().orders.place(newOrder(tank, supplier), T0 + 2)), 'object');
  });

  test('a transition is a compare-and-set: of two at once, exactly one is done', async () => {
    const ann = await seedUser(repo());
    const supplier = await seedSupplier(repo());
    for (let round = 0; round < 5; round++) {
      const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
      const placed = await repo().orders.place(newOrder(tank, supplier), T0);
      assert.ok(typeof placed === 'object');
      const [a, b] = await Promise.all([
        repo().orders.transition({ supplierId: supplier.id }, placed.id, { ...change('placed', 'acknowledged', 'acknowledge', 'supplier'), notes: 'on it' }, T0 + 1),
        repo().orders.transition({ customerId: ann.id }, placed.id, { ...change('placed', 'cancelled', 'cancel', 'customer'), fields: { cancelReason: 'changed my mind' } }, T0 + 1),
      ]);
      const kinds = [a.kind, b.kind].sort();
      assert.deepEqual(kinds, ['conflict', 'done']);
      const loser = a.kind === 'conflict' ? a : b;
      const winner = a.kind === 'done' ? a : b;
      assert.ok(loser.kind === 'conflict' && winner.kind === 'done');
      assert.equal(loser.status, winner.order.status, 'the loser is told the status the winner left');
      const detail = await repo().orders.get({ customerId: ann.id }, placed.id);
      assert.deepEqual(detail?.history.map((h) => h.action), ['place', winner.order.status === 'cancelled' ? 'cancel' : 'acknowledge'], 'one history entry per applied change');
    }
  });

  test('scopes: a customer sees its orders, a supplier those placed with it; reviews once', async () => {
    const ann = await seedUser(repo());
    const bob = await seedUser(repo());
    const supplier = await seedSupplier(repo());
    const rival = await seedSupplier(repo());
    const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    const placed = await repo().orders.place(newOrder(tank, supplier, { notes: 'gate code 1234' }), T0);
    assert.ok(typeof placed === 'object');
    assert.equal(placed.paymentStatus, 'pending');
    assert.deepEqual(placed.history, [{ status: 'placed', action: 'place', at: T0, by: 'customer', byUserId: ann.id, notes: 'gate code 1234' }]);
    assert.equal(await repo().orders.get({ customerId: bob.id }, placed.id), undefined);
    assert.equal(await repo().orders.get({ supplierId: rival.id }, placed.id), undefined);
    assert.equal((await repo().orders.get({ supplierId: supplier.id }, placed.id))?.number, placed.number);
    assert.deepEqual((await repo().orders.list({ supplierId: supplier.id }, { limit: 10 })).map((o) => o.id), [placed.id]);
    assert.deepEqual(await repo().orders.list({ supplierId: rival.id }, { limit: 10 }), []);
    assert.equal((await repo().orders.transition({ supplierId: rival.id }, placed.id, change('placed', 'acknowledged', 'acknowledge', 'supplier'), T0)).kind, 'not_found');
    const done = await repo().orders.transition(
      { supplierId: supplier.id },
      placed.id,
      { ...change('placed', 'delivered', 'deliver', 'supplier'), fields: { actualLitres: 480, deliveredAt: T0 + DAY, invoiceNumber: 'INV-1', paymentStatus: 'pending' } },
      T0 + DAY,
    );
    assert.ok(done.kind === 'done');
    assert.deepEqual([done.order.actualLitres, done.order.deliveredAt, done.order.invoiceNumber], [480, T0 + DAY, 'INV-1']);
    assert.equal(await repo().orders.review(ann.id, { orderId: placed.id, stars: 4, comment: 'on time', createdAt: T0 + DAY }), true);
    assert.equal(await repo().orders.review(ann.id, { orderId: placed.id, stars: 1, comment: null, createdAt: T0 + DAY }), false);
    const rated = await repo().suppliers.get(supplier.id);
    assert.deepEqual([rated?.rating, rated?.reviewCount], [4, 1]);
    assert.equal(rated?.avgResponseMs, DAY, 'placement to its first answer');
  });

  test('orders: the payment status set by number, idempotently', async () => {
    const ann = await seedUser(repo());
    const tank = await repo().tanks.create(ann.id, randomUUID(), tankDraft(), T0);
    const placed = await repo().orders.place(newOrder(tank, await seedSupplier(repo())), T0);
    assert.ok(typeof placed === 'object');
    const paid = await repo().orders.setPaymentStatus(placed.number, 'paid', T0 + 1);
    assert.deepEqual([paid?.changed, paid?.order.paymentStatus, paid?.order.updatedAt], [true, 'paid', T0 + 1]);
    const again = await repo().orders.setPaymentStatus(placed.number, 'paid', T0 + 2);
    assert.deepEqual([again?.changed, again?.order.paymentStatus, again?.order.updatedAt], [false, 'paid', T0 + 1], 'a retry changes nothing');
    assert.equal((await repo().orders.setPaymentStatus(placed.number, 'refunded', T0 + 3))?.changed, true);
    assert.equal(await repo().orders.setPaymentStatus('WO-NONE-NONE', 'paid', T0), undefined);
  });
}
