import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import YAML from 'yaml';
import type { ConfigDocument, Migration } from '../config/migrate.js';
import { runConfigMigrate } from './config-migrate.js';

const EXAMPLE = readFileSync(new URL('../config/gateway.example.yaml', import.meta.url), 'utf8');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A pretend format 0 that called store.batchMaxRows "maxRows". */
const RENAME: Migration = {
  from: 0,
  description: 'renamed store.maxRows to store.batchMaxRows',
  migrate: (doc) => {
    const store = { ...(doc.store as ConfigDocument) };
    store.batchMaxRows = store.maxRows;
    delete store.maxRows;
    return { ...doc, store };
  },
};

function v0File(): { path: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-migrate-'));
  dirs.push(dir);
  const path = join(dir, 'gateway.yaml');
  const text = EXAMPLE.replace(/^version: 1$/m, 'version: 0').replace(/^ {2}batchMaxRows: 500$/m, '  maxRows: 250');
  assert.notEqual(text, EXAMPLE);
  writeFileSync(path, text);
  return { path, text };
}

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
}

describe('easygas config migrate', () => {
  it('backs the old file up, writes the current format, and says how to go back', () => {
    const { path, text } = v0File();
    const { out, io: w } = io();
    assert.equal(runConfigMigrate({ config: path, env: {}, migrations: [RENAME] }, w), 0, out.stderr);
    const backup = `${path}.v0.bak`;
    assert.equal(readFileSync(backup, 'utf8'), text, 'the backup is the old file, byte for byte');
    const migrated = YAML.parse(readFileSync(path, 'utf8')) as { version: number; store: Record<string, unknown> };
    assert.equal(migrated.version, 1);
    assert.equal(migrated.store.batchMaxRows, 250);
    assert.equal(migrated.store.maxRows, undefined);
    assert.match(out.stdout, /v0 → v1: renamed store.maxRows/);
    assert.match(out.stdout, new RegExp(`cp ${backup} ${path}`));

    const again = io();
    assert.equal(runConfigMigrate({ config: path, env: {}, migrations: [RENAME] }, again.io), 0);
    assert.match(again.out.stdout, /already in the current format/);
  });

  it('changes nothing with --dry-run', () => {
    const { path, text } = v0File();
    const { out, io: w } = io();
    assert.equal(runConfigMigrate({ config: path, env: {}, migrations: [RENAME], dryRun: true }, w), 0);
    assert.equal(readFileSync(path, 'utf8'), text);
    assert.equal(existsSync(`${path}.v0.bak`), false);
    assert.match(out.stdout, /would become/);
  });

  it('leaves the file alone when the migrated one would not be valid, listing why', () => {
    const { path, text } = v0File();
    const broken: Migration = { ...RENAME, migrate: (doc) => ({ ...doc, store: { batchMaxRows: 'many' } }) };
    const { out, io: w } = io();
    assert.equal(runConfigMigrate({ config: path, env: {}, migrations: [broken] }, w), 1);
    assert.equal(readFileSync(path, 'utf8'), text);
    assert.equal(existsSync(`${path}.v0.bak`), false);
    assert.match(out.stderr, /store\.batchMaxRows/);
  });

  it('refuses a file from a newer easygas and a missing file, saying what to do', () => {
    const { path } = v0File();
    writeFileSync(path, EXAMPLE.replace(/^version: 1$/m, 'version: 9'));
    const newer = io();
    assert.equal(runConfigMigrate({ config: path, env: {} }, newer.io), 1);
    assert.match(newer.out.stderr, /9/);
    const missing = io();
    assert.equal(runConfigMigrate({ config: join(path, 'nope.yaml'), env: {} }, missing.io), 1);
    assert.match(missing.out.stderr, /--config FILE/);
  });
});
