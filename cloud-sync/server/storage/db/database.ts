/**
 * What every repository module runs on: a typed Kysely for SQLite or PostgreSQL,
 * a reader for queries that may scan many rows, and `atomic`, which opens a
 * transaction or joins the one already open, so repository calls compose inside
 * Repository.transaction (a service can write its rows and, later, an outbox row
 * in one commit).
 */
import type { Kysely } from 'kysely';
import type { BulkReadings } from './bulk-readings.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly dialect: Dialect;
  /** Writes and short reads; inside a transaction, the transaction. */
  readonly kysely: Kysely<DB>;
  /**
   * Reads that may scan many rows: a worker thread on SQLite (so the event loop
   * never runs them), a small pool with a statement timeout on PostgreSQL (so they
   * never take the connections ingest needs). Inside a transaction, the transaction.
   */
  readonly reader: Kysely<DB>;
  /** The tuned reading upsert, the one place the two databases need different SQL for speed. */
  readonly bulk: BulkReadings;
  /** Runs fn in one transaction; when this Db is already a transaction, fn joins it. */
  atomic<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

export function makeDb(dialect: Dialect, kysely: Kysely<DB>, reader: Kysely<DB>, bulk: BulkReadings): Db {
  const db: Db = {
    dialect,
    kysely,
    reader,
    bulk,
    async atomic(fn) {
      if (kysely.isTransaction) return fn(db);
      const trx = await kysely.startTransaction().execute();
      try {
        const result = await fn(makeDb(dialect, trx, trx, bulk));
        await trx.commit().execute();
        return result;
      } catch (error) {
        // The first error is the one worth reporting: a failed rollback (the connection
        // died, SQLite already rolled back on SQLITE_FULL) must not replace it.
        await trx.rollback().execute().catch(() => undefined);
        throw error;
      }
    },
  };
  return db;
}

/** A unique constraint refused the row (SQLite's and PostgreSQL's codes). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
