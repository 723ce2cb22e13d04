/** The sensor select every repository shares (with its gateway's public id). */
import type { Db } from '../db/database.js';

export function selectSensors(db: Db) {
  return db.kysely
    .selectFrom('sensors as s')
    .innerJoin('gateways as g', 'g.pk', 's.gateway_pk')
    .select(['s.pk', 'g.id as gateway_id', 's.local_id', 's.kind', 's.name', 's.unit', 's.health', 's.last_reading_at', 's.first_seen_at']);
}
