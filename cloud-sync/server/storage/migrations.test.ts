/**
 * Existing databases migrate forward: a database built exactly as main's
 * hand-written migrators built it (version 1), with data in it, opens with the
 * Kysely migrator, keeps every row, gets its rollups from the readings already
 * there, ends with the same schema as a fresh database, and is refused by an older
 * easygas from then on. A database a newer easygas migrated is refused here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { SchemaTooNewError, anotherSchemaWentAway } from './db/migrator.js';
import { openRepository } from './open-repository.js';
import { StorageOpenError } from './storage-errors.js';
import { LEGACY_POSTGRES_SCHEMA, LEGACY_SQLITE_SCHEMA, LEGACY_VERSION_TABLE } from './test-support/legacy-schema.js';
import { announceSkip, freshPostgresSchema } from './test-support/postgres.js';

const T = Date.UTC(2026, 0, 15, 10);
const HOUR = 3_600_000;

/** Rows as version 1 stored them: a user, a gateway, a sensor, three raw readings and a summary of three more, an event. */
function legacyRows(bool: (b: boolean) => unknown): { sql: string; params: unknown[] }[] {
  const reading = (seq: number, at: number, value: number, extra: { cnt?: number; min?: number; max?: number; seqEnd?: number; tsEnd?: number } = {}) => ({
    sql: `INSERT INTO readings (gateway_pk, seq, sensor_pk, ts, value, unit, percent, quality, clock_synced, min, max, cnt, seq_end, ts_end, received_at)
          VALUES (1, $1, 1, $2, $3, '%', $3, 'ok', $4, $5, $6, $7, $8, $9, $2)`,
    params: [seq, at, value, bool(true), extra.min ?? value, extra.max ?? value, extra.cnt ?? 1, extra.seqEnd ?? null, extra.tsEnd ?? null],
  });
  return [
    { sql: `INSERT INTO users (id, email, password_hash, name, role, preferences, created_at, updated_at) VALUES ('u1', 'old@example.com', 'h', 'Old', 'customer', '{}', $1, $1)`, params: [T] },
    {
      sql: `INSERT INTO gateways (id, user_id, name, credential_hash, acked_seq, presence, created_at, updated_at) VALUES ('6f1d6c2e-1b7a-4a51-9d0e-0c5a3c1f2b11', 'u1', 'Old Pi', 'cred', 7, 'online', $1, $1)`,
      params: [T],
    },
    { sql: `INSERT INTO sensors (gateway_pk, local_id, kind, unit, first_seen_at, updated_at) VALUES (1, 'lpg', 'level', '%', $1, $1)`, params: [T] },
    reading(1, T + 60_000, 40),
    reading(2, T + 120_000, 42),
    reading(3, T + HOUR + 60_000, 50),
    reading(4, T + HOUR + 120_000, 60, { cnt: 3, min: 55, max: 66, seqEnd: 6, tsEnd: T + HOUR + 240_000 }),
    {
      sql: `INSERT INTO events (gateway_pk, seq, source, ts, type, severity, message, clock_synced, received_at) VALUES (1, 7, 'gateway', $1, 'gas', 'critical', 'Gas', $2, $1)`,
      params: [T, bool(true)],
    },
  ];
}

async function checkMigrated(url: string, schema?: string): Promise<void> {
  const repo = await openRepository(url, schema === undefined ? {} : { schema });
  try {
    const user = await repo.users.byEmail('old@example.com');
    assert.equal(user?.name, 'Old');
    const [gateway] = await repo.gateways.list('u1');
    assert.deepEqual([gateway?.name, gateway?.ackedSeq, gateway?.presence], ['Old Pi', 7, 'online']);
    const sensor = await repo.readings.sensor('u1', `${gateway?.id}:lpg`);
    assert.ok(sensor);
    assert.deepEqual(await repo.readings.history(sensor.key, T, T + 2 * HOUR, HOUR), [
      { at: T, min: 40, avg: 41, max: 42, count: 2 },
      { at: T + HOUR, min: 50, avg: 57.5, max: 66, count: 4 },
    ]);
    assert.equal((await repo.gateways.events('u1', gateway?.id ?? '', { limit: 5 }))?.[0]?.type, 'gas');
  } finally {
    await repo.close();
  }
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Tables, columns, indexes and keys of a SQLite file, in a form two spellings of one schema share. */
function sqliteSchema(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const squash = (text: string | null): string => (text ?? '').replace(/["\s]/g, '').toLowerCase();
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' AND name <> 'schema_migrations' ORDER BY name").all() as { name: string; sql: string }[];
    const out: string[] = [];
    for (const t of tables) {
      out.push(`${t.name} withoutRowid=${/without\s+rowid/i.test(t.sql)}`);
      for (const c of db.pragma(`table_info(${t.name})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[]) {
        out.push(`${t.name}.${c.name} ${c.type.toLowerCase()} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
      }
      for (const f of db.pragma(`foreign_key_list(${t.name})`) as { table: string; from: string; to: string; on_delete: string }[]) {
        out.push(`${t.name}.${f.from} → ${f.table}.${f.to} on delete ${f.on_delete}`);
      }
      for (const i of db.pragma(`index_list(${t.name})`) as { name: string; unique: number; origin: string }[]) {
        const columns = (db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name).join(',');
        const sql = (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(i.name) as { sql: string | null } | undefined)?.sql ?? null;
        out.push(`${t.name} index ${i.name} unique=${i.unique} (${columns}) ${squash(sql)}`);
      }
    }
    return out;
  } finally {
    db.close();
  }
}

describe('migrations on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-migrate-'));
  dirs.push(dir);

  it('a version-1 database keeps its data, gains rollups, ends with the fresh schema, and refuses an older easygas', async () => {
    const legacy = join(dir, 'legacy.db');
    const db = new BetterSqlite3(legacy);
    db.exec(LEGACY_VERSION_TABLE);
    for (const ddl of LEGACY_SQLITE_SCHEMA) db.exec(ddl);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, ?)').run(T);
    for (const row of legacyRows((b) => (b ? 1 : 0))) {
      db.prepare(row.sql.replace(/\$(\d)/g, '@p$1')).run(Object.fromEntries(row.params.map((v, i) => [`p${i + 1}`, v])));
    }
    db.close();

    await checkMigrated(legacy);
    const fresh = join(dir, 'fresh.db');
    await (await openRepository(fresh)).close();
    assert.deepEqual(sqliteSchema(legacy), sqliteSchema(fresh));
    const check = new BetterSqlite3(legacy, { readonly: true });
    assert.equal((check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v, 2, 'the old migrators see a version they do not know');
    check.close();
    await checkMigrated(legacy);
  });

  it('a database a newer easygas migrated is refused with SchemaTooNewError, untouched', async () => {
    const file = join(dir, 'newer.db');
    await (await openRepository(file)).close();
    const db = new BetterSqlite3(file);
    db.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')").run();
    db.close();
    const error = await openRepository(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof StorageOpenError, String(error));
    assert.ok(error.cause instanceof SchemaTooNewError);
    assert.match(error.message, /9999_from_the_future.*upgrade easygas/);
  });
});

describe('migrations on PostgreSQL', () => {
  it('a version-1 database keeps its data, gains rollups and ends with the fresh schema', async (t) => {
    const [legacy, fresh] = [await freshPostgresSchema(), await freshPostgresSchema()];
    if (!legacy.ok || !fresh.ok) {
      const reason = legacy.ok ? (fresh.ok ? '' : fresh.reason) : legacy.reason;
      announceSkip('the PostgreSQL migration test', reason);
      return t.skip(reason);
    }
    const client = new pg.Client({ connectionString: legacy.fresh.url, options: `-c search_path=${legacy.fresh.schema}` });
    await client.connect();
    const describeSchema = async (schema: string): Promise<string[]> => {
      const columns = await client.query<{ d: string }>(
        `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '-') || ' ' || is_identity AS d
         FROM information_schema.columns WHERE table_schema = $1 AND table_name NOT LIKE 'kysely_%' AND table_name <> 'schema_migrations' ORDER BY 1`,
        [schema],
      );
      const indexes = await client.query<{ d: string }>(
        `SELECT indexname || ': ' || replace(indexdef, $1 || '.', '') AS d FROM pg_indexes WHERE schemaname = $1 AND tablename NOT LIKE 'kysely_%' AND tablename <> 'schema_migrations' ORDER BY 1`,
        [schema],
      );
      const constraints = await client.query<{ d: string }>(
        `SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || replace(pg_get_constraintdef(c.oid), $1 || '.', '') AS d FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND c.conrelid::regclass::text NOT LIKE '%kysely_%' AND c.conrelid::regclass::text NOT LIKE '%schema_migrations' ORDER BY 1`,
        [schema],
      );
      return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => r.d.replace(`${schema}.`, ''));
    };
    try {
      await client.query(LEGACY_VERSION_TABLE);
      for (const ddl of LEGACY_POSTGRES_SCHEMA) await client.query(ddl);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES (1, $1)', [T]);
      for (const row of legacyRows((b) => b)) await client.query(row.sql, row.params);
      await checkMigrated(legacy.fresh.url, legacy.fresh.schema);
      await (await openRepository(fresh.fresh.url, { schema: fresh.fresh.schema })).close();
      assert.deepEqual(await describeSchema(legacy.fresh.schema), await describeSchema(fresh.fresh.schema));
      assert.equal((await client.query<{ v: number }>('SELECT MAX(version) AS v FROM schema_migrations')).rows[0]?.v, 2);
    } finally {
      await client.end();
      await legacy.fresh.drop();
      await fresh.fresh.drop();
    }
  });
});

describe('migrating while another schema goes away (PostgreSQL)', () => {
  it('looks again when the schema that vanished is another one, never when it is ours or another error', () => {
    // As CI saw it: a parallel test dropped its schema while this one's migrator looked for its table.
    const raced = Object.assign(new Error('schema "easygas_test_51e01657a0ea" does not exist'), { code: '3F000' });
    assert.equal(anotherSchemaWentAway(raced, 'easygas_test_0123456789ab'), true);
    assert.equal(anotherSchemaWentAway(raced, 'easygas_test_51e01657a0ea'), false, 'our own schema missing is a real error');
    assert.equal(anotherSchemaWentAway(Object.assign(new Error('schema "public" does not exist'), { code: '3F000' }), undefined), false);
    assert.equal(anotherSchemaWentAway(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), 'easygas_test_0123456789ab'), false);
    assert.equal(anotherSchemaWentAway(undefined, 'easygas_test_0123456789ab'), false);
  });
});
