/**
 * Reads gateway.yaml: YAML → migrate → environment overrides → one schema. Every
 * problem comes back at once, each with its path and line, in file order; the
 * daemon refuses to start on any of them, `easygas config check` lists them.
 */
import { readFile } from 'node:fs/promises';
import YAML, { isMap, isScalar, isSeq, LineCounter, type Document } from 'yaml';
import { createError, type EasygasError } from '../errors.js';
import { applyEnvOverrides, type Env, type EnvOverride } from './env-overrides.js';
import { configErrorMap, expandIssues, formatPath, type ConfigIssue, type RawIssue } from './issues.js';
import { migrateDocument, type ConfigDocument, type Migration } from './migrate.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';
import type { PathKey } from './schema-walk.js';
import { configWarnings } from './warnings.js';

export const DEFAULT_CONFIG_PATH = '/etc/easygas/gateway.yaml';

export interface ConfigSource {
  /** The file read; undefined when the text was given directly. */
  readonly path?: string;
  /** Environment variables that changed a value. */
  readonly envOverrides: readonly EnvOverride[];
  /** The version the file said, when it was migrated to the current one. */
  readonly migratedFrom?: number;
  readonly migrationSteps: readonly string[];
  /**
   * The document that was validated (after migration and environment overrides):
   * runtime overrides (a calibration from `easygas calibrate` or the cloud) are
   * merged into it and validated by the same schema.
   */
  readonly document: Readonly<Record<string, unknown>>;
}

export type LoadConfigResult =
  | {
      readonly ok: true;
      readonly config: GatewayConfig;
      readonly warnings: readonly ConfigIssue[];
      readonly source: ConfigSource;
    }
  | { readonly ok: false; readonly errors: readonly ConfigIssue[]; readonly warnings: readonly ConfigIssue[] };

export interface LoadConfigOptions {
  /** The file to read; default resolveConfigPath(). Ignored when `text` is given. */
  readonly path?: string;
  /** Default process.env. */
  readonly env?: Env;
  /** The YAML itself (tests, stdin). */
  readonly text?: string;
  /** The migration table; default the real one (tests pass their own). */
  readonly migrations?: readonly Migration[];
}

/** --config, else EASYGAS_CONFIG, else /etc/easygas/gateway.yaml. */
export function resolveConfigPath(flag: string | undefined, env: Env = process.env): string {
  return flag ?? env.EASYGAS_CONFIG ?? DEFAULT_CONFIG_PATH;
}

/** Reads and validates the config file (or `text`). */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadConfigResult> {
  const env = options.env ?? process.env;
  if (options.text !== undefined) return parseConfig(options.text, { ...options, env });
  const path = options.path ?? resolveConfigPath(undefined, env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    return { ok: false, errors: [fileIssue(path, cause)], warnings: [] };
  }
  return parseConfig(text, { ...options, env, path });
}

function fileIssue(path: string, cause: unknown): ConfigIssue {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const error =
    code === 'ENOENT'
      ? createError('EASYGAS_CONFIG_NOT_FOUND', { path })
      : createError('EASYGAS_CONFIG_UNREADABLE', { path, reason: code ?? String(cause) });
  return { path: '', message: `${error.message} — ${error.hint}`, code: error.code };
}

interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a path is in the file: its key's line, or its nearest ancestor's when it is not there. */
function positionOf(doc: Document, lines: LineCounter, path: readonly PathKey[]): Position | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value === key : p.key === key));
      if (pair === undefined) break;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item: unknown = node.items[key];
      if (item === undefined) break;
      offset = isScalar(item) || isMap(item) || isSeq(item) ? (item.range?.[0] ?? offset) : offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function isPrefix(prefix: readonly PathKey[], path: readonly PathKey[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

/** A path-and-message issue with its line, or with the variable it came from. */
function locate(issue: RawIssue, doc: Document, lines: LineCounter, overrides: readonly EnvOverride[]): ConfigIssue {
  const path = formatPath(issue.path);
  const fromEnv = overrides.find((o) => isPrefix(o.path, issue.path));
  if (fromEnv !== undefined) return { path, message: `${issue.message} (from ${fromEnv.name})`, envVar: fromEnv.name };
  const at = positionOf(doc, lines, issue.path);
  return at === undefined ? { path, message: issue.message } : { path, message: issue.message, line: at.line };
}

/** File order: issues with a line by line (stable), then the rest as they came. */
function byPosition(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.i - b.i)
    .map(({ issue }) => issue);
}

function yamlReason(error: YAML.YAMLError): string {
  return error.message.split(/ at line \d+, column \d+/)[0] ?? error.message;
}

function yamlWarning(warning: YAML.YAMLWarning): ConfigIssue {
  const pos = warning.linePos?.[0];
  const message = `YAML: ${yamlReason(warning)}`;
  return pos === undefined ? { path: '', message } : { path: '', message, line: pos.line, column: pos.col };
}

function yamlIssue(error: YAML.YAMLError, path: string | undefined): ConfigIssue {
  const reason = yamlReason(error);
  const pos = error.linePos?.[0];
  if (pos === undefined) return { path: '', message: `YAML: ${reason}`, code: 'EASYGAS_CONFIG_SYNTAX' };
  const made = createError('EASYGAS_CONFIG_SYNTAX', { path: path ?? 'config', line: pos.line, column: pos.col, reason });
  return { path: '', message: made.message, line: pos.line, column: pos.col, code: made.code };
}

function isRecord(value: unknown): value is ConfigDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates YAML text; the synchronous core of loadConfig. */
export function parseConfig(text: string, options: LoadConfigOptions = {}): LoadConfigResult {
  const env = options.env ?? process.env;
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const yamlWarnings = doc.warnings.map(yamlWarning);
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => yamlIssue(e, options.path)), warnings: yamlWarnings };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    return { ok: false, errors: [{ path: '', message: `YAML: ${String(cause)}`, code: 'EASYGAS_CONFIG_SYNTAX' }], warnings: yamlWarnings };
  }
  data ??= {};
  if (!isRecord(data)) {
    const message = 'the file must be a block of settings (key: value lines), starting with `version: 1`';
    return { ok: false, errors: [{ path: '', message, line: 1, code: 'EASYGAS_CONFIG_INVALID' }], warnings: yamlWarnings };
  }

  const migrated = migrateDocument(data, { ...(options.migrations && { migrations: options.migrations }), path: options.path ?? 'the config' });
  if (!migrated.ok) {
    const at = positionOf(doc, lines, ['version']);
    return { ok: false, errors: [tooNewIssue(migrated.error, at?.line)], warnings: yamlWarnings };
  }

  const overridden = applyEnvOverrides(migrated.doc, env, gatewayConfigSchema);
  const parsed = gatewayConfigSchema.safeParse(overridden.doc, { error: configErrorMap });
  if (!parsed.success) {
    const raw = expandIssues(parsed.error.issues, gatewayConfigSchema, overridden.doc);
    const located = raw.map((issue) => locate(issue, doc, lines, overridden.applied));
    return { ok: false, errors: byPosition([...located, ...overridden.issues]), warnings: yamlWarnings };
  }
  if (overridden.issues.length > 0) return { ok: false, errors: [...overridden.issues], warnings: yamlWarnings };

  const warnings = configWarnings(parsed.data).map((issue) => locate(issue, doc, lines, overridden.applied));
  if (migrated.applied.length > 0) {
    warnings.push({
      path: 'version',
      message: `the file is config version ${String(migrated.from)}; it was read as version ${String(migrated.to)} (${migrated.applied.join('; ')}). Update the file to match.`,
    });
  }
  return {
    ok: true,
    config: parsed.data,
    warnings: byPosition([...yamlWarnings, ...warnings]),
    source: {
      ...(options.path === undefined ? {} : { path: options.path }),
      envOverrides: overridden.applied,
      ...(migrated.applied.length > 0 && migrated.from !== undefined ? { migratedFrom: migrated.from } : {}),
      migrationSteps: migrated.applied,
      document: overridden.doc,
    },
  };
}

function tooNewIssue(error: EasygasError, line: number | undefined): ConfigIssue {
  const message = `${error.message} — ${error.hint}`;
  return line === undefined ? { path: 'version', message, code: error.code } : { path: 'version', message, line, code: error.code };
}

/** The EasygasError a command throws for a failed load: EASYGAS_CONFIG_INVALID with the issues as details. */
export function configLoadError(errors: readonly ConfigIssue[], path: string): EasygasError {
  const [only] = errors;
  if (errors.length === 1 && only?.code === 'EASYGAS_CONFIG_NOT_FOUND') return createError('EASYGAS_CONFIG_NOT_FOUND', { path }, { details: errors });
  const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
  return createError('EASYGAS_CONFIG_INVALID', { path, count }, { details: errors });
}
