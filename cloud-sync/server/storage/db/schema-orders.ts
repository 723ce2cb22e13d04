/**
 * The tables of tanks, suppliers and refill orders (migration 0005), as Kysely sees
 * them; `schema.ts` gathers every table into the database type.
 */
import type { ColumnType, Generated } from 'kysely';

type Optional<T> = ColumnType<T, T | undefined, T>;
type Bool = ColumnType<boolean | number, boolean, boolean>;
type Json = ColumnType<unknown, string, string>;

export interface TanksTable {
  id: string;
  user_id: string;
  name: string;
  product: string;
  capacity_litres: number;
  low_threshold: number;
  reorder_level: number;
  auto_order: Bool;
  preferred_supplier_id: string | null;
  sensor_id: string | null;
  address: Json;
  access_notes: string | null;
  created_at: number;
  updated_at: number;
}

export interface TankLevelsTable {
  pk: Generated<number>;
  tank_id: string;
  at: number;
  percent: number;
  litres: number | null;
  /** sensor | manual | estimated | device */
  source: string;
  /** The HTTP device's own id of the reading (unique per tank); null for the others. */
  reading_id: string | null;
  created_at: number;
}

export interface OrderProofsTable {
  order_id: string;
  content_type: string;
  /** base64 */
  data: string;
  created_at: number;
}

export interface TankDeviceCredentialsTable {
  tank_id: string;
  token_hash: string;
  empty_distance_mm: number | null;
  full_distance_mm: number | null;
  created_at: number;
}

export interface SuppliersTable {
  id: string;
  user_id: string;
  company: string;
  currency: string;
  lead_time_days: number;
  active: Bool;
  created_at: number;
  updated_at: number;
}

export interface SupplierAreasTable {
  supplier_id: string;
  postal_code: string;
}

export interface SupplierPricesTable {
  supplier_id: string;
  product: string;
  tiers: Json;
}

export interface OrdersTable {
  id: string;
  number: string;
  user_id: string;
  tank_id: string;
  supplier_id: string;
  product: string;
  status: string;
  litres: number;
  /** 1/10,000 of the currency per litre, as priced at placement. */
  price_per_litre: number;
  /** Integer minor units. */
  total_amount: number;
  currency: string;
  window_start: number;
  window_end: number;
  scheduled_start: Optional<number | null>;
  scheduled_end: Optional<number | null>;
  actual_litres: Optional<number | null>;
  delivered_at: Optional<number | null>;
  driver_notes: Optional<string | null>;
  notes: Optional<string | null>;
  cancel_reason: Optional<string | null>;
  payment_status: string;
  invoice_number: Optional<string | null>;
  /** customer | auto */
  placed_by: string;
  address: Json;
  created_at: number;
  updated_at: number;
}

export interface OrderHistoryTable {
  pk: Generated<number>;
  order_id: string;
  status: string;
  action: string;
  by_party: string;
  by_user: string | null;
  notes: string | null;
  at: number;
}

export interface OrderReviewsTable {
  order_id: string;
  supplier_id: string;
  user_id: string;
  stars: number;
  comment: string | null;
  created_at: number;
}
