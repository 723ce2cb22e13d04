/**
 * The cloud on one SQLite file (better-sqlite3) as a Kysely database. WAL so
 * readers (the read worker) never block the writer; synchronous=FULL because an ack
 * tells the gateway it may forget the data, so a commit must survive power loss.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { sqliteBulkReadings } from './bulk-readings.js';
import { makeDb, type Db } from './database.js';
import type { DB } from './schema.js';
import { SqliteReadWorker, sqliteReaderDialect } from './sqlite-reader.js';

/** Kysely's SQLite adapter claims no transactional DDL; SQLite has it, and migrations must be all or nothing. */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class CloudSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}

const bindable = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/**
 * Kysely prepares every query anew; this keeps the prepared statements (by SQL
 * text), and binds booleans as 0/1, which better-sqlite3 refuses and SQLite stores.
 */
function preparedOnce(native: BetterSqlite3.Database, max = 300): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => native.close(),
    prepare(text) {
      let statement = cache.get(text);
      if (statement === undefined) {
        const inner = native.prepare(text);
        statement = {
          reader: inner.reader,
          all: (params) => inner.all(params.map(bindable)),
          run: (params) => inner.run(params.map(bindable)),
          iterate: (params) => inner.iterate(params.map(bindable)),
        };
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

export interface SqliteHandle {
  readonly db: Db;
  readonly native: BetterSqlite3.Database;
  close(): Promise<void>;
}

/** Opens (creating) the file; ":memory:" keeps everything on the one connection (tests). */
export function openSqlite(path: string): SqliteHandle {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const native = new BetterSqlite3(path);
  try {
    if (!inMemory) native.pragma('journal_mode = WAL');
    native.pragma('synchronous = FULL');
    native.pragma('foreign_keys = ON');
    native.pragma('busy_timeout = 5000');
  } catch (error) {
    native.close();
    throw error;
  }
  const kysely = new Kysely<DB>({ dialect: new CloudSqliteDialect({ database: preparedOnce(native) }) });
  // An in-memory database exists only on its connection, so its reads stay there.
  const worker = inMemory ? undefined : new SqliteReadWorker(path);
  const reader = worker === undefined ? kysely : new Kysely<DB>({ dialect: sqliteReaderDialect(worker) });
  return {
    db: makeDb('sqlite', kysely, reader, sqliteBulkReadings(native)),
    native,
    async close() {
      if (reader !== kysely) await reader.destroy();
      await kysely.destroy();
    },
  };
}
