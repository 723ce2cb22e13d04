/**
 * Advisory locks, PostgreSQL-first: several API processes share one PostgreSQL, and
 * a job that must run in one of them at a time (retention, later the outbox
 * workers) takes a transaction-scoped advisory lock. On SQLite a write
 * transaction already excludes every other writer, so the lock is always had.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

/** Takes the named lock for the rest of `tx` (released at commit or rollback); false when another session holds it. */
export async function tryAdvisoryLock(tx: Db, name: string): Promise<boolean> {
  if (!tx.kysely.isTransaction) throw new Error('tryAdvisoryLock needs a transaction (use db.atomic)');
  if (tx.dialect === 'sqlite') return true;
  const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${name})) AS locked`.execute(tx.kysely);
  return rows[0]?.locked === true;
}
