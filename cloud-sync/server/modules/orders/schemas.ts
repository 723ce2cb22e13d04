/** Request and response schemas of /api/orders and /api/supplier/orders. */
import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../api/common.js';
import { MoneySchema } from '../suppliers/schemas.js';
import { AddressSchema, ProductSchema } from '../tanks/schemas.js';
import { ORDER_ACTIONS, ORDER_STATUSES, type OrderAction, type OrderStatus } from './order-status.js';

export const OrderStatusSchema = Type.Unsafe<OrderStatus>({ type: 'string', enum: [...ORDER_STATUSES] });
const OrderActionSchema = Type.Unsafe<OrderAction>({ type: 'string', enum: [...ORDER_ACTIONS] });

export const WindowSchema = Type.Object(
  { start: Type.Integer({ minimum: 0, description: 'UTC epoch ms' }), end: Type.Integer({ minimum: 0, description: 'UTC epoch ms, after start' }) },
  { additionalProperties: false, title: 'DeliveryWindow' },
);

export const OrderCreateBody = Type.Object(
  {
    tankId: Uuid,
    supplierId: Type.Optional(Uuid),
    litres: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    fillTo: Type.Optional(Type.Union([Type.Literal(80), Type.Literal(95)], { description: 'Instead of litres: fill to this percent of capacity from the level now.' })),
    window: WindowSchema,
    notes: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const OrderListQuery = Type.Object(
  { status: Type.Optional(OrderStatusSchema), tankId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);
export const SupplierOrderListQuery = Type.Object(
  { status: Type.Optional(OrderStatusSchema), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);

export const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const RescheduleBody = Type.Object({ window: WindowSchema, notes: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const ReviewBody = Type.Object({ stars: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const SupplierStatusBody = Type.Object(
  {
    status: Type.Union([Type.Literal('acknowledged'), Type.Literal('scheduled'), Type.Literal('in_transit'), Type.Literal('delivered'), Type.Literal('cancelled')], {
      description: 'acknowledged; scheduled (with window; again to move it); in_transit; delivered (with actualLitres); cancelled = reject (with reason).',
    }),
    window: Type.Optional(WindowSchema),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    actualLitres: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    driverNotes: Type.Optional(Type.String({ maxLength: 2000 })),
    notes: Type.Optional(Type.String({ maxLength: 1000 })),
    signature: Type.Optional(
      Type.Object(
        { contentType: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]), data: Type.String({ maxLength: 280_000, description: 'base64, at most 200 KB decoded' }) },
        { additionalProperties: false, description: 'With delivered: the proof of delivery (the signature), PNG or JPEG; the bytes must be what contentType says.' },
      ),
    ),
  },
  { additionalProperties: false },
);

const HistoryEntry = Type.Object({
  status: OrderStatusSchema,
  action: Type.String(),
  at: Timestamp,
  by: Type.Union([Type.Literal('customer'), Type.Literal('supplier'), Type.Literal('system')]),
  notes: Nullable(Type.String()),
});

export const OrderView = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: 'Short and human, e.g. WO-7KQ2-M9XD' }),
    tankId: Type.String(),
    supplierId: Type.String(),
    product: ProductSchema,
    status: OrderStatusSchema,
    litres: Type.Integer(),
    pricePerLitre: Type.Integer({ description: '1/10,000 of the currency, as priced at placement' }),
    total: MoneySchema,
    totalFormatted: Type.String(),
    window: WindowSchema,
    scheduled: Nullable(WindowSchema),
    actualLitres: Nullable(Type.Integer()),
    deliveredAt: Nullable(Timestamp),
    driverNotes: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    cancelReason: Nullable(Type.String()),
    paymentStatus: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('failed'), Type.Literal('refunded')]),
    invoiceNumber: Nullable(Type.String()),
    placedBy: Type.Union([Type.Literal('customer'), Type.Literal('auto')]),
    address: AddressSchema,
    allowedActions: Type.Array(OrderActionSchema, { description: 'What the caller may do from the status now.' }),
    history: Type.Optional(Type.Array(HistoryEntry)),
    review: Type.Optional(Nullable(Type.Object({ stars: Type.Integer(), comment: Nullable(Type.String()), createdAt: Timestamp }))),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Order' },
);

export const OrderStatistics = Type.Object(
  {
    months: Type.Array(
      Type.Object({ month: Type.String({ description: 'YYYY-MM (UTC) of placement' }), orders: Type.Integer(), delivered: Type.Integer(), litres: Type.Integer({ description: 'Delivered litres' }), spent: Type.Array(MoneySchema) }),
    ),
    averageDeliveryMs: Nullable(Type.Integer({ description: 'Placement to delivery, over delivered orders' })),
  },
  { title: 'OrderStatistics' },
);

export const ProofView = Type.Object(
  { contentType: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]), data: Type.String({ description: 'base64' }) },
  { title: 'OrderProof' },
);
