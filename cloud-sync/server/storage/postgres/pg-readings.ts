/** Sensors and the reading queries (latest, bucketed history, level series) on PostgreSQL. */
import type pg from 'pg';
import type { ReadingRepository } from '../repository.js';
import { numOrNull } from '../rows.js';
import { readingFromRow, SENSOR_COLUMNS, sensorFromRow, type SensorRow } from '../row-mappers.js';
import { parseCloudSensorId } from '../sensor-ids.js';
import type { HistoryPoint, LevelPoint } from '../types.js';

/** The history aggregate, also run bare by the benchmark as its baseline. */
export const PG_HISTORY_SQL = `SELECT (ts / $4::bigint) * $4::bigint AS at, MIN(min) AS min, MAX(max) AS max,
    SUM(value * cnt) / SUM(cnt) AS avg, SUM(cnt) AS count
  FROM readings WHERE sensor_pk = $1 AND ts >= $2 AND ts < $3 GROUP BY 1 ORDER BY 1`;

export function pgReadings(pool: pg.Pool): ReadingRepository {
  return {
    async listSensors(userId) {
      const { rows } = await pool.query<SensorRow>(
        `SELECT ${SENSOR_COLUMNS} FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE g.user_id = $1 ORDER BY g.created_at, s.local_id`,
        [userId],
      );
      return rows.map(sensorFromRow);
    },
    async sensor(userId, id) {
      const ref = parseCloudSensorId(id);
      if (ref === undefined) return undefined;
      const { rows } = await pool.query<SensorRow>(
        `SELECT ${SENSOR_COLUMNS} FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE g.id = $1 AND g.user_id = $2 AND s.local_id = $3`,
        [ref.gatewayId, userId, ref.sensorId],
      );
      return rows[0] === undefined ? undefined : sensorFromRow(rows[0]);
    },
    async latest(sensorKey) {
      const { rows } = await pool.query<Record<string, unknown>>('SELECT * FROM readings WHERE sensor_pk = $1 ORDER BY ts DESC LIMIT 1', [sensorKey]);
      return rows[0] === undefined ? undefined : readingFromRow(rows[0]);
    },
    async history(sensorKey, from, to, bucketMs) {
      const { rows } = await pool.query<Record<string, number>>(PG_HISTORY_SQL, [sensorKey, from, to, bucketMs]);
      return rows.map((r): HistoryPoint => ({ at: Number(r.at), min: Number(r.min), avg: Number(r.avg), max: Number(r.max), count: Number(r.count) }));
    },
    async levelSeries(sensorKey, from, to, bucketMs) {
      const { rows } = await pool.query<Record<string, number | null>>(
        `SELECT (ts / $4::bigint) * $4::bigint AS at,
           SUM(percent * cnt) / NULLIF(SUM(CASE WHEN percent IS NULL THEN 0 ELSE cnt END), 0) AS percent,
           SUM(litres * cnt) / NULLIF(SUM(CASE WHEN litres IS NULL THEN 0 ELSE cnt END), 0) AS litres
         FROM readings WHERE sensor_pk = $1 AND ts >= $2 AND ts < $3 AND quality = 'ok' GROUP BY 1 ORDER BY 1`,
        [sensorKey, from, to, bucketMs],
      );
      return rows.map((r): LevelPoint => ({ at: Number(r.at), percent: numOrNull(r.percent), litres: numOrNull(r.litres) }));
    },
  };
}
