/**
 * The cloud's schema migrations, one list for both databases, run by Kysely's
 * migrator: all pending migrations in one transaction (SQLite too), under an
 * advisory lock on PostgreSQL so several API processes starting together migrate
 * once. A database that a newer easygas migrated further is refused with
 * SchemaTooNewError rather than touched.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './database.js';
import { initialMigration, legacyVersion } from './migrations/0001-initial.js';
import { LEGACY_GUARD_VERSION, oneSchemaRollupsMigration } from './migrations/0002-one-schema-rollups.js';
import { outboxAndJobsMigration } from './migrations/0004-outbox-and-jobs.js';
import { tanksSuppliersOrdersMigration } from './migrations/0005-tanks-suppliers-orders.js';
import { notificationDeliveriesMigration } from './migrations/0006-notification-deliveries.js';
import { tankDevicesPaymentsProofsMigration } from './migrations/0007-tank-devices-payments-proofs.js';
import { tankAnomaliesMigration } from './migrations/0008-tank-anomalies.js';
import { tankForecastsMigration } from './migrations/0009-tank-forecasts.js';
import { emergencyContactsMigration } from './migrations/0010-emergency-contacts.js';
import type { DB } from './schema.js';

/** In order; append, never edit or reorder one that has shipped. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_one_schema_rollups': oneSchemaRollupsMigration(dialect),
    '0004_outbox_and_jobs': outboxAndJobsMigration(dialect),
    '0005_tanks_suppliers_orders': tanksSuppliersOrdersMigration(dialect),
    '0006_notification_deliveries': notificationDeliveriesMigration(dialect),
    '0007_tank_devices_payments_proofs': tankDevicesPaymentsProofsMigration(dialect),
    '0008_tank_anomalies': tankAnomaliesMigration(dialect),
    '0009_tank_forecasts': tankForecastsMigration(dialect),
    '0010_emergency_contacts': emergencyContactsMigration(dialect),
  };
}

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

const TABLE = 'kysely_migration';

async function appliedNames(db: Kysely<unknown>, dialect: Dialect, schema: string | undefined): Promise<string[]> {
  const exists =
    dialect === 'postgres'
      ? (await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ${schema ?? 'public'} AND table_name = ${TABLE}`.execute(db))
          .rows[0]?.n === 1
      : (await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${TABLE}`.execute(db)).rows[0]?.n === 1;
  if (!exists) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(schema === undefined ? TABLE : `${schema}.${TABLE}`)}`.execute(db);
  return rows.map((r) => r.name);
}

/** Brings the database to the latest schema; returns the names applied now. */
export async function migrate(kysely: Kysely<DB>, dialect: Dialect, schema?: string): Promise<string[]> {
  const db = kysely as unknown as Kysely<unknown>;
  const known = migrations(dialect);
  const unknown = (await appliedNames(db, dialect, schema)).filter((name) => !(name in known));
  const legacy = await legacyVersion(db, dialect);
  if (unknown.length > 0 || legacy > LEGACY_GUARD_VERSION) {
    const what = unknown.length > 0 ? `migrations ${unknown.join(', ')}` : `schema version ${legacy}`;
    throw new SchemaTooNewError(`the cloud database has ${what}, which this easygas does not know: a newer easygas migrated it; upgrade easygas`);
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(known) },
    // Branches number their migrations apart (0003, 0004): a database that ran 0004 first still takes 0003.
    allowUnorderedMigrations: true,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Nothing was applied (the look comes before the migrations' transaction): look again.
    if (attempt < 5 && anotherSchemaWentAway(error, schema)) continue;
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  }
}

/**
 * PostgreSQL: Kysely's migrator looks for its table across every schema of the
 * database, and a schema dropped during that look (another tenant's, a parallel
 * test's) fails it with 'schema "<that one>" does not exist' (3F000). Ours is fine.
 */
export function anotherSchemaWentAway(error: unknown, schema: string | undefined): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code !== '3F000' || typeof e.message !== 'string') return false;
  const gone = /schema "([^"]+)" does not exist/.exec(e.message)?.[1];
  return gone !== undefined && gone !== (schema ?? 'public');
}
