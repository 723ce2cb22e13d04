/**
 * The cloud on one SQLite file (better-sqlite3): the default for a household or a
 * hobbyist. WAL so readers never block the writer; synchronous=FULL because an ack
 * tells the gateway it may forget the data, so a commit must survive power loss.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Repository } from '../repository.js';
import { StorageOpenError } from '../storage-errors.js';
import { sqliteSettings, sqliteTokens, sqliteUsers } from './sqlite-accounts.js';
import { sqliteAlerts } from './sqlite-alerts.js';
import { sqliteGateways } from './sqlite-gateways.js';
import { sqliteIngest } from './sqlite-ingest.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { sqliteNotifications } from './sqlite-notifications.js';
import { sqliteReadings } from './sqlite-readings.js';

export function openSqliteRepository(path: string, now: number = Date.now()): Repository {
  const inMemory = path === ':memory:';
  let db: Database.Database;
  try {
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateSqlite(db, now);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageOpenError(
      `cannot open the cloud database ${path}: ${reason}`,
      'Check the path exists and is writable by this user (or pass --db with another file), and that no other program holds it.',
      error,
    );
  }
  return {
    dialect: 'sqlite',
    users: sqliteUsers(db),
    tokens: sqliteTokens(db),
    gateways: sqliteGateways(db),
    ingest: sqliteIngest(db),
    readings: sqliteReadings(db),
    alerts: sqliteAlerts(db),
    notifications: sqliteNotifications(db),
    settings: sqliteSettings(db),
    ping: () => {
      db.prepare('SELECT 1').get();
      return Promise.resolve();
    },
    close: () => {
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}
