/**
 * Ingest: one transaction per batch, so a batch is stored whole or not at all,
 * with its rollups, its events' notifications and the watermark. On PostgreSQL
 * the gateway's row is locked first (FOR UPDATE), so batches of one gateway apply
 * one after another while other gateways proceed in parallel.
 */
import { sql } from 'kysely';
import type { EventRecord, IngestBatch, ReadingRecord } from '../../../protocol/index.js';
import type { ReadingRow } from '../db/bulk-readings.js';
import type { Db } from '../db/database.js';
import { advanceWatermark, aggregateColumns, planIngest, type Coverage, type SensorSighting } from '../ingest-plan.js';
import { toPolicyEvent } from '../policy-events.js';
import { GatewayGoneError, type IngestOutcome, type IngestRepository } from '../repository.js';
import type { NotificationPolicy } from '../types.js';
import { levelStageEvents, type NewestLevel } from './level-stages.js';
import { notify } from './notifications.js';
import { addToRollups, DirtyBuckets, recomputeRollups } from './rollups.js';

/** Rows per multi-row insert: well under SQLite's 32,766 variables. */
const CHUNK = 500;

export function ingest(db: Db): IngestRepository {
  return {
    ingest: (gatewayId, batch, now, policy, options) => db.atomic((tx) => ingestIn(tx, gatewayId, batch, now, policy, options?.lateAfterMs)),
  };
}

async function ingestIn(tx: Db, gatewayId: string, batch: IngestBatch, now: number, policy: NotificationPolicy, lateAfterMs?: number): Promise<IngestOutcome> {
  const gw = await tx.kysely
    .selectFrom('gateways')
    .select(['pk', 'user_id', 'acked_seq', 'raw_pruned_before'])
    .where('id', '=', gatewayId)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (gw === undefined) throw new GatewayGoneError(gatewayId);
  const ackedSeq = Number(gw.acked_seq);
  const spans = await tx.kysely
    .selectFrom('readings as r')
    .innerJoin('sensors as s', 's.pk', 'r.sensor_pk')
    .select(['s.local_id as sensorId', 'r.seq', 'r.seq_end as seqEnd', 'r.ts as at', 'r.ts_end as atEnd'])
    .where('r.gateway_pk', '=', gw.pk)
    .where('r.seq_end', '>', batch.afterSeq)
    // "+ 0" keeps SQLite's planner off the primary key, a scan of every older reading of the
    // gateway (16 ms at 40,000 rows, growing), and on readings_spans, the few summaries (0.2 ms).
    .where(sql<number>`r.seq + 0`, '<=', batch.lastSeq)
    .execute();
  const plan = planIngest(
    batch,
    spans.map((s) => ({ sensorId: s.sensorId, seq: Number(s.seq), seqEnd: Number(s.seqEnd), at: Number(s.at), atEnd: Number(s.atEnd) })),
    { ackedSeq, before: Number(gw.raw_pruned_before) },
  );
  const sensorKeys = await upsertSensors(tx, gw.pk, plan.sensors, now);
  const rows = plan.readings.map((r) => readingRow(gw.pk, sensorKeys.get(r.sensorId) ?? 0, r, now));
  const { stored, duplicates } = await storeReadings(tx, rows);

  const newest = new Map<number, number>();
  for (const r of stored) newest.set(r.sensor_pk, Math.max(newest.get(r.sensor_pk) ?? 0, r.ts));
  for (const [sensor, at] of newest) {
    await tx.kysely
      .updateTable('sensors')
      .set({ last_reading_at: sql<number>`CASE WHEN last_reading_at IS NULL OR last_reading_at < ${at} THEN ${at} ELSE last_reading_at END` })
      .where('pk', '=', sensor)
      .execute();
  }

  const freshEvents = await insertEvents(tx, gw.pk, plan.events, now);
  const stages = await levelStageEvents(tx, gw.pk, gatewayId, newestLevels(stored, sensorKeys));
  const notifications = await notify(tx, gw.pk, [...freshEvents.map(toPolicyEvent), ...stages], policy, now, lateAfterMs);
  const ackedNow = await advance(tx, gw.pk, ackedSeq, batch);
  return {
    userId: gw.user_id,
    ackedSeq: ackedNow,
    stored: stored.length + freshEvents.length,
    duplicates: plan.covered + duplicates + plan.events.length - freshEvents.length,
    readingsStored: stored.length,
    eventsStored: freshEvents.length,
    freshEvents,
    notifications,
  };
}

/** Each sensor's newest stored percent in this batch, by local id. */
function newestLevels(stored: readonly ReadingRow[], sensorKeys: ReadonlyMap<string, number>): Map<string, NewestLevel> {
  const localIds = new Map([...sensorKeys].map(([localId, pk]) => [pk, localId]));
  const newest = new Map<string, NewestLevel>();
  for (const r of stored) {
    const localId = localIds.get(r.sensor_pk);
    if (localId === undefined || r.percent === null) continue;
    const held = newest.get(localId);
    if (held === undefined || r.ts >= held.at) newest.set(localId, { at: r.ts, percent: r.percent });
  }
  return newest;
}

function readingRow(gatewayPk: number, sensorPk: number, r: ReadingRecord, now: number): ReadingRow {
  const agg = aggregateColumns(r);
  return {
    gateway_pk: gatewayPk,
    seq: r.seq,
    sensor_pk: sensorPk,
    ts: r.at,
    value: r.value,
    unit: r.unit,
    raw: r.raw ?? null,
    percent: r.percent ?? null,
    litres: r.litres ?? null,
    ppm: r.ppm ?? null,
    quality: r.quality,
    clock_synced: r.clockSynced,
    min: agg.min,
    max: agg.max,
    cnt: agg.count,
    seq_end: agg.seqEnd,
    ts_end: agg.atEnd,
    received_at: now,
  };
}

/**
 * Inserts what is new, lets a summary replace the raw row (or smaller summary) at
 * its seq and delete the rows it covers, and keeps the rollups exact: new rows are
 * added, buckets that lost or changed rows are recomputed.
 */
async function storeReadings(tx: Db, rows: readonly ReadingRow[]): Promise<{ stored: ReadingRow[]; duplicates: number }> {
  if (rows.length === 0) return { stored: [], duplicates: 0 };
  const fresh = new Set(await tx.bulk.insertNew(tx.kysely, rows));
  const stored: ReadingRow[] = [];
  const added: ReadingRow[] = [];
  const dirty = new DirtyBuckets();
  let duplicates = 0;
  for (const row of rows) {
    let isStored = fresh.has(row.seq);
    if (isStored) added.push(row);
    else if (row.seq_end !== null) isStored = await replaceWithSummary(tx, row, dirty);
    if (!isStored) {
      duplicates++;
      continue;
    }
    stored.push(row);
    if (row.seq_end !== null && row.ts_end !== null) {
      const deleted = await tx.kysely
        .deleteFrom('readings')
        .where('gateway_pk', '=', row.gateway_pk)
        .where('seq', '>', row.seq)
        .where('seq', '<=', row.seq_end)
        .where('sensor_pk', '=', row.sensor_pk)
        .where('ts', '>=', row.ts)
        .where('ts', '<=', row.ts_end)
        .where((eb) => eb(eb.fn.coalesce('seq_end', 'seq'), '<=', row.seq_end ?? row.seq))
        .returning(['sensor_pk', 'ts'])
        .execute();
      for (const d of deleted) dirty.mark(d.sensor_pk, d.ts);
    }
  }
  // Additions first: a recomputed bucket is then read from the final rows and overrides them.
  if (added.length > 0) await addToRollups(tx, added);
  if (dirty.size > 0) await recomputeRollups(tx, dirty);
  return { stored, duplicates };
}

/** A summary replaces the row at its seq when that row stands for fewer readings. */
async function replaceWithSummary(tx: Db, row: ReadingRow, dirty: DirtyBuckets): Promise<boolean> {
  const replaced = await tx.kysely
    .selectFrom('readings')
    .select(['sensor_pk', 'ts'])
    .where('gateway_pk', '=', row.gateway_pk)
    .where('seq', '=', row.seq)
    .where('cnt', '<', row.cnt)
    .executeTakeFirst();
  if (replaced === undefined) return false;
  const { gateway_pk: _gateway, seq: _seq, ...columns } = row;
  await tx.kysely.updateTable('readings').set(columns).where('gateway_pk', '=', row.gateway_pk).where('seq', '=', row.seq).execute();
  dirty.mark(replaced.sensor_pk, replaced.ts);
  dirty.mark(row.sensor_pk, row.ts);
  return true;
}

async function upsertSensors(tx: Db, gatewayPk: number, sensors: ReadonlyMap<string, SensorSighting>, now: number): Promise<Map<string, number>> {
  if (sensors.size === 0) return new Map();
  const ids = [...sensors.keys()];
  await tx.kysely
    .insertInto('sensors')
    .values(ids.map((id) => ({ gateway_pk: gatewayPk, local_id: id, kind: sensors.get(id)?.kind ?? 'level', unit: sensors.get(id)?.unit ?? null, first_seen_at: now, updated_at: now })))
    .onConflict((oc) =>
      oc
        .columns(['gateway_pk', 'local_id'])
        .doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), unit: eb.ref('excluded.unit'), updated_at: eb.ref('excluded.updated_at') }))
        .where((eb) => eb.or([eb('sensors.kind', 'is distinct from', eb.ref('excluded.kind')), eb('sensors.unit', 'is distinct from', eb.ref('excluded.unit'))])),
    )
    .execute();
  const rows = await tx.kysely.selectFrom('sensors').select(['pk', 'local_id']).where('gateway_pk', '=', gatewayPk).where('local_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.local_id, Number(r.pk)]));
}

async function insertEvents(tx: Db, gatewayPk: number, events: readonly EventRecord[], now: number): Promise<EventRecord[]> {
  const fresh = new Set<number>();
  for (let i = 0; i < events.length; i += CHUNK) {
    const inserted = await tx.kysely
      .insertInto('events')
      .values(
        events.slice(i, i + CHUNK).map((e) => ({
          gateway_pk: gatewayPk,
          seq: e.seq,
          source: 'gateway',
          ts: e.at,
          type: e.type,
          sensor_local_id: e.sensorId ?? null,
          state: e.state ?? null,
          severity: e.severity,
          severe: e.severe === true,
          value: e.value ?? null,
          unit: e.unit ?? null,
          threshold: e.threshold ?? null,
          message: e.message,
          clock_synced: e.clockSynced,
          data: e.data === undefined ? null : JSON.stringify(e.data),
          received_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['gateway_pk', 'seq']).doNothing())
      .returning('seq')
      .execute();
    for (const r of inserted) fresh.add(Number(r.seq));
  }
  return events.filter((e) => fresh.has(e.seq));
}

/** Moves the watermark (and the ranges remembered beyond a gap) for this batch; returns the new watermark. */
async function advance(tx: Db, gatewayPk: number, acked: number, batch: IngestBatch): Promise<number> {
  const pending = (
    await tx.kysely.selectFrom('ingest_coverage').select(['after_seq', 'last_seq']).where('gateway_pk', '=', gatewayPk).orderBy('after_seq').orderBy('last_seq').execute()
  ).map((p): Coverage => ({ afterSeq: Number(p.after_seq), lastSeq: Number(p.last_seq) }));
  const next = advanceWatermark(acked, pending, batch);
  const same =
    next.watermark === acked && next.pending.length === pending.length && next.pending.every((p, i) => p.afterSeq === pending[i]?.afterSeq && p.lastSeq === pending[i]?.lastSeq);
  if (!same) {
    await tx.kysely.deleteFrom('ingest_coverage').where('gateway_pk', '=', gatewayPk).execute();
    if (next.pending.length > 0) {
      await tx.kysely.insertInto('ingest_coverage').values(next.pending.map((p) => ({ gateway_pk: gatewayPk, after_seq: p.afterSeq, last_seq: p.lastSeq }))).execute();
    }
    await tx.kysely.updateTable('gateways').set({ acked_seq: next.watermark }).where('pk', '=', gatewayPk).execute();
  }
  return next.watermark;
}
