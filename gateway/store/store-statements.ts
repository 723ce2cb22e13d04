/**
 * The SQL of GatewayStore, prepared once per connection. Queries lean on the
 * schema's indexes: seq is the rowid, readings(sensor_id, ts), events(ref).
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
    readingsFor: db.prepare(
      `SELECT ${READING_COLUMNS} FROM readings WHERE sensor_id = ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?`,
    ),
    // Walks the distinct sensors through the (sensor_id, ts) index instead of scanning every row.
    latestReadings: db.prepare(`
      WITH RECURSIVE sensors (id) AS (
        SELECT min(sensor_id) FROM readings
        UNION ALL
        SELECT (SELECT min(sensor_id) FROM readings WHERE sensor_id > sensors.id) FROM sensors WHERE sensors.id IS NOT NULL
      )
      SELECT ${READING_COLUMNS} FROM readings WHERE seq IN (
        SELECT (SELECT seq FROM readings WHERE sensor_id = sensors.id ORDER BY ts DESC, seq DESC LIMIT 1)
        FROM sensors WHERE sensors.id IS NOT NULL
      ) ORDER BY sensor_id`),
    events: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ts >= ? ORDER BY seq DESC LIMIT ?`),
    activeEvents: db.prepare(`
      SELECT ${EVENT_COLUMNS} FROM events AS e
      WHERE e.state = 'raised' AND e.ts >= ?
        AND e.seq = (SELECT max(x.seq) FROM events AS x
                     WHERE x.sensor_id IS e.sensor_id AND x.type = e.type AND x.state IS NOT NULL)
      ORDER BY e.seq DESC LIMIT ?`),
    readingsAfter: db.prepare(`SELECT ${READING_COLUMNS} FROM readings WHERE seq > ? ORDER BY seq LIMIT ?`),
    eventsAfter: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`),
    countReadingsAfter: pluck('SELECT count(*) FROM readings WHERE seq > ?'),
    countEventsAfter: pluck('SELECT count(*) FROM events WHERE seq > ?'),
    rowCounts: db.prepare(`SELECT
      (SELECT count(*) FROM readings) AS readings,
      (SELECT count(*) FROM readings WHERE seq_end IS NOT NULL) AS downsampled,
      (SELECT count(*) FROM events) AS events`),
  };
}
