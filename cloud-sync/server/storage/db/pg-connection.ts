/**
 * The cloud on PostgreSQL (pg) as a Kysely database, with two pools: the main one
 * for writes and short reads, and a small one with a statement timeout for reads
 * that may scan many rows. Ten charts opening at once then take at most the read
 * pool's few connections, and ingest never waits behind them.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { postgresBulkReadings } from './bulk-readings.js';
import { makeDb, type Db } from './database.js';
import type { DB } from './schema.js';

export interface PostgresPools {
  /** Connections for writes and short reads (default 10). */
  readonly size?: number;
  /** Connections for long reads (default 3). */
  readonly readSize?: number;
  /** A long read running longer is cancelled (default 15 s); the client gets a 503. */
  readonly readTimeoutMs?: number;
}

/**
 * bigint (int8) and numeric come back as strings by default; every value we store
 * fits a JS number exactly (seqs and times < 2^53), so parse them as numbers here,
 * per pool, rather than by mutating pg's global type table.
 */
const NUMERIC_OIDS = new Set([20, 1700]);
const fallback = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMERIC_OIDS.has(oid) ? (value: string) => Number(value) : fallback(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

function pool(url: string, max: number, settings: readonly string[]): pg.Pool {
  const created = new pg.Pool({
    connectionString: url,
    max,
    // Waiting this long for a free connection answers 503 rather than hanging the request.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types,
    ...(settings.length === 0 ? {} : { options: settings.map((s) => `-c ${s}`).join(' ') }),
  });
  // A connection dying (PostgreSQL restarted or unreachable) must not crash the process. An idle
  // client's error reaches the pool, which drops it; a busy client's reaches only the client, and
  // its query fails on its own (503), so each client gets a listener too.
  created.on('error', () => undefined);
  created.on('connect', (client) => client.on('error', () => undefined));
  return created;
}

export interface PostgresHandle {
  readonly db: Db;
  readonly schema: string | undefined;
  close(): Promise<void>;
}

export function openPostgres(url: string, options: { readonly schema?: string; readonly pools?: PostgresPools } = {}): PostgresHandle {
  const { schema, pools = {} } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const path = schema === undefined ? [] : [`search_path=${schema}`];
  const main = pool(url, pools.size ?? 10, path);
  const reads = pool(url, pools.readSize ?? 3, [...path, `statement_timeout=${Math.max(1, Math.round(pools.readTimeoutMs ?? 15_000))}`]);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: main }) });
  const reader = new Kysely<DB>({ dialect: new PostgresDialect({ pool: reads }) });
  return {
    db: makeDb('postgres', kysely, reader, postgresBulkReadings),
    schema,
    async close() {
      await Promise.all([reader.destroy(), kysely.destroy()]);
    },
  };
}
