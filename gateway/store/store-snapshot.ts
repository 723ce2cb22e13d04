/**
 * The store read while no daemon holds it: gateway.db opened read-only, plus the
 * readings still only in readings.journal (decoded, never truncated), answered by
 * the store's own queries. Also the check that a file is a sound gateway database,
 * which `easygas restore` runs on the file it is given.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { TRANSFER_MARKER_KEY } from './store-cursors.js';
import { decodeJournal } from './journal-codec.js';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './migrations.js';
import { PendingReadings } from './pending-readings.js';
import { JOURNAL_FILE_NAME, parseTransferMarker, readOrEmpty, untransferred } from './reading-journal.js';
import type { ReadingQuery, StoredReading } from './records.js';
import { describeError } from './store-errors.js';
import { DB_FILE_NAME } from './store-files.js';
import { readingsFor } from './store-queries.js';
import { prepareStatements } from './store-statements.js';

/** Tables every gateway.db of the current schema has. */
const REQUIRED_TABLES = ['meta', 'counters', 'readings', 'events', 'series', 'qualities'] as const;

export interface StoreSnapshot {
  readonly path: string;
  /** Readings found only in the journal (not yet moved into SQLite); queries include them. */
  readonly journalReadings: number;
  /** Why part of the journal could not be read (a torn tail); those readings are missing. */
  readonly journalProblem?: string;
  readings(sensorId: string, query: ReadingQuery): StoredReading[];
  close(): void;
}

/** Why a file is not a gateway database this easygas can use; undefined when it is. */
export function gatewayDbProblem(db: BetterSqlite3.Database): string | undefined {
  const version = schemaVersion(db);
  if (version > LATEST_SCHEMA_VERSION) return `schema version ${version} is newer than this easygas knows (${LATEST_SCHEMA_VERSION})`;
  const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')").pluck().all() as string[]);
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (version === 0 || missing.length > 0) return `not a gateway database (missing ${missing.length > 0 ? missing.join(', ') : 'a schema version'})`;
  return undefined;
}

/** integrity_check's verdict: undefined when the file is sound. */
export function integrityProblem(db: BetterSqlite3.Database): string | undefined {
  const messages = (db.pragma('integrity_check(10)', { simple: false }) as Record<string, string>[]).map((r) => Object.values(r)[0] ?? '');
  return messages.length === 1 && messages[0] === 'ok' ? undefined : `integrity_check failed: ${messages.join('; ')}`;
}

/** A read-only connection, and the close that leaves the directory as it was found. */
export interface ReadOnlyDb {
  readonly db: BetterSqlite3.Database;
  close(): void;
}

/**
 * Opens `path` read-only; a file SQLite cannot read at all is reported as an Error
 * with the reason. SQLite creates an empty -wal and a -shm beside a WAL database even
 * for reading: close() removes the ones that were not there before (no daemon runs).
 */
export function openReadOnly(path: string): ReadOnlyDb {
  const created = ['-wal', '-shm'].map((suffix) => `${path}${suffix}`).filter((p) => !existsSync(p));
  const tidy = (): void => {
    for (const p of created) if (existsSync(p) && (!p.endsWith('-wal') || statSync(p).size === 0)) rmSync(p, { force: true });
  };
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      db.pragma('schema_version'); // reads the header: a file that is not a database fails here, not later
    } catch (err) {
      db.close();
      throw err;
    }
    return { db, close: () => (db.close(), tidy()) };
  } catch (err) {
    tidy();
    throw new Error(`${path} cannot be read as a SQLite database: ${describeError(err)}`, { cause: err });
  }
}

/** Opens `<dataDir>/gateway.db` read-only with its journal; throws an Error that says why it cannot. */
export function openStoreSnapshot(dataDir: string): StoreSnapshot {
  const path = join(dataDir, DB_FILE_NAME);
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const opened = openReadOnly(path);
  const db = opened.db;
  try {
    const version = schemaVersion(db);
    const problem = gatewayDbProblem(db) ?? (version < LATEST_SCHEMA_VERSION ? `schema version ${version} is older than ${LATEST_SCHEMA_VERSION}: start the gateway once to upgrade it` : undefined);
    if (problem !== undefined) throw new Error(`${path}: ${problem}`);
    const stmt = prepareStatements(db);
    const pending = new PendingReadings();
    const journal = decodeJournal(readOrEmpty(join(dataDir, JOURNAL_FILE_NAME)));
    if (journal.generation !== undefined) {
      const load = { generation: journal.generation, batches: journal.batches, fileBytes: journal.validBytes, droppedBytes: 0 };
      pending.push(untransferred(load, parseTransferMarker(stmt.getMeta.get(TRANSFER_MARKER_KEY) as string | undefined)).rows);
    }
    return {
      path,
      journalReadings: pending.size,
      ...(journal.problem !== undefined && { journalProblem: journal.problem }),
      readings: (sensorId, query) => readingsFor(stmt, pending, sensorId, query),
      close: () => opened.close(),
    };
  } catch (err) {
    opened.close();
    throw err;
  }
}
