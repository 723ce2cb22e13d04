/**
 * The numbers a readings row stores instead of text (schema v2): a series per
 * (sensor id, kind, unit) and a code per quality. Looked up in memory, added to
 * their tables on first use. Build one per write transaction: an id added inside a
 * transaction that rolls back must not outlive it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ReadingRow } from './row-codec.js';

interface Series {
  readonly kind: string;
  readonly unit: string;
  readonly id: number;
}

export class ReadingIds {
  /** By sensor id, then a short list: no key string is built per row (this runs for every reading transferred). */
  readonly #series = new Map<string, Series[]>();
  readonly #qualities = new Map<string, number>();
  readonly #addSeries: BetterSqlite3.Statement;
  readonly #addQuality: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    const series = db.prepare('SELECT id, sensor_id, kind, unit FROM series').all() as
      { id: number; sensor_id: string; kind: string; unit: string }[];
    for (const s of series) this.#remember(s.sensor_id, { kind: s.kind, unit: s.unit, id: s.id });
    const qualities = db.prepare('SELECT code, name FROM qualities').all() as { code: number; name: string }[];
    for (const q of qualities) this.#qualities.set(q.name, q.code);
    this.#addSeries = db.prepare('INSERT INTO series (sensor_id, kind, unit) VALUES (?, ?, ?) RETURNING id').pluck();
    this.#addQuality = db.prepare('INSERT INTO qualities (name) VALUES (?) RETURNING code').pluck();
  }

  series(row: Pick<ReadingRow, 'sensor_id' | 'kind' | 'unit'>): number {
    const known = this.#series.get(row.sensor_id);
    if (known !== undefined) {
      for (const s of known) if (s.kind === row.kind && s.unit === row.unit) return s.id;
    }
    const id = this.#addSeries.get(row.sensor_id, row.kind, row.unit) as number;
    this.#remember(row.sensor_id, { kind: row.kind, unit: row.unit, id });
    return id;
  }

  quality(name: string): number {
    let code = this.#qualities.get(name);
    if (code === undefined) {
      code = this.#addQuality.get(name) as number;
      this.#qualities.set(name, code);
    }
    return code;
  }

  #remember(sensorId: string, series: Series): void {
    const list = this.#series.get(sensorId);
    if (list === undefined) this.#series.set(sensorId, [series]);
    else list.push(series);
  }
}
