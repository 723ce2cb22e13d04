/**
 * Ingest on SQLite: one synchronous transaction per batch (better-sqlite3), so a
 * batch is stored whole or not at all, and the watermark moves with it.
 */
import type { Database } from 'better-sqlite3';
import { asyncOf, type SyncOf } from './sync-adapter.js';
import type { EventRecord, IngestBatch } from '../../../protocol/index.js';
import { advanceWatermark, aggregateColumns, planIngest, type Coverage, type Span } from '../ingest-plan.js';
import { GatewayGoneError, type IngestOutcome, type IngestRepository } from '../repository.js';
import type { NotificationPolicy } from '../types.js';
import { toPolicyEvent } from '../policy-events.js';
import { sqliteNotify } from './sqlite-notifications.js';

export function sqliteIngest(db: Database): IngestRepository {
  const gatewayRow = db.prepare('SELECT pk, acked_seq FROM gateways WHERE id = ?');
  const spansIn = db.prepare(
    `SELECT s.local_id AS sensorId, r.seq, r.seq_end AS seqEnd, r.ts AS at, r.ts_end AS atEnd FROM readings r
     JOIN sensors s ON s.pk = r.sensor_pk WHERE r.gateway_pk = ? AND r.seq_end IS NOT NULL AND r.seq_end > ? AND r.seq <= ?`,
  );
  const upsertSensor = db.prepare(
    `INSERT INTO sensors (gateway_pk, local_id, kind, unit, first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (gateway_pk, local_id) DO UPDATE SET kind = excluded.kind, unit = excluded.unit, updated_at = excluded.updated_at
     WHERE sensors.kind IS NOT excluded.kind OR sensors.unit IS NOT excluded.unit`,
  );
  const sensorPk = db.prepare('SELECT pk FROM sensors WHERE gateway_pk = ? AND local_id = ?');
  const touchSensor = db.prepare('UPDATE sensors SET last_reading_at = MAX(COALESCE(last_reading_at, 0), ?) WHERE pk = ?');
  const insertReading = db.prepare(
    `INSERT INTO readings (gateway_pk, seq, sensor_pk, ts, value, unit, raw, percent, litres, ppm, quality, clock_synced,
       min, max, cnt, seq_end, ts_end, received_at)
     VALUES (@gw, @seq, @sensor, @ts, @value, @unit, @raw, @percent, @litres, @ppm, @quality, @synced, @min, @max, @cnt, @seqEnd, @tsEnd, @now)
     ON CONFLICT (gateway_pk, seq) DO NOTHING`,
  );
  // A summary replaces what it summarises: the raw row at its seq, or a smaller summary.
  const replaceReading = db.prepare(
    `UPDATE readings SET sensor_pk = @sensor, ts = @ts, value = @value, unit = @unit, raw = @raw, percent = @percent, litres = @litres,
       ppm = @ppm, quality = @quality, clock_synced = @synced, min = @min, max = @max, cnt = @cnt, seq_end = @seqEnd, ts_end = @tsEnd,
       received_at = @now
     WHERE gateway_pk = @gw AND seq = @seq AND cnt < @cnt`,
  );
  const deleteCovered = db.prepare(
    `DELETE FROM readings WHERE gateway_pk = @gw AND seq > @seq AND seq <= @seqEnd AND sensor_pk = @sensor
       AND ts >= @ts AND ts <= @tsEnd AND COALESCE(seq_end, seq) <= @seqEnd`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO events (gateway_pk, seq, source, ts, type, sensor_local_id, state, severity, severe, value, unit, threshold, message,
       clock_synced, data, received_at)
     VALUES (?, ?, 'gateway', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (gateway_pk, seq) DO NOTHING`,
  );
  const pendingOf = db.prepare(
    'SELECT after_seq AS afterSeq, last_seq AS lastSeq FROM ingest_coverage WHERE gateway_pk = ? ORDER BY after_seq, last_seq',
  );
  const clearPending = db.prepare('DELETE FROM ingest_coverage WHERE gateway_pk = ?');
  const addPending = db.prepare('INSERT INTO ingest_coverage (gateway_pk, after_seq, last_seq) VALUES (?, ?, ?)');
  const setWatermark = db.prepare('UPDATE gateways SET acked_seq = ? WHERE pk = ?');

  const ingest = db.transaction((gatewayId: string, batch: IngestBatch, now: number, policy: NotificationPolicy): IngestOutcome => {
    const gw = gatewayRow.get(gatewayId) as { pk: number; acked_seq: number } | undefined;
    if (gw === undefined) throw new GatewayGoneError(gatewayId);
    const plan = planIngest(batch, spansIn.all(gw.pk, batch.afterSeq, batch.lastSeq) as Span[]);

    const sensorKeys = new Map<string, number>();
    for (const [localId, sighting] of plan.sensors) {
      upsertSensor.run(gw.pk, localId, sighting.kind, sighting.unit, now, now);
      sensorKeys.set(localId, (sensorPk.get(gw.pk, localId) as { pk: number }).pk);
    }
    const newest = new Map<number, number>();
    let readingsStored = 0;
    let duplicates = plan.covered;
    for (const r of plan.readings) {
      const sensor = sensorKeys.get(r.sensorId) ?? 0;
      const agg = aggregateColumns(r);
      const row = {
        gw: gw.pk,
        seq: r.seq,
        sensor,
        ts: r.at,
        value: r.value,
        unit: r.unit,
        raw: r.raw ?? null,
        percent: r.percent ?? null,
        litres: r.litres ?? null,
        ppm: r.ppm ?? null,
        quality: r.quality,
        synced: r.clockSynced ? 1 : 0,
        min: agg.min,
        max: agg.max,
        cnt: agg.count,
        seqEnd: agg.seqEnd,
        tsEnd: agg.atEnd,
        now,
      };
      const stored = insertReading.run(row).changes > 0 || (agg.seqEnd !== null && replaceReading.run(row).changes > 0);
      if (!stored) {
        duplicates++;
        continue;
      }
      readingsStored++;
      newest.set(sensor, Math.max(newest.get(sensor) ?? 0, r.at));
      if (agg.seqEnd !== null) deleteCovered.run(row);
    }
    for (const [sensor, at] of newest) touchSensor.run(at, sensor);

    const fresh: EventRecord[] = [];
    for (const e of plan.events) {
      const result = insertEvent.run(
        gw.pk,
        e.seq,
        e.at,
        e.type,
        e.sensorId ?? null,
        e.state ?? null,
        e.severity,
        e.severe === true ? 1 : 0,
        e.value ?? null,
        e.unit ?? null,
        e.threshold ?? null,
        e.message,
        e.clockSynced ? 1 : 0,
        e.data === undefined ? null : JSON.stringify(e.data),
        now,
      );
      if (result.changes > 0) fresh.push(e);
      else duplicates++;
    }
    const notifications = sqliteNotify(db, gw.pk, fresh.map(toPolicyEvent), policy, now);

    const pending = pendingOf.all(gw.pk) as Coverage[];
    const next = advanceWatermark(Number(gw.acked_seq), pending, batch);
    if (next.watermark !== Number(gw.acked_seq) || next.pending.length !== pending.length || next.pending.some((p, i) => p.afterSeq !== pending[i]?.afterSeq || p.lastSeq !== pending[i]?.lastSeq)) {
      clearPending.run(gw.pk);
      for (const p of next.pending) addPending.run(gw.pk, p.afterSeq, p.lastSeq);
      setWatermark.run(next.watermark, gw.pk);
    }
    return {
      ackedSeq: next.watermark,
      stored: readingsStored + fresh.length,
      duplicates,
      readingsStored,
      eventsStored: fresh.length,
      notifications,
    };
  });

  const sync: SyncOf<IngestRepository> = {
    ingest(gatewayId, batch, now, policy) {
      return ingest(gatewayId, batch, now, policy);
    },
  };
  return asyncOf(sync);
}
