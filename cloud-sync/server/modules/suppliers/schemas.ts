/** Request and response schemas of /api/suppliers (the customer's view of suppliers). */
import { Type } from 'typebox';
import { Nullable, Timestamp } from '../../api/common.js';
import { ProductSchema } from '../tanks/schemas.js';

export const PriceTierSchema = Type.Object(
  {
    minVolume: Type.Integer({ description: 'Litres, inclusive.' }),
    maxVolume: Nullable(Type.Integer({ description: 'Litres, inclusive; null: no upper bound.' })),
    pricePerLitre: Type.Integer({ description: 'Price per litre in 1/10,000 of the currency (0.8523 → 8523).' }),
  },
  { title: 'PriceTier' },
);

export const MoneySchema = Type.Object(
  { amount: Type.Integer({ description: "Integer, in the currency's minor unit (cents)." }), currency: Type.String({ description: 'ISO 4217' }) },
  { title: 'Money' },
);

export const QuoteView = Type.Object(
  { litres: Type.Integer(), pricePerLitre: Type.Integer(), total: MoneySchema, formatted: Type.String({ description: 'The total for people, e.g. £426.15' }) },
  { title: 'Quote' },
);

export const SupplierView = Type.Object(
  {
    id: Type.String(),
    company: Type.String(),
    currency: Type.String(),
    leadTimeDays: Type.Integer(),
    postalCodes: Type.Array(Type.String()),
    prices: Type.Partial(Type.Object({ lpg: Type.Array(PriceTierSchema), water: Type.Array(PriceTierSchema), heating_oil: Type.Array(PriceTierSchema) })),
    rating: Nullable(Type.Number({ description: 'Average stars (1–5) of its reviews; null before the first.' })),
    reviewCount: Type.Integer(),
    avgResponseMs: Nullable(Type.Integer({ description: 'Average time from placement to its first answer.' })),
    quote: Nullable(QuoteView),
    createdAt: Timestamp,
  },
  { title: 'Supplier' },
);

export const SupplierSearchQuery = Type.Object(
  {
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    product: ProductSchema,
    litres: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Quote each supplier for this volume.' })),
  },
  { additionalProperties: false },
);

export const SupplierQuoteQuery = Type.Object(
  { product: Type.Optional(ProductSchema), litres: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) },
  { additionalProperties: false },
);

const ForecastDate = Type.Union([
  Type.Object({ ok: Type.Literal(true), at: Timestamp, p10: Timestamp, p90: Nullable(Timestamp) }),
  Type.Object({ ok: Type.Literal(false), reason: Type.String({ description: 'why there is no date, in words' }) }),
]);

export const SupplierCustomersQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'tanks per page (default 50)' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: "the previous page's `nextCursor`" })),
  },
  { additionalProperties: false },
);

export const SupplierCustomerView = Type.Object(
  {
    tankId: Type.String(),
    tankName: Type.String(),
    product: ProductSchema,
    customer: Type.Object({ name: Type.String({ description: 'display name' }), email: Type.String() }),
    levelPercent: Nullable(Type.Number({ description: 'the level the last hourly analysis saw; null with none' })),
    levelAt: Nullable(Timestamp),
    levelAgeMs: Nullable(Type.Integer({ description: 'how old that level is now, ms' })),
    reorderBy: ForecastDate,
    emptyBy: ForecastDate,
    forecastAt: Nullable(Timestamp),
    openOrder: Nullable(Type.Object({ id: Type.String(), number: Type.String(), status: Type.String(), litres: Type.Number() }, { description: "the tank's open order with you" })),
  },
  { title: 'SupplierCustomerTank' },
);

export const SupplierCustomersPage = Type.Object(
  {
    tanks: Type.Array(SupplierCustomerView),
    nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last' })),
  },
  { title: 'SupplierCustomers' },
);
