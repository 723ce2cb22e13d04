/**
 * The same-run baselines of the cloud benchmark, straight to the database the API
 * runs on: raw batched inserts of the same rows into the same readings table, a bulk
 * load for the history test, and the history aggregate SQL run directly.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ReadingRecord } from '../../cloud-sync/protocol/index.js';
import { SENSORS } from './cloud-fixtures.js';

/**
 * The history aggregate over the raw readings, as the cloud ran it before rollups
 * (and still runs it for the few minutes at each end of a range). better-sqlite3
 * binds JS numbers as REAL: the bucket is cast so the division is integral.
 */
const SQLITE_HISTORY_SQL = `SELECT (ts / CAST(@bucket AS INTEGER)) * CAST(@bucket AS INTEGER) AS at, MIN(min) AS min, MAX(max) AS max,
    SUM(value * cnt) / SUM(cnt) AS avg, SUM(cnt) AS count
  FROM readings WHERE sensor_pk = @sensor AND ts >= @from AND ts < @to GROUP BY (ts / CAST(@bucket AS INTEGER)) ORDER BY at`;
const PG_HISTORY_SQL = `SELECT (ts / $4::bigint) * $4::bigint AS at, MIN(min) AS min, MAX(max) AS max,
    SUM(value * cnt) / SUM(cnt) AS avg, SUM(cnt) AS count
  FROM readings WHERE sensor_pk = $1 AND ts >= $2 AND ts < $3 GROUP BY 1 ORDER BY 1`;

export interface Baseline {
  /** Inserts each gateway's batches (one transaction per batch) under fresh gateways; returns rows/s. */
  insertRate(perGateway: readonly (readonly (readonly ReadingRecord[])[])[]): Promise<number>;
  /** Loads `count` readings of one existing sensor, spread over `span` ms from `from`; returns its key. */
  bulkLoad(gatewayId: string, sensorId: string, count: number, from: number, span: number): Promise<number>;
  /** Runs the history aggregate; returns the number of buckets. */
  history(sensorKey: number, from: number, to: number, bucketMs: number): Promise<number>;
  close(): Promise<void>;
}

const LOAD_CHUNK = 10_000;

/**
 * The rollups ingest would have kept for rows loaded straight into the table (the
 * migration's backfill, for one sensor), with `$1` the sensor; skipped on a
 * storage without rollups (the bench then measures the storage before them).
 */
const ROLLUPS_5M = `INSERT INTO rollups (sensor_pk, span_ms, bucket, min, max, sum, cnt, ok_cnt, pct_sum, pct_cnt, lit_sum, lit_cnt)
  SELECT sensor_pk, 300000, (ts / 300000) * 300000, MIN(min), MAX(max), SUM(value * cnt), SUM(cnt), SUM(CASE WHEN quality = 'ok' THEN cnt ELSE 0 END),
    COALESCE(SUM(CASE WHEN quality = 'ok' THEN percent * cnt END), 0), SUM(CASE WHEN quality = 'ok' AND percent IS NOT NULL THEN cnt ELSE 0 END),
    COALESCE(SUM(CASE WHEN quality = 'ok' THEN litres * cnt END), 0), SUM(CASE WHEN quality = 'ok' AND litres IS NOT NULL THEN cnt ELSE 0 END)
  FROM readings WHERE sensor_pk = $1 GROUP BY sensor_pk, ts / 300000`;
const ROLLUPS_1H = `INSERT INTO rollups (sensor_pk, span_ms, bucket, min, max, sum, cnt, ok_cnt, pct_sum, pct_cnt, lit_sum, lit_cnt)
  SELECT sensor_pk, 3600000, (bucket / 3600000) * 3600000, MIN(min), MAX(max), SUM(sum), SUM(cnt), SUM(ok_cnt), SUM(pct_sum), SUM(pct_cnt), SUM(lit_sum), SUM(lit_cnt)
  FROM rollups WHERE sensor_pk = $1 AND span_ms = 300000 GROUP BY sensor_pk, bucket / 3600000`;

function rowValues(r: ReadingRecord): readonly (number | string | null)[] {
  return [r.seq, r.at, r.value, r.unit, r.raw ?? null, r.percent ?? null, r.litres ?? null, r.ppm ?? null, r.quality, r.value, r.value];
}

export function openSqliteBaseline(file: string): Baseline {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `INSERT INTO readings (gateway_pk, seq, sensor_pk, ts, value, unit, raw, percent, litres, ppm, quality, clock_synced, min, max, cnt, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1, 0)`,
  );
  const newGateway = (): { pk: number; sensors: Map<string, number> } => {
    const owner = db.prepare('SELECT id FROM users LIMIT 1').get() as { id: string };
    const pk = Number(db.prepare("INSERT INTO gateways (id, user_id, name, created_at, updated_at) VALUES (?, ?, 'baseline', 0, 0)").run(randomUUID(), owner.id).lastInsertRowid);
    const sensors = new Map<string, number>();
    for (const id of SENSORS) {
      sensors.set(id, Number(db.prepare("INSERT INTO sensors (gateway_pk, local_id, kind, first_seen_at, updated_at) VALUES (?, ?, 'level', 0, 0)").run(pk, id).lastInsertRowid));
    }
    return { pk, sensors };
  };
  return {
    insertRate(perGateway) {
      const targets = perGateway.map(() => newGateway());
      const write = db.transaction((gw: { pk: number; sensors: Map<string, number> }, rows: readonly ReadingRecord[]) => {
        for (const r of rows) {
          const [seq, ...rest] = rowValues(r);
          insert.run(gw.pk, seq, gw.sensors.get(r.sensorId) ?? 0, ...rest);
        }
      });
      let rows = 0;
      const began = performance.now();
      const rounds = Math.max(...perGateway.map((batches) => batches.length));
      for (let b = 0; b < rounds; b++) {
        perGateway.forEach((batches, g) => {
          const batch = batches[b];
          const gw = targets[g];
          if (batch === undefined || gw === undefined) return;
          write(gw, batch);
          rows += batch.length;
        });
      }
      return Promise.resolve((rows * 1000) / (performance.now() - began));
    },
    bulkLoad(gatewayId, sensorId, count, from, span) {
      const sensor = db
        .prepare('SELECT s.pk, s.gateway_pk FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE g.id = ? AND s.local_id = ?')
        .get(gatewayId, sensorId) as { pk: number; gateway_pk: number };
      const load = db.transaction((first: number, last: number) => {
        for (let i = first; i < last; i++) {
          const value = 80 - (i % 5000) / 100;
          insert.run(sensor.gateway_pk, i + 1, sensor.pk, from + Math.floor((i * span) / count), value, '%', null, value, null, null, 'ok', value, value);
        }
      });
      for (let i = 0; i < count; i += LOAD_CHUNK) load(i, Math.min(count, i + LOAD_CHUNK));
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'rollups'").get() !== undefined) {
        db.prepare(ROLLUPS_5M.replace('$1', '?')).run(sensor.pk);
        db.prepare(ROLLUPS_1H.replace('$1', '?')).run(sensor.pk);
      }
      db.exec('ANALYZE');
      return Promise.resolve(sensor.pk);
    },
    history(sensorKey, from, to, bucketMs) {
      return Promise.resolve(db.prepare(SQLITE_HISTORY_SQL).all({ bucket: bucketMs, sensor: sensorKey, from, to }).length);
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

const PG_INSERT = `INSERT INTO readings (gateway_pk, seq, sensor_pk, ts, value, unit, raw, percent, litres, ppm, quality, clock_synced, min, max, cnt, received_at)
  SELECT $1, t.seq, t.sensor, t.ts, t.value, t.unit, t.raw, t.percent, t.litres, t.ppm, t.quality, TRUE, t.value, t.value, 1, 0
  FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::float8[], $6::text[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::text[])
    AS t(seq, sensor, ts, value, unit, raw, percent, litres, ppm, quality)`;

export function openPostgresBaseline(url: string, schema: string): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  const one = async <T>(sql: string, params: unknown[]): Promise<T> => {
    const { rows } = await pool.query(sql, params);
    return rows[0] as T;
  };
  const insertRows = async (gatewayPk: number, sensorOf: (r: ReadingRecord) => number, rows: readonly ReadingRecord[]): Promise<void> => {
    await pool.query(PG_INSERT, [
      gatewayPk,
      rows.map((r) => r.seq),
      rows.map(sensorOf),
      rows.map((r) => r.at),
      rows.map((r) => r.value),
      rows.map((r) => r.unit),
      rows.map((r) => r.raw ?? null),
      rows.map((r) => r.percent ?? null),
      rows.map((r) => r.litres ?? null),
      rows.map((r) => r.ppm ?? null),
      rows.map((r) => r.quality),
    ]);
  };
  return Promise.resolve({
    async insertRate(perGateway) {
      const owner = await one<{ id: string }>('SELECT id FROM users LIMIT 1', []);
      const targets: { pk: number; sensors: Map<string, number> }[] = [];
      for (let g = 0; g < perGateway.length; g++) {
        const gw = await one<{ pk: string }>("INSERT INTO gateways (id, user_id, name, created_at, updated_at) VALUES ($1, $2, 'baseline', 0, 0) RETURNING pk", [randomUUID(), owner.id]);
        const sensors = new Map<string, number>();
        for (const id of SENSORS) {
          const s = await one<{ pk: string }>("INSERT INTO sensors (gateway_pk, local_id, kind, first_seen_at, updated_at) VALUES ($1, $2, 'level', 0, 0) RETURNING pk", [gw.pk, id]);
          sensors.set(id, Number(s.pk));
        }
        targets.push({ pk: Number(gw.pk), sensors });
      }
      let rows = 0;
      const began = performance.now();
      await Promise.all(
        perGateway.map(async (batches, g) => {
          const gw = targets[g];
          if (gw === undefined) return;
          for (const batch of batches) {
            await insertRows(gw.pk, (r) => gw.sensors.get(r.sensorId) ?? 0, batch);
            rows += batch.length;
          }
        }),
      );
      return (rows * 1000) / (performance.now() - began);
    },
    async bulkLoad(gatewayId, sensorId, count, from, span) {
      const sensor = await one<{ pk: string; gateway_pk: string }>(
        'SELECT s.pk, s.gateway_pk FROM sensors s JOIN gateways g ON g.pk = s.gateway_pk WHERE g.id = $1 AND s.local_id = $2',
        [gatewayId, sensorId],
      );
      const key = Number(sensor.pk);
      for (let i = 0; i < count; i += LOAD_CHUNK) {
        const rows: ReadingRecord[] = [];
        for (let j = i; j < Math.min(count, i + LOAD_CHUNK); j++) {
          const value = 80 - (j % 5000) / 100;
          rows.push({ record: 'reading', seq: j + 1, sensorId, sensorKind: 'level', at: from + Math.floor((j * span) / count), value, unit: '%', percent: value, quality: 'ok', clockSynced: true });
        }
        await insertRows(Number(sensor.gateway_pk), () => key, rows);
      }
      const rollups = (await pool.query("SELECT to_regclass('rollups') IS NOT NULL AS present")).rows[0] as { present: boolean };
      if (rollups.present) {
        await pool.query(ROLLUPS_5M, [key]);
        await pool.query(ROLLUPS_1H, [key]);
        await pool.query('VACUUM ANALYZE rollups');
      }
      // The steady state a live database reaches through autovacuum: statistics and a visibility map.
      await pool.query('VACUUM ANALYZE readings');
      return key;
    },
    async history(sensorKey, from, to, bucketMs) {
      const { rows } = await pool.query(PG_HISTORY_SQL, [sensorKey, from, to, bucketMs]);
      return rows.length;
    },
    close: () => pool.end(),
  });
}

/** The baseline on the target's own database. */
export function openBaseline(target: { readonly db: string; readonly pgSchema?: string }): Promise<Baseline> {
  return target.pgSchema === undefined ? Promise.resolve(openSqliteBaseline(target.db)) : openPostgresBaseline(target.db, target.pgSchema);
}
