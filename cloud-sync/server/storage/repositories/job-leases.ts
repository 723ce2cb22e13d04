/**
 * Leases that make a background job run once per interval across API processes:
 * the process whose upsert finds the lease free (or expired) takes it until the
 * next run is due; the others skip that tick. One statement on both databases (an
 * upsert with a WHERE on the conflict), so two processes can never both win.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { JobLeaseRepository } from '../repository.js';

export function jobLeases(db: Db): JobLeaseRepository {
  return {
    async take(name, owner, now, until) {
      const taken = await db.kysely
        .insertInto('job_leases')
        .values({ name, owner, until, runs: 1 })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ owner, until, runs: sql<number>`job_leases.runs + 1` })
            .where('job_leases.until', '<=', now),
        )
        .returning('name')
        .executeTakeFirst();
      return taken !== undefined;
    },
    async runs(name) {
      const row = await db.kysely.selectFrom('job_leases').select('runs').where('name', '=', name).executeTakeFirst();
      return row === undefined ? 0 : Number(row.runs);
    },
  };
}
