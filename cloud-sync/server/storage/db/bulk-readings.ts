/**
 * The reading upsert of ingest, the hot path, written per database because the
 * fast form differs (the issue's "tuned ingest upsert"): PostgreSQL takes the whole
 * batch as column arrays through unnest() in one round trip; SQLite, in process,
 * runs one cached prepared statement per row on the connection the transaction
 * holds, which measured ~1.5× faster than a multi-row VALUES the query builder compiles.
 * Both insert only rows whose (gateway, seq) is new and return their seqs. The
 * rollup upsert that follows is the same story: one multi-row statement on
 * PostgreSQL, a cached statement per bucket on SQLite.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DB, RollupsTable } from './schema.js';

export interface ReadingRow {
  readonly gateway_pk: number;
  readonly seq: number;
  readonly sensor_pk: number;
  readonly ts: number;
  readonly value: number;
  readonly unit: string;
  readonly raw: number | null;
  readonly percent: number | null;
  readonly litres: number | null;
  readonly ppm: number | null;
  readonly quality: string;
  readonly clock_synced: boolean;
  readonly min: number;
  readonly max: number;
  readonly cnt: number;
  readonly seq_end: number | null;
  readonly ts_end: number | null;
  readonly received_at: number;
}

export interface BulkReadings {
  /** Inserts the rows new on (gateway, seq), inside the open transaction `tx`; returns their seqs. */
  insertNew(tx: Kysely<DB>, rows: readonly ReadingRow[]): Promise<number[]>;
  /** Adds each bucket's aggregates into the stored bucket (min of mins, sums of sums), inside `tx`. */
  addRollups(tx: Kysely<DB>, buckets: readonly RollupsTable[]): Promise<void>;
}

const ROLLUP_COLUMNS = ['sensor_pk', 'span_ms', 'bucket', 'min', 'max', 'sum', 'cnt', 'ok_cnt', 'pct_sum', 'pct_cnt', 'lit_sum', 'lit_cnt'] as const;
const SUMMED = ['sum', 'cnt', 'ok_cnt', 'pct_sum', 'pct_cnt', 'lit_sum', 'lit_cnt'] as const;
/** CASE rather than LEAST/GREATEST (PostgreSQL) or two-argument MIN/MAX (SQLite): the same SQL on both. */
const MERGE_ROLLUP = `min = CASE WHEN excluded.min < rollups.min THEN excluded.min ELSE rollups.min END,
  max = CASE WHEN excluded.max > rollups.max THEN excluded.max ELSE rollups.max END,
  ${SUMMED.map((c) => `${c} = rollups.${c} + excluded.${c}`).join(', ')}`;
/** Rows per PostgreSQL upsert: 12 parameters each. */
const ROLLUP_CHUNK = 500;

const COLUMNS = [
  'gateway_pk', 'seq', 'sensor_pk', 'ts', 'value', 'unit', 'raw', 'percent', 'litres', 'ppm', 'quality', 'clock_synced',
  'min', 'max', 'cnt', 'seq_end', 'ts_end', 'received_at',
] as const;

export function sqliteBulkReadings(native: BetterSqlite3.Database): BulkReadings {
  let insert: BetterSqlite3.Statement | undefined;
  let upsertRollup: BetterSqlite3.Statement | undefined;
  return {
    addRollups(tx, buckets) {
      if (!tx.isTransaction) return Promise.reject(new Error('addRollups must run inside a transaction'));
      upsertRollup ??= native.prepare(
        `INSERT INTO rollups (${ROLLUP_COLUMNS.join(', ')}) VALUES (${ROLLUP_COLUMNS.map((c) => `@${c}`).join(', ')})
         ON CONFLICT (sensor_pk, span_ms, bucket) DO UPDATE SET ${MERGE_ROLLUP}`,
      );
      try {
        for (const bucket of buckets) upsertRollup.run(bucket);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return Promise.resolve();
    },
    insertNew(tx, rows) {
      // The native statement runs on the one connection, so it is inside tx only while tx is open.
      if (!tx.isTransaction) return Promise.reject(new Error('insertNew must run inside a transaction'));
      insert ??= native.prepare(
        `INSERT INTO readings (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT (gateway_pk, seq) DO NOTHING`,
      );
      const fresh: number[] = [];
      try {
        for (const row of rows) if (insert.run({ ...row, clock_synced: row.clock_synced ? 1 : 0 }).changes > 0) fresh.push(row.seq);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return Promise.resolve(fresh);
    },
  };
}

export const postgresBulkReadings: BulkReadings = {
  async addRollups(tx, buckets) {
    for (let i = 0; i < buckets.length; i += ROLLUP_CHUNK) {
      await tx
        .insertInto('rollups')
        .values(buckets.slice(i, i + ROLLUP_CHUNK))
        .onConflict((oc) =>
          oc.columns(['sensor_pk', 'span_ms', 'bucket']).doUpdateSet((eb) => ({
            min: sql<number>`CASE WHEN excluded.min < rollups.min THEN excluded.min ELSE rollups.min END`,
            max: sql<number>`CASE WHEN excluded.max > rollups.max THEN excluded.max ELSE rollups.max END`,
            ...Object.fromEntries(SUMMED.map((c) => [c, eb(`rollups.${c}`, '+', eb.ref(`excluded.${c}`))])),
          })),
        )
        .execute();
    }
  },
  async insertNew(tx, rows) {
    if (rows.length === 0) return [];
    const column = <K extends (typeof COLUMNS)[number]>(name: K): ReadingRow[K][] => rows.map((r) => r[name]);
    const { rows: inserted } = await sql<{ seq: number }>`INSERT INTO readings (${sql.raw(COLUMNS.join(', '))})
      SELECT * FROM unnest(${column('gateway_pk')}::bigint[], ${column('seq')}::bigint[], ${column('sensor_pk')}::bigint[],
        ${column('ts')}::bigint[], ${column('value')}::float8[], ${column('unit')}::text[], ${column('raw')}::float8[],
        ${column('percent')}::float8[], ${column('litres')}::float8[], ${column('ppm')}::float8[], ${column('quality')}::text[],
        ${column('clock_synced')}::bool[], ${column('min')}::float8[], ${column('max')}::float8[], ${column('cnt')}::int[],
        ${column('seq_end')}::bigint[], ${column('ts_end')}::bigint[], ${column('received_at')}::bigint[])
      ON CONFLICT (gateway_pk, seq) DO NOTHING RETURNING seq`.execute(tx);
    return inserted.map((r) => Number(r.seq));
  },
};
