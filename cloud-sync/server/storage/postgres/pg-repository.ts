/**
 * The cloud on PostgreSQL (pg): for a gas supplier running thousands of homes
 * behind a load balancer. Every API server is stateless; they share this database
 * (secrets included), and the presence sweeper's conditional updates make it safe
 * for all of them to sweep.
 */
import type { Repository } from '../repository.js';
import { StorageOpenError } from '../storage-errors.js';
import { pgSettings, pgTokens, pgUsers } from './pg-accounts.js';
import { pgAlerts } from './pg-alerts.js';
import { pgGateways } from './pg-gateways.js';
import { pgIngest } from './pg-ingest.js';
import { migratePostgres } from './pg-migrations.js';
import { pgNotifications } from './pg-notifications.js';
import { createPool } from './pg-pool.js';
import { pgReadings } from './pg-readings.js';

export interface PostgresOptions {
  /** Run in this schema (search_path); it must exist. Tests use a fresh one per run. */
  readonly schema?: string;
  readonly now?: number;
}

export async function openPostgresRepository(url: string, options: PostgresOptions = {}): Promise<Repository> {
  const pool = createPool(url, options.schema);
  // An idle client's connection dying (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, options.now ?? Date.now());
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageOpenError(
      `cannot open the cloud database ${url.replace(/:[^:@/]*@/, ':***@')}: ${reason}`,
      'Check that PostgreSQL is running and reachable, the database exists, and the user may create tables in it.',
      error,
    );
  }
  return {
    dialect: 'postgres',
    users: pgUsers(pool),
    tokens: pgTokens(pool),
    gateways: pgGateways(pool),
    ingest: pgIngest(pool),
    readings: pgReadings(pool),
    alerts: pgAlerts(pool),
    notifications: pgNotifications(pool),
    settings: pgSettings(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
