/**
 * Config format versions. Every gateway.yaml says `version: N`; when the format
 * changes, CONFIG_VERSION goes up and a step that turns an N document into an N+1
 * document joins MIGRATIONS. Steps run on the raw document (plain YAML data) before
 * validation, so an old file keeps working, and an upgrade can back up the old file
 * and write the migrated one (needsMigration + migrateDocument).
 */
import { createError, type EasygasError } from '../errors.js';
import { CONFIG_VERSION } from './schema.js';

export type ConfigDocument = Record<string, unknown>;

export interface Migration {
  /** The version this step reads; it produces version `from + 1`. */
  readonly from: number;
  /** What changed, for the upgrade log ("renamed store.maxRows to store.batchMaxRows"). */
  readonly description: string;
  /** Returns the next version's document; must not touch its argument (it gets a copy anyway). */
  readonly migrate: (doc: ConfigDocument) => ConfigDocument;
}

/** Version 1 is the first format: nothing to migrate yet. */
export const MIGRATIONS: readonly Migration[] = [];

export interface MigrationTable {
  readonly migrations?: readonly Migration[];
  /** The version this build reads; default CONFIG_VERSION. */
  readonly current?: number;
  /** Names the file in messages. */
  readonly path?: string;
}

export type MigrationResult =
  | {
      readonly ok: true;
      readonly doc: ConfigDocument;
      /** The version the document said; undefined when it said none (validation reports that). */
      readonly from: number | undefined;
      readonly to: number | undefined;
      /** The steps applied, in order. */
      readonly applied: readonly string[];
    }
  | { readonly ok: false; readonly error: EasygasError };

/** The document's version when it is a whole number, else undefined (left for validation to report). */
export function documentVersion(doc: ConfigDocument): number | undefined {
  const v = doc.version;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** True when the document is an older format that migrateDocument would rewrite. */
export function needsMigration(doc: ConfigDocument, table: MigrationTable = {}): boolean {
  const version = documentVersion(doc);
  const current = table.current ?? CONFIG_VERSION;
  return version !== undefined && version >= oldestVersion(table) && version < current;
}

/** The oldest version the table can migrate from (the current one when it is empty). */
function oldestVersion(table: MigrationTable): number {
  const current = table.current ?? CONFIG_VERSION;
  return Math.min(current, ...(table.migrations ?? MIGRATIONS).map((m) => m.from));
}

/**
 * Brings a document to the current version. A document from a newer easygas is
 * refused with EASYGAS_CONFIG_TOO_NEW; one without a usable version is returned as
 * it is, so validation can say what is wrong with it among the other errors.
 */
export function migrateDocument(doc: ConfigDocument, table: MigrationTable = {}): MigrationResult {
  const current = table.current ?? CONFIG_VERSION;
  const migrations = table.migrations ?? MIGRATIONS;
  const path = table.path ?? 'the config file';
  const from = documentVersion(doc);
  const oldest = oldestVersion(table);
  // No version, or one that never existed: validation says what is wrong among the other errors.
  if (from === undefined || from < oldest) return { ok: true, doc, from, to: from, applied: [] };
  if (from > current) {
    return { ok: false, error: createError('EASYGAS_CONFIG_TOO_NEW', { path, found: from, supported: current }) };
  }
  let next: ConfigDocument = structuredClone(doc);
  const applied: string[] = [];
  for (let version = from; version < current; version++) {
    const step = migrations.find((m) => m.from === version);
    if (step === undefined) {
      // A gap in the table is a bug in easygas, not in the user's file.
      throw new Error(`no config migration from version ${version} to ${version + 1}`);
    }
    next = step.migrate(structuredClone(next));
    next.version = version + 1;
    applied.push(`v${version} → v${version + 1}: ${step.description}`);
  }
  return { ok: true, doc: next, from, to: current, applied };
}
