/**
 * Retention of raw readings: rows older than the horizon are deleted in small
 * chunks (each its own short transaction, so neither SQLite's event loop nor
 * PostgreSQL's locks are held long); the rollups stay, so every chart of 5-minute
 * buckets or coarser is unchanged. Only rows the gateway has acknowledged go, and
 * a summary only when its whole span is old. The horizon is recorded on the
 * gateway first, so ingest knows an old record's absence is not newness
 * (ingest-plan.ts PrunedHorizon).
 */
import type { Db } from '../db/database.js';
import { tryAdvisoryLock } from '../db/locks.js';
import type { RetentionRepository } from '../repository.js';

export const RETENTION_LOCK = 'easygas-cloud-retention';

export function retention(db: Db): RetentionRepository {
  return {
    async sensorsWithRawBefore(before) {
      const rows = await db.kysely
        .selectFrom('sensors as s')
        .select('s.pk')
        .where((eb) => eb.exists(eb.selectFrom('readings as r').select('r.seq').whereRef('r.sensor_pk', '=', 's.pk').where('r.ts', '<', before)))
        .orderBy('s.pk')
        .execute();
      return rows.map((r) => Number(r.pk));
    },
    pruneRaw(sensorKey, before, limit) {
      return db.atomic(async (tx) => {
        if (!(await tryAdvisoryLock(tx, RETENTION_LOCK))) return 'busy' as const;
        const sensor = await tx.kysely.selectFrom('sensors').select('gateway_pk').where('pk', '=', sensorKey).executeTakeFirst();
        if (sensor === undefined) return 0;
        await tx.kysely.updateTable('gateways').set({ raw_pruned_before: before }).where('pk', '=', sensor.gateway_pk).where('raw_pruned_before', '<', before).execute();
        const result = await tx.kysely
          .deleteFrom('readings')
          .where((eb) =>
            eb(
              eb.refTuple('gateway_pk', 'seq'),
              'in',
              eb
                .selectFrom('readings as r')
                .innerJoin('gateways as g', 'g.pk', 'r.gateway_pk')
                .select(['r.gateway_pk', 'r.seq'])
                .where('r.sensor_pk', '=', sensorKey)
                .where('r.ts', '<', before)
                .where((w) => w(w.fn.coalesce('r.ts_end', 'r.ts'), '<', before))
                .whereRef('r.seq', '<=', 'g.acked_seq')
                .limit(limit)
                .$asTuple('gateway_pk', 'seq'),
            ),
          )
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}
