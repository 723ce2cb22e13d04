import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEasygasError } from '../errors.js';
import { documentVersion, migrateDocument, MIGRATIONS, needsMigration, type Migration } from './migrate.js';
import { CONFIG_VERSION } from './schema.js';

/** A made-up version 0 that called store.batchMaxRows "maxRows" and had no sensors list. */
const V0_TO_V1: Migration = {
  from: 0,
  description: 'store.maxRows → store.batchMaxRows',
  migrate: (doc) => {
    const { maxRows, ...store } = (doc.store ?? {}) as Record<string, unknown>;
    return { ...doc, store: { ...store, batchMaxRows: maxRows } };
  },
};
const V1_TO_V2: Migration = {
  from: 1,
  description: 'sensors become devices',
  migrate: ({ sensors, ...rest }) => ({ ...rest, devices: sensors }),
};

describe('config migrations', () => {
  it('reads version 1, the current format, with nothing to migrate', () => {
    assert.equal(CONFIG_VERSION, 1);
    assert.deepEqual(MIGRATIONS, []);
    const doc = { version: 1, store: { batchMaxRows: 5 } };
    assert.equal(needsMigration(doc), false);
    const result = migrateDocument(doc);
    assert.ok(result.ok);
    assert.deepEqual(result.doc, doc);
    assert.deepEqual(result.applied, []);
  });

  it('runs the steps from the file’s version to the current one, in order', () => {
    const table = { migrations: [V1_TO_V2, V0_TO_V1], current: 2 };
    const doc = { version: 0, store: { maxRows: 100 }, sensors: [{ id: 'lpg' }] };
    assert.equal(needsMigration(doc, table), true);
    const result = migrateDocument(doc, table);
    assert.ok(result.ok);
    assert.deepEqual(result.doc, { version: 2, store: { batchMaxRows: 100 }, devices: [{ id: 'lpg' }] });
    assert.equal(result.from, 0);
    assert.equal(result.to, 2);
    assert.deepEqual(result.applied, ['v0 → v1: store.maxRows → store.batchMaxRows', 'v1 → v2: sensors become devices']);
  });

  it('never changes the document it was given, so the caller can back it up', () => {
    const doc = { version: 0, store: { maxRows: 100 } };
    const before = structuredClone(doc);
    const mutating: Migration = { from: 0, description: 'mutates', migrate: (d) => Object.assign(d, { touched: true }) };
    const result = migrateDocument(doc, { migrations: [mutating] });
    assert.ok(result.ok);
    assert.deepEqual(doc, before);
    assert.equal(result.doc.touched, true);
  });

  it('refuses a file from a newer easygas with EASYGAS_CONFIG_TOO_NEW', () => {
    const result = migrateDocument({ version: 7 }, { path: '/etc/easygas/gateway.yaml' });
    assert.ok(!result.ok);
    assert.ok(isEasygasError(result.error, 'EASYGAS_CONFIG_TOO_NEW'));
    assert.equal(result.error.message, '/etc/easygas/gateway.yaml is config version 7, but this easygas reads versions up to 1');
    assert.match(result.error.hint, /Upgrade easygas/);
  });

  it('leaves a missing or impossible version for validation to report', () => {
    for (const doc of [{}, { version: 'one' }, { version: 1.5 }, { version: -3 }]) {
      assert.equal(needsMigration(doc), false);
      const result = migrateDocument(doc, { migrations: [V0_TO_V1] });
      assert.ok(result.ok, JSON.stringify(doc));
      assert.deepEqual(result.doc, doc);
    }
    assert.equal(documentVersion({ version: 'one' }), undefined);
  });

  it('treats a gap in the table as a bug in easygas', () => {
    assert.throws(() => migrateDocument({ version: 0 }, { migrations: [V0_TO_V1], current: 2 }), /no config migration from version 1 to 2/);
  });
});
