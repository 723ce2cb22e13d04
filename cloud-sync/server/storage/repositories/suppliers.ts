/** Suppliers: profile, the postal codes they serve, their price tiers per product, and their ratings. */
import type { Selectable } from 'kysely';
import type { PriceTier } from '../../modules/orders/price-tiers.js';
import { isUniqueViolation, type Db } from '../db/database.js';
import type { SuppliersTable } from '../db/schema.js';
import type { Product, Supplier } from '../order-types.js';
import type { SupplierRepository } from '../orders-repository.js';
import { bool, parseJson } from '../rows.js';

async function hydrate(db: Db, rows: readonly Selectable<SuppliersTable>[]): Promise<Supplier[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const areas = await db.kysely.selectFrom('supplier_areas').select(['supplier_id', 'postal_code']).where('supplier_id', 'in', ids).orderBy('postal_code').execute();
  const prices = await db.kysely.selectFrom('supplier_prices').select(['supplier_id', 'product', 'tiers']).where('supplier_id', 'in', ids).execute();
  const ratings = await db.kysely
    .selectFrom('order_reviews')
    .select((eb) => ['supplier_id', eb.fn.avg<number>('stars').as('rating'), eb.fn.countAll<number>().as('n')])
    .where('supplier_id', 'in', ids)
    .groupBy('supplier_id')
    .execute();
  // Response time: placement to the supplier's first answer, whatever it was.
  const responses = await db.kysely
    .selectFrom('orders as o')
    .innerJoin('order_history as h', 'h.order_id', 'o.id')
    .select((eb) => ['o.supplier_id', eb.fn.avg<number>(eb('h.at', '-', eb.ref('o.created_at'))).as('avg_ms')])
    .where('o.supplier_id', 'in', ids)
    .where('h.by_party', '=', 'supplier')
    .where('h.pk', '=', (eb) => eb.selectFrom('order_history as f').select((f) => f.fn.min('f.pk').as('first')).whereRef('f.order_id', '=', 'o.id').where('f.by_party', '=', 'supplier'))
    .groupBy('o.supplier_id')
    .execute();
  return rows.map((r) => {
    const rating = ratings.find((x) => x.supplier_id === r.id);
    const response = responses.find((x) => x.supplier_id === r.id);
    return {
      id: r.id,
      userId: r.user_id,
      company: r.company,
      currency: r.currency,
      leadTimeDays: Number(r.lead_time_days),
      active: bool(r.active),
      postalCodes: areas.filter((a) => a.supplier_id === r.id).map((a) => a.postal_code),
      prices: Object.fromEntries(prices.filter((p) => p.supplier_id === r.id).map((p) => [p.product, parseJson<PriceTier[]>(p.tiers, [])])),
      rating: rating === undefined ? null : Math.round(Number(rating.rating) * 10) / 10,
      reviewCount: rating === undefined ? 0 : Number(rating.n),
      avgResponseMs: response?.avg_ms === undefined || response.avg_ms === null ? null : Math.round(Number(response.avg_ms)),
      createdAt: Number(r.created_at),
    };
  });
}

/** Postal codes compare without spaces and case ("SW1A 1AA" = "sw1a1aa"). */
export function normalisePostalCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

export function suppliers(db: Db): SupplierRepository {
  const one = async (column: 'id' | 'user_id', value: string) => (await hydrate(db, await db.kysely.selectFrom('suppliers').selectAll().where(column, '=', value).execute()))[0];
  return {
    async create(supplier, now) {
      try {
        await db.atomic(async (tx) => {
          await tx.kysely
            .insertInto('suppliers')
            .values({ id: supplier.id, user_id: supplier.userId, company: supplier.company, currency: supplier.currency, lead_time_days: supplier.leadTimeDays, active: supplier.active, created_at: now, updated_at: now })
            .execute();
          const codes = [...new Set(supplier.postalCodes.map(normalisePostalCode))];
          if (codes.length > 0) await tx.kysely.insertInto('supplier_areas').values(codes.map((postal_code) => ({ supplier_id: supplier.id, postal_code }))).execute();
          const prices = Object.entries(supplier.prices).map(([product, tiers]) => ({ supplier_id: supplier.id, product, tiers: JSON.stringify(tiers) }));
          if (prices.length > 0) await tx.kysely.insertInto('supplier_prices').values(prices).execute();
        });
      } catch (error) {
        if (isUniqueViolation(error)) return 'user_taken';
        throw error;
      }
      const created = await one('id', supplier.id);
      if (created === undefined) throw new Error('supplier vanished after insert');
      return created;
    },
    get: (id) => one('id', id),
    byUser: (userId) => one('user_id', userId),
    async serving(postalCode, product: Product) {
      const rows = await db.kysely
        .selectFrom('suppliers as s')
        .innerJoin('supplier_areas as a', 'a.supplier_id', 's.id')
        .innerJoin('supplier_prices as p', 'p.supplier_id', 's.id')
        .selectAll('s')
        .where('a.postal_code', '=', normalisePostalCode(postalCode))
        .where('p.product', '=', product)
        .where('s.active', '=', true)
        .orderBy('s.company')
        .orderBy('s.id')
        .execute();
      return hydrate(db, rows);
    },
  };
}
