/**
 * Keeping the rollups (db/schema.ts RollupsTable) exact inside ingest's own
 * transaction. New rows are added to their 5-minute and hourly buckets in one
 * upsert; only rows ingest actually inserted count, so a resent batch adds
 * nothing. When rows are replaced or deleted (a downsampled summary standing in
 * for raw rows) their buckets are recomputed from the readings, since a min or a
 * max cannot be subtracted.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ReadingRow } from '../db/bulk-readings.js';
import type { RollupsTable } from '../db/schema.js';
import { ROLLUP_SPANS_MS } from '../history-plan.js';

const FIVE_MINUTES = 300_000;
const HOUR = 3_600_000;

/** Every column is a plain number, so a rollup row is the table's row. */
type Rollup = RollupsTable;

type Contribution = Pick<ReadingRow, 'sensor_pk' | 'ts' | 'value' | 'min' | 'max' | 'cnt' | 'quality' | 'percent' | 'litres'>;

/** Adds newly stored rows to the rollups. */
export async function addToRollups(tx: Db, rows: readonly Contribution[]): Promise<void> {
  const buckets = new Map<string, Rollup>();
  for (const r of rows) {
    const ok = r.quality === 'ok';
    for (const span of ROLLUP_SPANS_MS) {
      const bucket = Math.floor(r.ts / span) * span;
      const key = `${r.sensor_pk}:${span}:${bucket}`;
      let b = buckets.get(key);
      if (b === undefined) {
        b = { sensor_pk: r.sensor_pk, span_ms: span, bucket, min: r.min, max: r.max, sum: 0, cnt: 0, ok_cnt: 0, pct_sum: 0, pct_cnt: 0, lit_sum: 0, lit_cnt: 0 };
        buckets.set(key, b);
      }
      b.min = Math.min(b.min, r.min);
      b.max = Math.max(b.max, r.max);
      b.sum += r.value * r.cnt;
      b.cnt += r.cnt;
      if (ok) {
        b.ok_cnt += r.cnt;
        if (r.percent !== null) {
          b.pct_sum += r.percent * r.cnt;
          b.pct_cnt += r.cnt;
        }
        if (r.litres !== null) {
          b.lit_sum += r.litres * r.cnt;
          b.lit_cnt += r.cnt;
        }
      }
    }
  }
  await tx.bulk.addRollups(tx.kysely, [...buckets.values()]);
}

/** Buckets whose rows were replaced or deleted, by sensor: recomputed by `recomputeRollups`. */
export class DirtyBuckets {
  readonly #buckets = new Map<string, { sensor: number; bucket: number }>();

  mark(sensor: number, ts: number): void {
    const bucket = Math.floor(ts / FIVE_MINUTES) * FIVE_MINUTES;
    this.#buckets.set(`${sensor}:${bucket}`, { sensor, bucket });
  }

  get size(): number {
    return this.#buckets.size;
  }

  values(): Iterable<{ sensor: number; bucket: number }> {
    return this.#buckets.values();
  }
}

const COLUMNS = ['sensor_pk', 'span_ms', 'bucket', 'min', 'max', 'sum', 'cnt', 'ok_cnt', 'pct_sum', 'pct_cnt', 'lit_sum', 'lit_cnt'] as const;

/** Rebuilds the marked 5-minute buckets from the readings, then their hours from the 5-minute rows. */
export async function recomputeRollups(tx: Db, dirty: DirtyBuckets): Promise<void> {
  const hours = new Map<string, { sensor: number; bucket: number }>();
  for (const { sensor, bucket } of dirty.values()) {
    await rebuild(tx, sensor, FIVE_MINUTES, bucket, () =>
      tx.kysely
        .selectFrom('readings')
        .select((eb) => [
          'sensor_pk',
          sql.lit(FIVE_MINUTES).as('span_ms'),
          sql.lit(bucket).as('bucket'),
          eb.fn.min('min').as('min'),
          eb.fn.max('max').as('max'),
          sql<number>`SUM(value * cnt)`.as('sum'),
          eb.fn.sum<number>('cnt').as('cnt'),
          sql<number>`SUM(CASE WHEN quality = 'ok' THEN cnt ELSE 0 END)`.as('ok_cnt'),
          sql<number>`COALESCE(SUM(CASE WHEN quality = 'ok' THEN percent * cnt END), 0)`.as('pct_sum'),
          sql<number>`SUM(CASE WHEN quality = 'ok' AND percent IS NOT NULL THEN cnt ELSE 0 END)`.as('pct_cnt'),
          sql<number>`COALESCE(SUM(CASE WHEN quality = 'ok' THEN litres * cnt END), 0)`.as('lit_sum'),
          sql<number>`SUM(CASE WHEN quality = 'ok' AND litres IS NOT NULL THEN cnt ELSE 0 END)`.as('lit_cnt'),
        ])
        .where('sensor_pk', '=', sensor)
        .where('ts', '>=', bucket)
        .where('ts', '<', bucket + FIVE_MINUTES)
        .groupBy('sensor_pk'),
    );
    const hour = Math.floor(bucket / HOUR) * HOUR;
    hours.set(`${sensor}:${hour}`, { sensor, bucket: hour });
  }
  for (const { sensor, bucket } of hours.values()) {
    await rebuild(tx, sensor, HOUR, bucket, () =>
      tx.kysely
        .selectFrom('rollups')
        .select((eb) => [
          'sensor_pk',
          sql.lit(HOUR).as('span_ms'),
          sql.lit(bucket).as('bucket'),
          eb.fn.min('min').as('min'),
          eb.fn.max('max').as('max'),
          ...(['sum', 'cnt', 'ok_cnt', 'pct_sum', 'pct_cnt', 'lit_sum', 'lit_cnt'] as const).map((c) => eb.fn.sum<number>(c).as(c)),
        ])
        .where('sensor_pk', '=', sensor)
        .where('span_ms', '=', FIVE_MINUTES)
        .where('bucket', '>=', bucket)
        .where('bucket', '<', bucket + HOUR)
        .groupBy('sensor_pk'),
    );
  }
}

async function rebuild(tx: Db, sensor: number, span: number, bucket: number, source: () => Parameters<ReturnType<Db['kysely']['insertInto']>['expression']>[0]): Promise<void> {
  await tx.kysely.deleteFrom('rollups').where('sensor_pk', '=', sensor).where('span_ms', '=', span).where('bucket', '=', bucket).execute();
  await tx.kysely.insertInto('rollups').columns([...COLUMNS]).expression(source()).execute();
}
