/**
 * A fresh PostgreSQL schema per test run on the real server (127.0.0.1:5432,
 * database `test`, trust auth), dropped afterwards. When the server is unreachable
 * the suite fails under CI=true and is skipped loudly otherwise.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export interface FreshSchema {
  readonly url: string;
  readonly schema: string;
  drop(): Promise<void>;
}

export type SchemaOrSkip = { readonly ok: true; readonly fresh: FreshSchema } | { readonly ok: false; readonly reason: string };

function candidates(): string[] {
  if (process.env.DATABASE_URL_TEST !== undefined) return [process.env.DATABASE_URL_TEST];
  const host = process.env.PGHOST ?? '127.0.0.1';
  const port = process.env.PGPORT ?? '5432';
  const database = process.env.PGDATABASE ?? 'test';
  const users = process.env.PGUSER !== undefined ? [process.env.PGUSER] : ['postgres', 'root'];
  const password = process.env.PGPASSWORD !== undefined ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
  return users.map((user) => `postgres://${encodeURIComponent(user)}${password}@${host}:${port}/${database}`);
}

export async function freshPostgresSchema(): Promise<SchemaOrSkip> {
  const failures: string[] = [];
  for (const url of candidates()) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      const schema = `easygas_test_${randomBytes(6).toString('hex')}`;
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.end();
      return {
        ok: true,
        fresh: {
          url,
          schema,
          async drop() {
            const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
            await admin.connect();
            try {
              await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            } finally {
              await admin.end();
            }
          },
        },
      };
    } catch (error) {
      failures.push(`${url.replace(/:[^:@/]*@/, ':***@')}: ${error instanceof Error ? error.message : String(error)}`);
      await client.end().catch(() => undefined);
    }
  }
  const reason = `PostgreSQL unreachable (${failures.join('; ')})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true, so the PostgreSQL suites must run: start PostgreSQL on 127.0.0.1:5432 with a database "test"`);
  return { ok: false, reason };
}

/** Prints the skip so nobody mistakes a skipped suite for a passing one. */
export function announceSkip(suite: string, reason: string): void {
  process.stderr.write(`\n!!! SKIPPING ${suite}: ${reason}. Set CI=true to make this a failure.\n\n`);
}
