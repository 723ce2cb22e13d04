/**
 * `easygas config migrate [--config FILE] [--dry-run]`: rewrites an older gateway.yaml
 * in the current format, after copying the old file to `<file>.v<N>.bak` (never
 * overwriting an earlier backup). The daemon migrates in memory at every start, so
 * this is for upgrades (the installer runs it) and for users who want the new file.
 * The migrated file must validate before anything is written; comments of the old
 * file do not survive a rewrite, which is why the backup is kept.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
import type { Env } from '../config/env-overrides.js';
import { formatIssue } from '../config/issues.js';
import { parseConfig, resolveConfigPath } from '../config/load.js';
import { documentVersion, migrateDocument, needsMigration, type ConfigDocument, type Migration } from '../config/migrate.js';
import type { Writer } from './config-check.js';

export interface ConfigMigrateOptions {
  readonly config?: string;
  readonly dryRun?: boolean;
  readonly env?: Env;
  /** Tests bring their own table; default the real one. */
  readonly migrations?: readonly Migration[];
  readonly current?: number;
}

/** The first backup name not taken: gateway.yaml.v1.bak, then .v1.1.bak, … */
function backupPath(path: string, version: number): string {
  const base = `${path}.v${version}`;
  if (!existsSync(`${base}.bak`)) return `${base}.bak`;
  for (let i = 1; ; i++) if (!existsSync(`${base}.${i}.bak`)) return `${base}.${i}.bak`;
}

export function runConfigMigrate(options: ConfigMigrateOptions, io: { stdout: Writer; stderr: Writer }): number {
  const env = options.env ?? process.env;
  const path = resolveConfigPath(options.config, env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    io.stderr.write(`easygas config migrate: cannot read ${path}: ${(err as Error).message}\n  Give the file with --config FILE.\n`);
    return 1;
  }
  let doc: ConfigDocument;
  try {
    doc = YAML.parse(text) as ConfigDocument;
  } catch (err) {
    io.stderr.write(`easygas config migrate: ${path} is not valid YAML: ${(err as Error).message}\n  Fix it first: easygas config check --config ${path}\n`);
    return 1;
  }
  const table = { ...(options.migrations && { migrations: options.migrations }), ...(options.current !== undefined && { current: options.current }), path };
  if (typeof doc !== 'object' || doc === null || !needsMigration(doc, table)) {
    const migrated = typeof doc === 'object' && doc !== null ? migrateDocument(doc, table) : undefined;
    if (migrated !== undefined && !migrated.ok) {
      io.stderr.write(`easygas config migrate: ${migrated.error.message}\n  ${migrated.error.hint}\n`);
      return 1;
    }
    const version = typeof doc === 'object' && doc !== null ? documentVersion(doc) : undefined;
    io.stdout.write(`${path} is already in the current format (version ${version ?? '?'}): nothing to do.\n`);
    return 0;
  }
  const migrated = migrateDocument(doc, table);
  if (!migrated.ok) {
    io.stderr.write(`easygas config migrate: ${migrated.error.message}\n  ${migrated.error.hint}\n`);
    return 1;
  }
  const newText = `# Migrated by easygas from version ${migrated.from} to ${migrated.to}; the old file is kept beside this one.\n${YAML.stringify(migrated.doc)}`;
  // The environment's overrides are not part of the file: check the file alone.
  const check = parseConfig(newText, { env: {}, path, ...(options.migrations && { migrations: options.migrations }) });
  if (!check.ok) {
    io.stderr.write(`easygas config migrate: the migrated file would not be valid, so ${path} is left as it is:\n`);
    for (const issue of check.errors) io.stderr.write(`  ${formatIssue(issue)}\n`);
    return 1;
  }
  for (const step of migrated.applied) io.stdout.write(`  ${step}\n`);
  if (options.dryRun === true) {
    io.stdout.write(`--dry-run: ${path} would become:\n${newText}`);
    return 0;
  }
  const backup = backupPath(path, migrated.from ?? 0);
  copyFileSync(path, backup);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, newText, { mode: 0o640 });
  renameSync(tmp, path);
  io.stdout.write(`${path} migrated to version ${migrated.to}; the old file is ${backup}.\n  To go back: cp ${backup} ${path}\n`);
  return 0;
}
