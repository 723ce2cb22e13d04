/**
 * The SQL of GatewayStore, prepared once per connection. Queries lean on the
 * schema's indexes: seq is the rowid, readings(series, ts), events(ref). Readings are
 * read through the view reading_rows, which puts the series' and quality's text back.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { assertKnownSchema, migrate } from './migrations.js';
import { EVENT_COLUMNS, INSERT_EVENT_SQL, INSERT_READING_OR_IGNORE_SQL, READING_COLUMNS } from './row-codec.js';
import { StoreError } from './store-errors.js';

/**
 * Pragmas and schema of a store connection: WAL, synchronous=NORMAL (transfers and
 * events switch to FULL), incremental auto-vacuum on a new file, then migrations.
 * A database from a newer easygas is refused before anything changes.
 */
export function configureConnection(db: BetterSqlite3.Database, path: string): void {
  // Before the first read: in WAL mode an exclusive connection keeps its wal-index in
  // its own memory instead of the mmapped -shm file, whose pages the kernel writes back
  // every 30 s (about 17 bytes per reading on the SD card). Only the daemon's store opens the file.
  db.pragma('locking_mode = EXCLUSIVE');
  const fresh = assertKnownSchema(db) === 0;
  // auto_vacuum takes effect only if set before the first table is created.
  if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') {
    throw new StoreError('unavailable', `${path}: cannot switch to WAL (journal_mode is ${String(mode)})`,
      'The data directory must be on a local file system that supports shared memory (not NFS).');
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('journal_size_limit = 4194304'); // truncate the WAL back to 4 MiB after a checkpoint
  // 1 MiB of page cache instead of SQLite's 2 MiB: writes append at the B-trees' right
  // edges and reads walk seq ranges, so a small cache holds the hot pages; the rest is RSS a Pi keeps.
  db.pragma('cache_size = -1024');
  migrate(db);
}

export type StoreStatements = ReturnType<typeof prepareStatements>;

/** Every statement the store runs, prepared once per connection. */
export function prepareStatements(db: BetterSqlite3.Database) {
  const pluck = (sql: string): BetterSqlite3.Statement => db.prepare(sql).pluck();
  return {
    getMeta: pluck('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    bumpCounter: db.prepare(
      'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
    ),
    counters: db.prepare('SELECT name, value FROM counters ORDER BY name'),
    maxReadingSeq: pluck('SELECT max(seq) FROM readings'),
    maxEventSeq: pluck('SELECT max(seq) FROM events'),
    insertReadingOrIgnore: db.prepare(INSERT_READING_OR_IGNORE_SQL),
    insertEvent: db.prepare(INSERT_EVENT_SQL),
    eventSeqByRef: pluck('SELECT seq FROM events WHERE ref = ?'),
    seriesOfSensor: db.prepare('SELECT id FROM series WHERE sensor_id = ? ORDER BY id').pluck(),
    // One series at a time, so the (series, ts) index gives the order and LIMIT stops the walk.
    readingsOfSeries: db.prepare(
      `SELECT ${READING_COLUMNS} FROM reading_rows WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?`,
    ),
    // Walks the distinct series through the (series, ts) index instead of scanning every row;
    // a sensor with several series (its unit changed) is narrowed to one row by the caller.
    latestReadings: db.prepare(`
      WITH RECURSIVE walk (id) AS (
        SELECT min(series) FROM readings
        UNION ALL
        SELECT (SELECT min(series) FROM readings WHERE series > walk.id) FROM walk WHERE walk.id IS NOT NULL
      )
      SELECT ${READING_COLUMNS} FROM reading_rows WHERE seq IN (
        SELECT (SELECT seq FROM readings WHERE series = walk.id ORDER BY ts DESC, seq DESC LIMIT 1)
        FROM walk WHERE walk.id IS NOT NULL
      ) ORDER BY sensor_id`),
    events: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ts >= ? ORDER BY seq DESC LIMIT ?`),
    activeEvents: db.prepare(`
      SELECT ${EVENT_COLUMNS} FROM events AS e
      WHERE e.state = 'raised' AND e.ts >= ?
        AND e.seq = (SELECT max(x.seq) FROM events AS x
                     WHERE x.sensor_id IS e.sensor_id AND x.type = e.type AND x.state IS NOT NULL)
      ORDER BY e.seq DESC LIMIT ?`),
    readingsAfter: db.prepare(`SELECT ${READING_COLUMNS} FROM reading_rows WHERE seq > ? ORDER BY seq LIMIT ?`),
    eventsAfter: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`),
    countReadingsAfter: pluck('SELECT count(*) FROM readings WHERE seq > ?'),
    countEventsAfter: pluck('SELECT count(*) FROM events WHERE seq > ?'),
    rowCounts: db.prepare(`SELECT
      (SELECT count(*) FROM readings) AS readings,
      (SELECT count(*) FROM readings WHERE summary IS NOT NULL) AS downsampled,
      (SELECT count(*) FROM events) AS events`),
  };
}

/** Runs `fn` in BEGIN IMMEDIATE … COMMIT; never leaves a transaction open after a failure. */
export function writeImmediate(db: BetterSqlite3.Database, fn: () => void): void {
  try {
    db.transaction(fn).immediate();
  } catch (err) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // The connection rolls back by itself when ROLLBACK cannot run.
      }
    }
    throw err;
  }
}
