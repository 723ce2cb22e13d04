/**
 * The cloud's tables as Kysely sees them: one typed description for SQLite and
 * PostgreSQL. Column names are the same in both; the representations differ and
 * are absorbed here and in the row mappers:
 * - integers (epoch ms, seqs, counters) are BIGINT on PostgreSQL, parsed to JS
 *   numbers by the pool (every value we store is below 2^53);
 * - booleans are 0/1 on SQLite (the SQLite connection binds true/false as 1/0);
 * - JSON is TEXT on SQLite and JSONB on PostgreSQL: written as a JSON string,
 *   read back as a string or a parsed value (rows.ts parseJson takes both).
 */
import type { ColumnType, Generated } from 'kysely';
import type { OrderHistoryTable, OrderProofsTable, OrderReviewsTable, OrdersTable, TankDeviceCredentialsTable, SupplierAreasTable, SupplierPricesTable, SuppliersTable, TankLevelsTable, TanksTable } from './schema-orders.js';

export type * from './schema-orders.js';

/** A column that may be left out of an insert (NULL or its default). */
type Optional<T> = ColumnType<T, T | undefined, T>;
type Bool = ColumnType<boolean | number, boolean, boolean>;
type Json = ColumnType<unknown, string, string>;
type JsonOrNull = ColumnType<unknown, string | null | undefined, string | null>;

export interface SettingsTable {
  name: string;
  value: string;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  role: string;
  phone: Optional<string | null>;
  preferences: Json;
  token_version: Optional<number>;
  created_at: number;
  updated_at: number;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: number;
  created_at: number;
  used_at: Optional<number | null>;
  revoked_at: Optional<number | null>;
}

export interface ClaimCodesTable {
  code_hash: string;
  user_id: string;
  expires_at: number;
  created_at: number;
  used_at: Optional<number | null>;
}

export interface GatewaysTable {
  pk: Generated<number>;
  id: string;
  user_id: string;
  name: string;
  version: Optional<string | null>;
  credential_hash: Optional<string | null>;
  /** The contiguous watermark of stored seqs. */
  acked_seq: Optional<number>;
  config_version: Optional<number>;
  presence: Optional<string>;
  last_seen_at: Optional<number | null>;
  heartbeat: JsonOrNull;
  /** Raw readings of this gateway older than this (and acknowledged) may have been pruned by retention. */
  raw_pruned_before: Optional<number>;
  created_at: number;
  updated_at: number;
}

export interface IngestCoverageTable {
  gateway_pk: number;
  after_seq: number;
  last_seq: number;
}

export interface SensorsTable {
  pk: Generated<number>;
  gateway_pk: number;
  local_id: string;
  kind: string;
  unit: Optional<string | null>;
  name: Optional<string | null>;
  health: Optional<string | null>;
  last_reading_at: Optional<number | null>;
  first_seen_at: number;
  updated_at: number;
}

export interface ReadingsTable {
  gateway_pk: number;
  seq: number;
  sensor_pk: number;
  ts: number;
  value: number;
  unit: string;
  raw: number | null;
  percent: number | null;
  litres: number | null;
  ppm: number | null;
  quality: string;
  clock_synced: Bool;
  /** A raw reading is its own min, max and count of 1; a downsampled one carries its summary. */
  min: number;
  max: number;
  cnt: number;
  seq_end: number | null;
  ts_end: number | null;
  received_at: number;
}

/**
 * Aggregates of readings per sensor and epoch-aligned bucket (5 minutes and one
 * hour), kept by ingest in the readings' own transaction. `sum` is Σ value·cnt;
 * the ok_ and level columns serve the level series (ok readings only).
 */
export interface RollupsTable {
  sensor_pk: number;
  span_ms: number;
  bucket: number;
  min: number;
  max: number;
  sum: number;
  cnt: number;
  ok_cnt: number;
  pct_sum: number;
  pct_cnt: number;
  lit_sum: number;
  lit_cnt: number;
}

export interface EventsTable {
  pk: Generated<number>;
  gateway_pk: number;
  seq: number | null;
  source: string;
  ts: number;
  type: string;
  sensor_local_id: string | null;
  state: string | null;
  severity: string;
  severe: Bool;
  value: Optional<number | null>;
  unit: Optional<string | null>;
  threshold: Optional<number | null>;
  message: string;
  clock_synced: Bool;
  data: JsonOrNull;
  received_at: number;
}

export interface AlertRulesTable {
  id: string;
  user_id: string;
  gateway_pk: number;
  sensor_pk: number;
  name: string | null;
  type: string;
  params: Json;
  enabled: Bool;
  notify: Json;
  created_at: number;
  updated_at: number;
}

export interface CalibrationsTable {
  gateway_pk: number;
  sensor_local_id: string;
  calibration: Json;
  updated_at: number;
  received_at: number;
}

export interface NotificationsTable {
  pk: Generated<number>;
  id: string;
  user_id: string;
  gateway_pk: number | null;
  sensor_local_id: string | null;
  rule_id: string | null;
  type: string;
  severity: string;
  title: string;
  message: string;
  channels: Json;
  event_at: number;
  created_at: number;
  read_at: Optional<number | null>;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  payload: Json;
  created_at: number;
  available_at: number;
  attempts: Optional<number>;
  lease_owner: Optional<string | null>;
  lease_until: Optional<number | null>;
  done_at: Optional<number | null>;
  /** delivered | failed | gone (done rows), null while pending. */
  outcome: Optional<string | null>;
  last_error: Optional<string | null>;
}

export interface JobLeasesTable {
  name: string;
  owner: string;
  until: number;
  runs: Optional<number>;
}

export interface ChannelAddressesTable {
  id: string;
  user_id: string;
  /** email | sms | webhook | push */
  kind: string;
  target: string;
  secret: Optional<string | null>;
  verified_at: Optional<number | null>;
  verify_token_hash: Optional<string | null>;
  verify_expires_at: Optional<number | null>;
  disabled_at: Optional<number | null>;
  disabled_reason: Optional<string | null>;
  created_at: number;
  /** Set for an emergency contact (migration 0009). */
  contact_name: Optional<string | null>;
}

export interface NotificationDeliveriesTable {
  id: string;
  notification_id: string;
  user_id: string;
  channel: string;
  address_id: string | null;
  target: string;
  /** pending | delivered | failed | gone | skipped */
  status: string;
  attempts: Optional<number>;
  provider_message_id: Optional<string | null>;
  last_error: Optional<string | null>;
  created_at: number;
  updated_at: number;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: number;
  outcome: string;
  provider_message_id: string | null;
  error_code: string | null;
  error: string | null;
}

export interface ActiveAlertsTable {
  alert_key: string;
  user_id: string;
  notification_id: string;
  severity: string;
  raised_at: number;
  updated_at: number;
  repeats: Optional<number>;
  acknowledged_at: Optional<number | null>;
  escalations: Optional<number>;
  contacts_told_at: Optional<number | null>;
  notified_at: Optional<number | null>;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  expires_at: number;
  used_at: Optional<number | null>;
  created_at: number;
}

export interface TankAnomaliesTable {
  tank_id: string;
  type: string;
  at: number;
  severity: string;
  seen: string;
  notification_id: string | null;
  created_at: number;
}

export interface TankForecastsTable {
  tank_id: string;
  level_at: number | null;
  level_percent: number | null;
  reorder_by: number | null;
  reorder_p10: number | null;
  reorder_p90: number | null;
  reorder_reason: string | null;
  empty_by: number | null;
  empty_p10: number | null;
  empty_p90: number | null;
  empty_reason: string | null;
  computed_at: number;
}

export interface DB {
  settings: SettingsTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  claim_codes: ClaimCodesTable;
  gateways: GatewaysTable;
  ingest_coverage: IngestCoverageTable;
  sensors: SensorsTable;
  readings: ReadingsTable;
  rollups: RollupsTable;
  events: EventsTable;
  alert_rules: AlertRulesTable;
  calibrations: CalibrationsTable;
  notifications: NotificationsTable;
  outbox: OutboxTable;
  job_leases: JobLeasesTable;
  tanks: TanksTable;
  tank_levels: TankLevelsTable;
  tank_device_credentials: TankDeviceCredentialsTable;
  order_proofs: OrderProofsTable;
  suppliers: SuppliersTable;
  supplier_areas: SupplierAreasTable;
  supplier_prices: SupplierPricesTable;
  orders: OrdersTable;
  order_history: OrderHistoryTable;
  order_reviews: OrderReviewsTable;
  channel_addresses: ChannelAddressesTable;
  notification_deliveries: NotificationDeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  active_alerts: ActiveAlertsTable;
  password_resets: PasswordResetsTable;
  tank_anomalies: TankAnomaliesTable;
  tank_forecasts: TankForecastsTable;
}
