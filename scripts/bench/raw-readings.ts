/**
 * The baselines' raw INSERT of a reading into the store's schema: the row as
 * SQLite keeps it (series and quality as numbers, resolved from a Map), with none
 * of the store's journal, interning per transfer, or bookkeeping around it.
 */
import type Database from 'better-sqlite3';
import type { Reading } from '../../gateway/pipeline/types.js';

export type RawInsert = (seq: number, r: Reading) => void;

export function rawReadingInsert(db: Database.Database): RawInsert {
  const insert = db.prepare(
    'INSERT INTO readings (seq, series, ts, value, raw, percent, litres, ppm, quality, clock_synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const addSeries = db.prepare('INSERT INTO series (sensor_id, kind, unit) VALUES (?, ?, ?) RETURNING id').pluck();
  const qualities = new Map(
    (db.prepare('SELECT name, code FROM qualities').all() as { name: string; code: number }[]).map((q) => [q.name, q.code]),
  );
  const series = new Map<string, number>();
  return (seq, r) => {
    const key = `${r.sensorId}\u0000${r.kind}\u0000${r.unit}`;
    let id = series.get(key);
    if (id === undefined) {
      id = addSeries.get(r.sensorId, r.kind, r.unit) as number;
      series.set(key, id);
    }
    insert.run(seq, id, Math.round(r.at), r.value, r.raw, r.percent ?? null, r.litres ?? null, r.ppm ?? null,
      qualities.get(r.quality) ?? 0, r.clockSynced ? 1 : 0);
  };
}
