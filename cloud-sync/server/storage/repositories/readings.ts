/**
 * Sensors and the reading queries. History and the level series are answered
 * from the rollups wherever they stand in exactly for the readings (history-plan.ts),
 * so a year costs at most 8,760 hourly rows, and they run on the reader (a worker
 * thread on SQLite, the read pool on PostgreSQL), never on the event loop or the
 * connections ingest needs.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { planHistory, type Segment } from '../history-plan.js';
import type { ReadingRepository } from '../repository.js';
import { readingFromRow, sensorFromRow } from '../row-mappers.js';
import { parseCloudSensorId } from '../sensor-ids.js';
import type { HistoryPoint, LevelPoint } from '../types.js';
import { selectSensors } from './sensors.js';

/** The epoch-aligned bucket of an integer column; the bucket is a validated integer, inlined so SELECT and GROUP BY match. */
function bucketOf(column: 'ts' | 'bucket', bucketMs: number): RawBuilder<number> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error(`invalid bucket ${bucketMs}`);
  return sql<number>`(${sql.ref(column)} / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`;
}

const okCnt = (column: 'percent' | 'litres'): RawBuilder<number> => sql<number>`SUM(CASE WHEN ${sql.ref(column)} IS NULL THEN 0 ELSE cnt END)`;

type Part<O> = SelectQueryBuilder<DB, never, O>;

/** One segment of a history query: partial aggregates per output bucket. */
function historySegment(q: Kysely<DB>, sensor: number, segment: Segment, bucketMs: number) {
  if (segment.source === 'raw') {
    const at = bucketOf('ts', bucketMs);
    return q
      .selectFrom('readings')
      .select((eb) => [at.as('at'), eb.fn.min('min').as('min'), eb.fn.max('max').as('max'), sql<number>`SUM(value * cnt)`.as('sum'), eb.fn.sum<number>('cnt').as('cnt')])
      .where('sensor_pk', '=', sensor)
      .where('ts', '>=', segment.from)
      .where('ts', '<', segment.to)
      .groupBy(at);
  }
  const at = bucketOf('bucket', bucketMs);
  return q
    .selectFrom('rollups')
    .select((eb) => [at.as('at'), eb.fn.min('min').as('min'), eb.fn.max('max').as('max'), eb.fn.sum<number>('sum').as('sum'), eb.fn.sum<number>('cnt').as('cnt')])
    .where('sensor_pk', '=', sensor)
    .where('span_ms', '=', segment.source)
    .where('bucket', '>=', segment.from)
    .where('bucket', '<', segment.to)
    .groupBy(at);
}

/** One segment of a level series: ok readings only, count-weighted sums. */
function levelSegment(q: Kysely<DB>, sensor: number, segment: Segment, bucketMs: number) {
  if (segment.source === 'raw') {
    const at = bucketOf('ts', bucketMs);
    return q
      .selectFrom('readings')
      .select((eb) => [
        at.as('at'),
        eb.fn.sum<number>('cnt').as('ok_cnt'),
        sql<number>`COALESCE(SUM(percent * cnt), 0)`.as('pct_sum'),
        okCnt('percent').as('pct_cnt'),
        sql<number>`COALESCE(SUM(litres * cnt), 0)`.as('lit_sum'),
        okCnt('litres').as('lit_cnt'),
      ])
      .where('sensor_pk', '=', sensor)
      .where('ts', '>=', segment.from)
      .where('ts', '<', segment.to)
      .where('quality', '=', 'ok')
      .groupBy(at);
  }
  const at = bucketOf('bucket', bucketMs);
  return q
    .selectFrom('rollups')
    .select((eb) => [
      at.as('at'),
      eb.fn.sum<number>('ok_cnt').as('ok_cnt'),
      eb.fn.sum<number>('pct_sum').as('pct_sum'),
      eb.fn.sum<number>('pct_cnt').as('pct_cnt'),
      eb.fn.sum<number>('lit_sum').as('lit_sum'),
      eb.fn.sum<number>('lit_cnt').as('lit_cnt'),
    ])
    .where('sensor_pk', '=', sensor)
    .where('span_ms', '=', segment.source)
    .where('bucket', '>=', segment.from)
    .where('bucket', '<', segment.to)
    .groupBy(at);
}

/** The segments' partial aggregates as one UNION ALL, for one round trip. */
function unionOf<O>(parts: readonly Part<O>[]): Part<O> | undefined {
  const [first, ...rest] = parts;
  return first === undefined ? undefined : rest.reduce((all, part) => all.unionAll(part), first);
}

const sumOf = (column: string): RawBuilder<number> => sql<number>`SUM(${sql.ref(column)})`;

/** Where the sensor's raw readings are complete (retention may have pruned older ones). */
async function rawFrom(db: Db, sensorKey: number): Promise<number> {
  const row = await db.kysely
    .selectFrom('sensors as s')
    .innerJoin('gateways as g', 'g.pk', 's.gateway_pk')
    .select('g.raw_pruned_before')
    .where('s.pk', '=', sensorKey)
    .executeTakeFirst();
  return Number(row?.raw_pruned_before ?? 0);
}

export function readings(db: Db): ReadingRepository {
  return {
    async listSensors(userId) {
      const rows = await selectSensors(db).where('g.user_id', '=', userId).orderBy('g.created_at').orderBy('s.local_id').execute();
      return rows.map(sensorFromRow);
    },
    async sensor(userId, id) {
      const ref = parseCloudSensorId(id);
      if (ref === undefined) return undefined;
      const row = await selectSensors(db).where('g.id', '=', ref.gatewayId).where('g.user_id', '=', userId).where('s.local_id', '=', ref.sensorId).executeTakeFirst();
      return row === undefined ? undefined : sensorFromRow(row);
    },
    async latest(sensorKey) {
      const row = await db.kysely.selectFrom('readings').selectAll().where('sensor_pk', '=', sensorKey).orderBy('ts', 'desc').limit(1).executeTakeFirst();
      return row === undefined ? undefined : readingFromRow(row);
    },
    async history(sensorKey, from, to, bucketMs) {
      const parts = planHistory(from, to, bucketMs, await rawFrom(db, sensorKey)).map((s) => historySegment(db.reader, sensorKey, s, bucketMs) as unknown as Part<{ at: number; min: number; max: number; sum: number; cnt: number }>);
      const union = unionOf(parts);
      if (union === undefined) return [];
      const rows = await db.reader
        .selectFrom(union.as('p'))
        .select((eb) => ['p.at', eb.fn.min('p.min').as('min'), eb.fn.max('p.max').as('max'), sumOf('p.sum').as('sum'), sumOf('p.cnt').as('cnt')])
        .groupBy('p.at')
        .orderBy('p.at')
        .execute();
      return rows.map((r): HistoryPoint => ({ at: Number(r.at), min: Number(r.min), avg: Number(r.sum) / Number(r.cnt), max: Number(r.max), count: Number(r.cnt) }));
    },
    async levelSeries(sensorKey, from, to, bucketMs) {
      type Level = { at: number; ok_cnt: number; pct_sum: number; pct_cnt: number; lit_sum: number; lit_cnt: number };
      const parts = planHistory(from, to, bucketMs, await rawFrom(db, sensorKey)).map((s) => levelSegment(db.reader, sensorKey, s, bucketMs) as unknown as Part<Level>);
      const union = unionOf(parts);
      if (union === undefined) return [];
      const rows = await db.reader
        .selectFrom(union.as('p'))
        .select(['p.at', sumOf('p.pct_sum').as('pct_sum'), sumOf('p.pct_cnt').as('pct_cnt'), sumOf('p.lit_sum').as('lit_sum'), sumOf('p.lit_cnt').as('lit_cnt')])
        .groupBy('p.at')
        .having(sumOf('p.ok_cnt'), '>', 0)
        .orderBy('p.at')
        .execute();
      const ratio = (sum: unknown, count: unknown): number | null => (Number(count) > 0 ? Number(sum) / Number(count) : null);
      return rows.map((r): LevelPoint => ({ at: Number(r.at), percent: ratio(r.pct_sum, r.pct_cnt), litres: ratio(r.lit_sum, r.lit_cnt) }));
    },
  };
}
