/** Sensors and the reading queries (latest, bucketed history, level series) on SQLite. */
import type { Database } from 'better-sqlite3';
import { asyncOf, type SyncOf } from './sync-adapter.js';
import type { ReadingRepository } from '../repository.js';
import { numOrNull } from '../rows.js';
import { readingFromRow, SENSOR_COLUMNS, sensorFromRow, type SensorRow } from '../row-mappers.js';
import { parseCloudSensorId } from '../sensor-ids.js';
import type { HistoryPoint, LevelPoint } from '../types.js';

/**
 * The history aggregate, also run bare by the benchmark as its baseline.
 * better-sqlite3 binds JS numbers as REAL: the bucket is cast so the division is integral.
 */
export const SQLITE_HISTORY_SQL = `SELECT (ts / CAST(@bucket AS INTEGER)) * CAST(@bucket AS INTEGER) AS at, MIN(min) AS min, MAX(max) AS max,
    SUM(value * cnt) / SUM(cnt) AS avg, SUM(cnt) AS count
  FROM readings WHERE sensor_pk = @sensor AND ts >= @from AND ts < @to GROUP BY (ts / CAST(@bucket AS INTEGER)) ORDER BY at`;

export function sqliteReadings(db: Database): ReadingRepository {
  const history = db.prepare(SQLITE_HISTORY_SQL);
  const levels = db.prepare(
    `SELECT (ts / CAST(@bucket AS INTEGER)) * CAST(@bucket AS INTEGER) AS at,
       SUM(percent * cnt) / NULLIF(SUM(CASE WHEN percent IS NULL THEN 0 ELSE cnt END), 0) AS percent,
       SUM(litres * cnt) / NULLIF(SUM(CASE WHEN litres IS NULL THEN 0 ELSE cnt END), 0) AS litres
     FROM readings WHERE sensor_pk = @sensor AND ts >= @from AND ts < @to AND quality = 'ok' GROUP BY (ts / CAST(@bucket AS INTEGER)) ORDER BY at`,
  );
  const sync: SyncOf<ReadingRepository> = {
    listSensors(userId) {
      const rows = db
        .prepare(`SELECT ${SENSOR_COLUMNS} FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE g.user_id = ? ORDER BY g.created_at, s.local_id`)
        .all(userId) as SensorRow[];
      return rows.map(sensorFromRow);
    },
    sensor(userId, id) {
      const ref = parseCloudSensorId(id);
      if (ref === undefined) return undefined;
      const row = db
        .prepare(`SELECT ${SENSOR_COLUMNS} FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE g.id = ? AND g.user_id = ? AND s.local_id = ?`)
        .get(ref.gatewayId, userId, ref.sensorId) as SensorRow | undefined;
      return row === undefined ? undefined : sensorFromRow(row);
    },
    latest(sensorKey) {
      const row = db.prepare('SELECT * FROM readings WHERE sensor_pk = ? ORDER BY ts DESC LIMIT 1').get(sensorKey) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : readingFromRow(row);
    },
    history(sensorKey, from, to, bucketMs) {
      const rows = history.all({ bucket: bucketMs, sensor: sensorKey, from, to }) as Record<string, number>[];
      return rows.map(
        (r): HistoryPoint => ({ at: Number(r.at), min: Number(r.min), avg: Number(r.avg), max: Number(r.max), count: Number(r.count) }),
      );
    },
    levelSeries(sensorKey, from, to, bucketMs) {
      const rows = levels.all({ bucket: bucketMs, sensor: sensorKey, from, to }) as Record<string, number | null>[];
      return rows.map((r): LevelPoint => ({ at: Number(r.at), percent: numOrNull(r.percent), litres: numOrNull(r.litres) }));
    },
  };
  return asyncOf(sync);
}
