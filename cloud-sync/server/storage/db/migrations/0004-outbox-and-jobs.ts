/**
 * The transactional outbox and the background jobs' leases:
 * - outbox: work that must happen after a commit (delivering a notification),
 *   written in the commit's own transaction and drained by a worker; a row is
 *   leased (lease_owner, lease_until) while one process works on it, so a killed
 *   process's rows go to another once the lease runs out;
 * - job_leases: one row per background job, taken for one interval by the API
 *   process that runs it, so several processes run each tick of a job once.
 * Numbered 0004: 0003 belongs to the modules branch; the migrator accepts either
 * order (allowUnorderedMigrations).
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export function outboxAndJobsMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  const surrogate = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => (t.isPostgres ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const s = db.schema;
      await s
        .createTable('outbox')
        .addColumn('id', t.int, surrogate)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('available_at', t.int, (c) => c.notNull())
        .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.int)
        .addColumn('done_at', t.int)
        .addColumn('outcome', 'text')
        .addColumn('last_error', 'text')
        .execute();
      // The worker's scan: pending rows by due time; done rows are kept for the delivery log.
      await s.createIndex('outbox_pending').on('outbox').column('available_at').where(sql.ref('done_at'), 'is', null).execute();
      await s
        .createTable('job_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('until', t.int, (c) => c.notNull())
        .addColumn('runs', t.int, (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
