/** The pg pool the PostgreSQL repository runs on, and its transaction helper. */
import pg from 'pg';

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

export function createPool(url: string, schema?: string): pg.Pool {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  return new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
}

export type Tx = pg.PoolClient;

/** Runs `fn` in a READ COMMITTED transaction; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
