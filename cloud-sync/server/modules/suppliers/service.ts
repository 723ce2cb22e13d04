/**
 * Suppliers as customers see them (active ones, with a quote for a volume), and
 * the operator's creation of a supplier account with its profile
 * (`easygas cloud supplier create`): service areas, price tiers per product
 * (checked: no gaps, no overlaps), lead time.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { hashPassword, type ScryptCost } from '../../auth/passwords.js';
import type { ServerClock } from '../../clock.js';
import { apiError, notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { NewSupplier, Product, Supplier } from '../../storage/order-types.js';
import { formatMoney, priceOrder, tierProblems } from '../orders/price-tiers.js';
import type { SupplierView } from './schemas.js';

export function supplierView(supplier: Supplier, quoteFor?: { product: Product; litres: number }): Static<typeof SupplierView> {
  const tiers = quoteFor === undefined ? undefined : supplier.prices[quoteFor.product];
  const price = tiers === undefined || quoteFor === undefined ? undefined : priceOrder(tiers, quoteFor.litres, supplier.currency);
  return {
    id: supplier.id,
    company: supplier.company,
    currency: supplier.currency,
    leadTimeDays: supplier.leadTimeDays,
    postalCodes: [...supplier.postalCodes],
    prices: Object.fromEntries(Object.entries(supplier.prices).map(([p, t]) => [p, t.map((x) => ({ ...x }))])),
    rating: supplier.rating,
    reviewCount: supplier.reviewCount,
    avgResponseMs: supplier.avgResponseMs,
    quote: price?.ok === true && quoteFor !== undefined ? { litres: quoteFor.litres, pricePerLitre: price.tier.pricePerLitre, total: price.total, formatted: formatMoney(price.total) } : null,
    createdAt: supplier.createdAt,
  };
}

export class SuppliersService {
  constructor(private readonly repo: Pick<Repository, 'suppliers'>) {}

  search(postalCode: string, product: Product): Promise<Supplier[]> {
    return this.repo.suppliers.serving(postalCode, product);
  }

  async get(id: string): Promise<Supplier> {
    const supplier = await this.repo.suppliers.get(id);
    if (supplier === undefined || !supplier.active) throw notFound('supplier', id);
    return supplier;
  }
}

/** The account (sign-in) and the supplier profile it acts for. */
export interface NewSupplierAccount extends Omit<NewSupplier, 'id' | 'userId' | 'active'> {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/** What is wrong with a new supplier's profile, field by field (empty when sound). */
export function supplierProblems(input: Omit<NewSupplierAccount, 'email' | 'password' | 'name'>): string[] {
  const problems: string[] = [];
  if (input.company.trim() === '' || input.company.length > 200) problems.push('company: 1 to 200 characters');
  if (!/^[A-Z]{3}$/.test(input.currency)) problems.push('currency: an ISO 4217 code such as GBP or EUR');
  if (!Number.isInteger(input.leadTimeDays) || input.leadTimeDays < 0 || input.leadTimeDays > 60) problems.push('leadTimeDays: a whole number of days, 0 to 60');
  if (input.postalCodes.length === 0) problems.push('postalCodes: at least one postal code served');
  const products = Object.entries(input.prices);
  if (products.length === 0) problems.push('prices: at least one product with its tiers');
  for (const [product, tiers] of products) problems.push(...tierProblems(tiers ?? []).map((p) => `prices.${product}.${p}`));
  return problems;
}

/** A supplier account and its profile, in one transaction: only the operator's CLI calls this. */
export async function createSupplier(repo: Repository, clock: ServerClock, cost: ScryptCost, input: NewSupplierAccount): Promise<Supplier> {
  const problems = supplierProblems(input);
  if (problems.length > 0) throw apiError('EASYGAS_VALIDATION', { summary: problems.join('; ') });
  const passwordHash = await hashPassword(input.password, cost);
  const now = clock.now();
  return repo.transaction(async (tx) => {
    const user = await tx.users.create({ id: randomUUID(), email: input.email, passwordHash, name: input.name, role: 'supplier' }, now);
    if (user === 'email_taken') throw apiError('EASYGAS_EMAIL_TAKEN', {});
    const created = await tx.suppliers.create(
      { id: randomUUID(), userId: user.id, company: input.company.trim(), currency: input.currency, leadTimeDays: input.leadTimeDays, active: true, postalCodes: input.postalCodes, prices: input.prices },
      now,
    );
    if (created === 'user_taken') throw new Error('a new account already had a supplier profile');
    return created;
  });
}
