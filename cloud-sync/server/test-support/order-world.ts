/** Tanks, a supplier profile and orders for route tests: what the orders' routes need to exist. */
import { randomUUID } from 'node:crypto';
import type { Supplier } from '../storage/order-types.js';
import { call, type Harness, type SignedIn } from './harness.js';

export const HOUR = 3_600_000;
export const POSTAL_CODE = 'BA1 1AA';

/** GBP tiers: 0.9000 a litre to 499 L, 0.8523 from 500 L. */
export const TIERS = [
  { minVolume: 100, maxVolume: 499, pricePerLitre: 9000 },
  { minVolume: 500, maxVolume: null, pricePerLitre: 8523 },
];

/** A supplier profile for a supplier account (what `easygas cloud supplier create` makes). */
export async function supplierProfile(h: Harness, account: SignedIn, postalCodes: readonly string[] = [POSTAL_CODE]): Promise<Supplier> {
  const created = await h.repo.suppliers.create(
    { id: randomUUID(), userId: account.userId, company: 'Bath Gas Ltd', currency: 'GBP', leadTimeDays: 2, active: true, postalCodes, prices: { lpg: TIERS } },
    h.clock.now(),
  );
  if (created === 'user_taken') throw new Error('the account has a supplier profile already');
  return created;
}

export function tankBody(supplierId: string | null, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Garden LPG',
    product: 'lpg',
    capacityLitres: 1000,
    reorderLevel: 25,
    preferredSupplierId: supplierId,
    address: { street: '1 High St', city: 'Bath', postalCode: POSTAL_CODE, country: 'GB' },
    ...overrides,
  };
}

export async function newTank(h: Harness, token: string, supplierId: string | null, overrides: Record<string, unknown> = {}): Promise<string> {
  const tank = await call<{ id: string }>(h.app, 'POST', '/api/tanks', { token, body: tankBody(supplierId, overrides) });
  if (tank.status !== 201) throw new Error(`tank: ${tank.status} ${tank.text}`);
  return tank.body.id;
}

export function windowFrom(h: Harness, startInHours = 24, lengthHours = 4): { start: number; end: number } {
  const start = h.clock.now() + startInHours * HOUR;
  return { start, end: start + lengthHours * HOUR };
}

/** A placed order on a fresh tank of the customer. */
export async function newOrder(h: Harness, token: string, supplierId: string, litres = 500): Promise<{ id: string; tankId: string }> {
  const tankId = await newTank(h, token, supplierId);
  const order = await call<{ id: string }>(h.app, 'POST', '/api/orders', { token, body: { tankId, litres, window: windowFrom(h) } });
  if (order.status !== 201) throw new Error(`order: ${order.status} ${order.text}`);
  return { id: order.body.id, tankId };
}

/** Moves an order on as its supplier; throws unless each step is a 200. */
export async function supplierSteps(h: Harness, supplierToken: string, orderId: string, steps: readonly Record<string, unknown>[]): Promise<void> {
  for (const body of steps) {
    const answer = await call(h.app, 'PATCH', `/api/supplier/orders/${orderId}/status`, { token: supplierToken, body });
    if (answer.status !== 200) throw new Error(`${JSON.stringify(body)}: ${answer.status} ${answer.text}`);
  }
}

/** A tiny valid-looking PNG (its magic bytes and some pixels' worth of bytes): a proof of delivery. */
export const SIGNATURE_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]).toString('base64');

export async function deliveredOrder(h: Harness, token: string, supplierToken: string, supplierId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { id } = await newOrder(h, token, supplierId);
  await supplierSteps(h, supplierToken, id, [{ status: 'scheduled', window: windowFrom(h) }, { status: 'delivered', actualLitres: 480, ...extra }]);
  return id;
}
