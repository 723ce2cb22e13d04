/**
 * Opens the cloud's storage by URL (postgres:// or postgresql:// → PostgreSQL,
 * anything else → a SQLite file), migrates it, and builds the repositories on it:
 * the same modules for both databases.
 */
import { sql } from 'kysely';
import type { Db } from './db/database.js';
import { migrate } from './db/migrator.js';
import type { PostgresPools } from './db/pg-connection.js';
import { openSqlite } from './db/sqlite-connection.js';
import type { Repositories, Repository } from './repository.js';
import { alerts } from './repositories/alerts.js';
import { settings, tokens, users } from './repositories/accounts.js';
import { gateways } from './repositories/gateways.js';
import { ingest } from './repositories/ingest.js';
import { jobLeases } from './repositories/job-leases.js';
import { notifications } from './repositories/notifications.js';
import { outbox } from './repositories/outbox.js';
import { channelAddresses } from './repositories/channel-addresses.js';
import { deliveries } from './repositories/deliveries.js';
import { tankDevices } from './repositories/tank-devices.js';
import { activeAlerts } from './repositories/active-alerts.js';
import { passwordResets } from './repositories/password-resets.js';
import { readings } from './repositories/readings.js';
import { retention } from './repositories/retention.js';
import { orders } from './repositories/orders.js';
import { suppliers } from './repositories/suppliers.js';
import { tanks } from './repositories/tanks.js';
import { tankForecasts } from './repositories/tank-forecasts.js';
import { StorageOpenError } from './storage-errors.js';

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export interface StorageOptions {
  /** PostgreSQL: run in this schema (search_path); it must exist. Tests use a fresh one per run. */
  readonly schema?: string;
  /** PostgreSQL: the pool sizes and the long-read timeout. */
  readonly pools?: PostgresPools;
}

export function repositories(db: Db): Repositories {
  return {
    users: users(db),
    tokens: tokens(db),
    gateways: gateways(db),
    ingest: ingest(db),
    readings: readings(db),
    alerts: alerts(db),
    notifications: notifications(db),
    settings: settings(db),
    retention: retention(db),
    outbox: outbox(db),
    addresses: channelAddresses(db),
    deliveries: deliveries(db),
    activeAlerts: activeAlerts(db),
    passwordResets: passwordResets(db),
    jobs: jobLeases(db),
    tanks: tanks(db),
    tankForecasts: tankForecasts(db),
    tankDevices: tankDevices(db),
    suppliers: suppliers(db),
    orders: orders(db),
  };
}

interface Handle {
  readonly db: Db;
  close(): Promise<void>;
}

async function connect(url: string, options: StorageOptions): Promise<{ handle: Handle; schema: string | undefined }> {
  if (!isPostgresUrl(url)) return { handle: openSqlite(url), schema: undefined };
  // Loaded only when asked for: a household's SQLite cloud on a Pi never pays for pg.
  const { openPostgres } = await import('./db/pg-connection.js');
  const handle = openPostgres(url, options);
  try {
    // The migrator keeps its tables in this schema, whatever other schemas the database holds.
    const schema = options.schema ?? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(handle.db.kysely)).rows[0]?.s;
    return { handle, schema };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

export async function openRepository(url: string, options: StorageOptions = {}): Promise<Repository> {
  const dialect = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  const shown = url.replace(/:[^:@/]*@/, ':***@');
  let handle: Handle | undefined;
  try {
    const connected = await connect(url, options);
    handle = connected.handle;
    await migrate(handle.db.kysely, dialect, connected.schema);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageOpenError(
      `cannot open the cloud database ${shown}: ${reason}`,
      dialect === 'postgres'
        ? 'Check that PostgreSQL is running and reachable, the database exists, and the user may create tables in it.'
        : 'Check the path exists and is writable by this user (or pass --db with another file), and that no other program holds it.',
      error,
    );
  }
  const { db } = handle;
  const opened = handle;
  return {
    dialect,
    ...repositories(db),
    transaction: (fn) => db.atomic((tx) => fn(repositories(tx))),
    async ping() {
      await sql`SELECT 1`.execute(db.kysely);
    },
    close: () => opened.close(),
  };
}
