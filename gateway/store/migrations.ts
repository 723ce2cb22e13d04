/**
 * The store's schema, as an ordered list of migrations tracked in PRAGMA
 * user_version. Each runs in its own transaction; a database from a newer
 * easygas is refused with a clear error and left untouched.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './store-errors.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: BetterSqlite3.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'readings, events, meta, counters',
    up: (db) =>
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        CREATE TABLE counters (
          name  TEXT PRIMARY KEY,
          value INTEGER NOT NULL DEFAULT 0
        );
        -- seq is allocated by the store (shared with events), never by SQLite.
        -- seq_end, ts_end, min, max, count are set on downsampled rows only.
        CREATE TABLE readings (
          seq          INTEGER PRIMARY KEY,
          sensor_id    TEXT    NOT NULL,
          kind         TEXT    NOT NULL,
          ts           INTEGER NOT NULL,
          value        REAL    NOT NULL,
          raw          REAL,
          percent      REAL,
          litres       REAL,
          ppm          REAL,
          unit         TEXT    NOT NULL,
          quality      TEXT    NOT NULL,
          clock_synced INTEGER NOT NULL,
          seq_end      INTEGER,
          ts_end       INTEGER,
          min          REAL,
          max          REAL,
          count        INTEGER
        );
        CREATE INDEX readings_sensor_ts ON readings (sensor_id, ts);
        CREATE TABLE events (
          seq          INTEGER PRIMARY KEY,
          ts           INTEGER NOT NULL,
          type         TEXT    NOT NULL,
          sensor_id    TEXT,
          state        TEXT,
          severity     TEXT    NOT NULL,
          severe       INTEGER NOT NULL DEFAULT 0,
          value        REAL,
          unit         TEXT,
          threshold    REAL,
          message      TEXT    NOT NULL,
          clock_synced INTEGER NOT NULL,
          data         TEXT,
          -- The writing client's message reference: a resent event is found, not inserted twice.
          ref          TEXT
        );
        CREATE INDEX events_ts ON events (ts);
        CREATE INDEX events_sensor_type ON events (sensor_id, type, seq);
        CREATE UNIQUE INDEX events_ref ON events (ref) WHERE ref IS NOT NULL;
      `),
  },
  {
    // Readings are most of the file and of every byte written to the SD card. Their
    // repeated text (sensor id, kind, unit, quality: about 20 bytes a row, and again in
    // the index) becomes a small integer, and a downsampled row's five columns one; the
    // view reading_rows shows rows as before.
    version: 2,
    description: 'readings refer to series and qualities by number; view reading_rows',
    up: (db) =>
      db.exec(`
        CREATE TABLE series (
          id        INTEGER PRIMARY KEY,
          sensor_id TEXT NOT NULL,
          kind      TEXT NOT NULL,
          unit      TEXT NOT NULL,
          UNIQUE (sensor_id, kind, unit)
        );
        -- Code 0 is stored in no bytes at all: the commonest quality gets it.
        CREATE TABLE qualities (
          code INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        );
        INSERT INTO qualities (code, name) VALUES (0, 'ok'), (1, 'warming_up'), (2, 'out_of_range'), (3, 'stuck'), (4, 'noisy');
        INSERT INTO series (sensor_id, kind, unit) SELECT DISTINCT sensor_id, kind, unit FROM readings ORDER BY 1, 2, 3;
        INSERT OR IGNORE INTO qualities (name) SELECT DISTINCT quality FROM readings;
        CREATE TABLE readings_v2 (
          seq          INTEGER PRIMARY KEY,
          series       INTEGER NOT NULL,
          ts           INTEGER NOT NULL,
          value        REAL    NOT NULL,
          raw          REAL,
          percent      REAL,
          litres       REAL,
          ppm          REAL,
          quality      INTEGER NOT NULL,
          clock_synced INTEGER NOT NULL,
          -- A downsampled row's [seq_end, ts_end, min, max, count]; NULL (one header byte) on raw rows.
          summary      TEXT
        );
        INSERT INTO readings_v2
          SELECT r.seq, s.id, r.ts, r.value, r.raw, r.percent, r.litres, r.ppm, q.code, r.clock_synced,
                 CASE WHEN r.seq_end IS NOT NULL THEN json_array(r.seq_end, r.ts_end, r.min, r.max, r.count) END
          FROM readings AS r
          JOIN series AS s ON s.sensor_id = r.sensor_id AND s.kind = r.kind AND s.unit = r.unit
          JOIN qualities AS q ON q.name = r.quality;
        DROP TABLE readings;
        ALTER TABLE readings_v2 RENAME TO readings;
        CREATE INDEX readings_series_ts ON readings (series, ts);
        CREATE VIEW reading_rows AS
          SELECT r.seq, s.sensor_id, s.kind, r.ts, r.value, r.raw, r.percent, r.litres, r.ppm, s.unit,
                 q.name AS quality, r.clock_synced, r.summary ->> 0 AS seq_end, r.summary ->> 1 AS ts_end,
                 r.summary ->> 2 AS min, r.summary ->> 3 AS max, r.summary ->> 4 AS count, r.series
          FROM readings AS r
          JOIN series AS s ON s.id = r.series
          JOIN qualities AS q ON q.code = r.quality;
      `),
  },
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws StoreError('newer_schema') when the file is newer than `migrations` know; call before changing anything. */
export function assertKnownSchema(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const from = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    const path = db.name;
    throw new StoreError(
      'newer_schema',
      `${path} has schema version ${from}; this easygas knows up to ${latest}`,
      'The database was written by a newer easygas. Upgrade easygas, or point --data-dir at another ' +
        'directory; the file is left untouched.',
    );
  }
  return from;
}

/** Brings the schema to the latest version; throws StoreError('newer_schema') on a newer file. */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  const from = assertKnownSchema(db, migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      // user_version lives in the file header and commits with the transaction.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}
