/**
 * Ingest on PostgreSQL: one transaction per batch; the gateway's row is locked
 * first (FOR UPDATE) so batches of one gateway apply one after another while other
 * gateways proceed in parallel; rows go in with unnest() — one round trip per table.
 */
import type pg from 'pg';
import type { EventRecord, IngestBatch } from '../../../protocol/index.js';
import { advanceWatermark, aggregateColumns, planIngest, type Coverage, type Span } from '../ingest-plan.js';
import { GatewayGoneError, type IngestOutcome, type IngestRepository } from '../repository.js';
import type { NotificationPolicy } from '../types.js';
import { toPolicyEvent } from '../policy-events.js';
import { pgNotify } from './pg-notifications.js';
import { inTransaction, type Tx } from './pg-pool.js';

const INSERT_READINGS = `INSERT INTO readings (gateway_pk, seq, sensor_pk, ts, value, unit, raw, percent, litres, ppm, quality, clock_synced,
    min, max, cnt, seq_end, ts_end, received_at)
  SELECT $1, t.seq, t.sensor_pk, t.ts, t.value, t.unit, t.raw, t.percent, t.litres, t.ppm, t.quality, t.clock_synced,
    t.min, t.max, t.cnt, t.seq_end, t.ts_end, $2
  FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::float8[], $7::text[], $8::float8[], $9::float8[], $10::float8[],
    $11::float8[], $12::text[], $13::bool[], $14::float8[], $15::float8[], $16::int[], $17::bigint[], $18::bigint[])
    AS t(seq, sensor_pk, ts, value, unit, raw, percent, litres, ppm, quality, clock_synced, min, max, cnt, seq_end, ts_end)
  ON CONFLICT (gateway_pk, seq) DO NOTHING RETURNING seq`;

const REPLACE_READING = `UPDATE readings SET sensor_pk = $3, ts = $4, value = $5, unit = $6, raw = $7, percent = $8, litres = $9, ppm = $10,
    quality = $11, clock_synced = $12, min = $13, max = $14, cnt = $15, seq_end = $16, ts_end = $17, received_at = $18
  WHERE gateway_pk = $1 AND seq = $2 AND cnt < $15`;

const DELETE_COVERED = `DELETE FROM readings WHERE gateway_pk = $1 AND seq > $2 AND seq <= $3 AND sensor_pk = $4
  AND ts >= $5 AND ts <= $6 AND COALESCE(seq_end, seq) <= $3`;

const INSERT_EVENTS = `INSERT INTO events (gateway_pk, seq, source, ts, type, sensor_local_id, state, severity, severe, value, unit, threshold,
    message, clock_synced, data, received_at)
  SELECT $1, t.seq, 'gateway', t.ts, t.type, t.sensor, t.state, t.severity, t.severe, t.value, t.unit, t.threshold, t.message,
    t.clock_synced, t.data, $2
  FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[], $10::float8[], $11::text[],
    $12::float8[], $13::text[], $14::bool[], $15::jsonb[])
    AS t(seq, ts, type, sensor, state, severity, severe, value, unit, threshold, message, clock_synced, data)
  ON CONFLICT (gateway_pk, seq) DO NOTHING RETURNING seq`;

export function pgIngest(pool: pg.Pool): IngestRepository {
  return {
    async ingest(gatewayId, batch, now, policy) {
      return inTransaction(pool, (tx) => ingestIn(tx, gatewayId, batch, now, policy));
    },
  };
}

async function ingestIn(tx: Tx, gatewayId: string, batch: IngestBatch, now: number, policy: NotificationPolicy): Promise<IngestOutcome> {
  const { rows: gws } = await tx.query<{ pk: number; acked_seq: number }>('SELECT pk, acked_seq FROM gateways WHERE id = $1 FOR UPDATE', [gatewayId]);
  const gw = gws[0];
  if (gw === undefined) throw new GatewayGoneError(gatewayId);
  const { rows: spans } = await tx.query<Span>(
    `SELECT s.local_id AS "sensorId", r.seq, r.seq_end AS "seqEnd", r.ts AS at, r.ts_end AS "atEnd" FROM readings r
     JOIN sensors s ON s.pk = r.sensor_pk WHERE r.gateway_pk = $1 AND r.seq_end IS NOT NULL AND r.seq_end > $2 AND r.seq <= $3`,
    [gw.pk, batch.afterSeq, batch.lastSeq],
  );
  const plan = planIngest(batch, spans);
  const sensorKeys = await upsertSensors(tx, gw.pk, plan.sensors, now);

  let readingsStored = 0;
  let duplicates = plan.covered;
  const newest = new Map<number, number>();
  if (plan.readings.length > 0) {
    const rs = plan.readings;
    const aggs = rs.map(aggregateColumns);
    const { rows: inserted } = await tx.query<{ seq: number }>(INSERT_READINGS, [
      gw.pk,
      now,
      rs.map((r) => r.seq),
      rs.map((r) => sensorKeys.get(r.sensorId)),
      rs.map((r) => r.at),
      rs.map((r) => r.value),
      rs.map((r) => r.unit),
      rs.map((r) => r.raw ?? null),
      rs.map((r) => r.percent ?? null),
      rs.map((r) => r.litres ?? null),
      rs.map((r) => r.ppm ?? null),
      rs.map((r) => r.quality),
      rs.map((r) => r.clockSynced),
      aggs.map((a) => a.min),
      aggs.map((a) => a.max),
      aggs.map((a) => a.count),
      aggs.map((a) => a.seqEnd),
      aggs.map((a) => a.atEnd),
    ]);
    const fresh = new Set(inserted.map((r) => Number(r.seq)));
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      const agg = aggs[i];
      if (r === undefined || agg === undefined) continue;
      const sensor = sensorKeys.get(r.sensorId) ?? 0;
      let stored = fresh.has(r.seq);
      if (!stored && agg.seqEnd !== null) {
        const replaced = await tx.query(REPLACE_READING, [
          gw.pk, r.seq, sensor, r.at, r.value, r.unit, r.raw ?? null, r.percent ?? null, r.litres ?? null, r.ppm ?? null,
          r.quality, r.clockSynced, agg.min, agg.max, agg.count, agg.seqEnd, agg.atEnd, now,
        ]);
        stored = (replaced.rowCount ?? 0) > 0;
      }
      if (!stored) {
        duplicates++;
        continue;
      }
      readingsStored++;
      newest.set(sensor, Math.max(newest.get(sensor) ?? 0, r.at));
      if (agg.seqEnd !== null) await tx.query(DELETE_COVERED, [gw.pk, r.seq, agg.seqEnd, sensor, r.at, agg.atEnd]);
    }
  }
  for (const [sensor, at] of newest) {
    await tx.query('UPDATE sensors SET last_reading_at = GREATEST(COALESCE(last_reading_at, 0), $2) WHERE pk = $1', [sensor, at]);
  }

  const freshEvents = await insertEvents(tx, gw.pk, plan.events, now);
  duplicates += plan.events.length - freshEvents.length;
  const notifications = await pgNotify(tx, gw.pk, freshEvents.map(toPolicyEvent), policy, now);

  const { rows: pending } = await tx.query<Coverage>(
    'SELECT after_seq AS "afterSeq", last_seq AS "lastSeq" FROM ingest_coverage WHERE gateway_pk = $1 ORDER BY after_seq, last_seq',
    [gw.pk],
  );
  const next = advanceWatermark(Number(gw.acked_seq), pending, batch);
  const same = next.watermark === Number(gw.acked_seq) && next.pending.length === pending.length &&
    next.pending.every((p, i) => p.afterSeq === pending[i]?.afterSeq && p.lastSeq === pending[i]?.lastSeq);
  if (!same) {
    await tx.query('DELETE FROM ingest_coverage WHERE gateway_pk = $1', [gw.pk]);
    if (next.pending.length > 0) {
      await tx.query('INSERT INTO ingest_coverage (gateway_pk, after_seq, last_seq) SELECT $1, a, l FROM unnest($2::bigint[], $3::bigint[]) AS t(a, l)', [
        gw.pk,
        next.pending.map((p) => p.afterSeq),
        next.pending.map((p) => p.lastSeq),
      ]);
    }
    await tx.query('UPDATE gateways SET acked_seq = $2 WHERE pk = $1', [gw.pk, next.watermark]);
  }
  return { ackedSeq: next.watermark, stored: readingsStored + freshEvents.length, duplicates, readingsStored, eventsStored: freshEvents.length, notifications };
}

async function upsertSensors(tx: Tx, gatewayPk: number, sensors: ReadonlyMap<string, { kind: string; unit: string }>, now: number): Promise<Map<string, number>> {
  if (sensors.size === 0) return new Map();
  const ids = [...sensors.keys()];
  await tx.query(
    `INSERT INTO sensors (gateway_pk, local_id, kind, unit, first_seen_at, updated_at)
     SELECT $1, t.id, t.kind, t.unit, $2, $2 FROM unnest($3::text[], $4::text[], $5::text[]) AS t(id, kind, unit)
     ON CONFLICT (gateway_pk, local_id) DO UPDATE SET kind = EXCLUDED.kind, unit = EXCLUDED.unit, updated_at = EXCLUDED.updated_at
       WHERE sensors.kind IS DISTINCT FROM EXCLUDED.kind OR sensors.unit IS DISTINCT FROM EXCLUDED.unit`,
    [gatewayPk, now, ids, ids.map((id) => sensors.get(id)?.kind), ids.map((id) => sensors.get(id)?.unit)],
  );
  const { rows } = await tx.query<{ pk: number; local_id: string }>('SELECT pk, local_id FROM sensors WHERE gateway_pk = $1 AND local_id = ANY($2::text[])', [
    gatewayPk,
    ids,
  ]);
  return new Map(rows.map((r) => [r.local_id, Number(r.pk)]));
}

async function insertEvents(tx: Tx, gatewayPk: number, events: readonly EventRecord[], now: number): Promise<EventRecord[]> {
  if (events.length === 0) return [];
  const { rows } = await tx.query<{ seq: number }>(INSERT_EVENTS, [
    gatewayPk,
    now,
    events.map((e) => e.seq),
    events.map((e) => e.at),
    events.map((e) => e.type),
    events.map((e) => e.sensorId ?? null),
    events.map((e) => e.state ?? null),
    events.map((e) => e.severity),
    events.map((e) => e.severe === true),
    events.map((e) => e.value ?? null),
    events.map((e) => e.unit ?? null),
    events.map((e) => e.threshold ?? null),
    events.map((e) => e.message),
    events.map((e) => e.clockSynced),
    events.map((e) => (e.data === undefined ? null : JSON.stringify(e.data))),
  ]);
  const fresh = new Set(rows.map((r) => Number(r.seq)));
  return events.filter((e) => fresh.has(e.seq));
}
