/**
 * Environment overrides: every config key can be set by an EASYGAS_* variable,
 * e.g. EASYGAS_MQTT_PORT=1884 → mqtt.port, EASYGAS_STORE_BATCH_MAX_ROWS=100 →
 * store.batchMaxRows, EASYGAS_SENSORS_LPG_INTERVAL=5s (sensor by id) or
 * EASYGAS_SENSORS_0_INTERVAL (by index).
 *
 * Names are resolved by walking the schema, so a new key works without a table here:
 * each camelCase key matches its SCREAMING_SNAKE form, and since "_" also separates
 * levels, every way of splitting is tried. Values are read as YAML scalars ("1884" is
 * a number, "true" a boolean), except for keys that take text, which get the string
 * as it is. Overrides apply to the raw document before validation, so a bad value is
 * reported with its path like any other mistake.
 */
import YAML from 'yaml';
import type { z } from 'zod';
import { createError } from '../errors.js';
import { formatPath, type ConfigIssue } from './issues.js';
import type { ConfigDocument } from './migrate.js';
import { childSchema, isTextLeaf, keysAt, nodeKind, schemaAt, valueAt, type PathKey } from './schema-walk.js';
import { closest } from './suggest.js';

export const ENV_PREFIX = 'EASYGAS_';

/** Variables the CLI reads itself (the config file, the data dir): never config keys. */
export const RESERVED_ENV: readonly string[] = ['EASYGAS_CONFIG', 'EASYGAS_DATA_DIR'];

/** Keys that name an item of a list, in the order they are tried. */
const ITEM_NAME_KEYS = ['id', 'username', 'node'] as const;

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvOverride {
  readonly name: string;
  readonly path: readonly PathKey[];
}

export interface EnvOverrideResult {
  /** A copy of the document with the overrides written in. */
  readonly doc: ConfigDocument;
  readonly applied: readonly EnvOverride[];
  readonly issues: readonly ConfigIssue[];
}

export interface EnvOverrideOptions {
  readonly reserved?: readonly string[];
}

/** ledGreen → LED_GREEN, i2cBus → I2C_BUS, roof-tank → ROOF_TANK. */
export function screamingSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]/g, '_')
    .toUpperCase();
}

function startsWith(tokens: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.length <= tokens.length && prefix.every((t, i) => tokens[i] === t);
}

function itemName(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  for (const key of ITEM_NAME_KEYS) {
    const value = (item as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Every path the tokens can spell under `schema` (more than one means the name is ambiguous). */
function resolve(schema: z.core.$ZodType, value: unknown, tokens: readonly string[], path: readonly PathKey[]): PathKey[][] {
  if (tokens.length === 0) return [[...path]];
  const kind = nodeKind(schema, value);
  const found: PathKey[][] = [];
  if (kind === 'object') {
    for (const key of keysAt(schema, value)) {
      const keyTokens = screamingSnake(key).split('_');
      const child = childSchema(schema, key, value);
      if (child === undefined || !startsWith(tokens, keyTokens)) continue;
      const next = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      found.push(...resolve(child, next, tokens.slice(keyTokens.length), [...path, key]));
    }
  } else if (kind === 'array') {
    const items: readonly unknown[] = Array.isArray(value) ? value : [];
    const first = tokens[0] ?? '';
    if (/^\d+$/.test(first)) {
      const index = Number(first);
      const element = childSchema(schema, index, value);
      if (element !== undefined) found.push(...resolve(element, items[index], tokens.slice(1), [...path, index]));
    }
    items.forEach((item, index) => {
      const name = itemName(item);
      const element = childSchema(schema, index, value);
      if (name === undefined || element === undefined) return;
      const nameTokens = screamingSnake(name).split('_');
      if (startsWith(tokens, nameTokens)) found.push(...resolve(element, item, tokens.slice(nameTokens.length), [...path, index]));
    });
  }
  return found;
}

/** Every variable name that would name a key, for "did you mean". */
function candidateNames(schema: z.core.$ZodType, value: unknown, prefix: string, depth: number, out: string[]): void {
  if (depth > 8 || out.length > 5000) return;
  const kind = nodeKind(schema, value);
  if (kind === 'object') {
    for (const key of keysAt(schema, value)) {
      const child = childSchema(schema, key, value);
      if (child === undefined) continue;
      const name = `${prefix}_${screamingSnake(key)}`;
      out.push(name);
      const next = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      candidateNames(child, next, name, depth + 1, out);
    }
  } else if (kind === 'array' && Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      const element = childSchema(schema, index, value);
      if (element === undefined) return;
      const label = itemName(item);
      candidateNames(element, item, `${prefix}_${label === undefined ? index : screamingSnake(label)}`, depth + 1, out);
    });
  }
}

/** The value of a variable as the document would hold it. */
function parseValue(raw: string, target: z.core.$ZodType | undefined, value: unknown): unknown {
  if (target !== undefined && nodeKind(target, value) === 'leaf' && isTextLeaf(target)) return raw;
  let parsed: unknown;
  try {
    // 'error': throw on a syntax error (kept as text below), never print a warning.
    parsed = YAML.parse(raw, { logLevel: 'error' });
  } catch {
    return raw;
  }
  const container = target !== undefined && nodeKind(target, value) !== 'leaf';
  return !container && typeof parsed === 'object' && parsed !== null ? raw : parsed;
}

/** Writes value at path, creating blocks on the way; undefined when a list item is missing. */
function setAt(doc: ConfigDocument, path: readonly PathKey[], value: unknown): string | undefined {
  let node: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const last = i === path.length - 1;
    if (typeof key === 'number') {
      if (!Array.isArray(node) || key >= node.length) {
        const count = Array.isArray(node) ? node.length : 0;
        return `there is no ${formatPath(path.slice(0, i + 1))}: the file lists ${count}`;
      }
      if (last) node[key] = value;
      else node = node[key] as unknown;
    } else if (key !== undefined) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) {
        return `${formatPath(path.slice(0, i))} is not a block of settings in the file`;
      }
      const record = node as Record<string, unknown>;
      if (last) record[key] = value;
      else {
        if (record[key] === undefined || record[key] === null) record[key] = {};
        node = record[key];
      }
    }
  }
  return undefined;
}

/**
 * Applies every EASYGAS_* variable to a copy of the document. Variables that name
 * no key (or a list item the file does not have) come back as issues, all of them.
 */
export function applyEnvOverrides(
  doc: ConfigDocument,
  env: Env,
  schema: z.core.$ZodType,
  options: EnvOverrideOptions = {},
): EnvOverrideResult {
  const reserved = new Set(options.reserved ?? RESERVED_ENV);
  const out = structuredClone(doc);
  const applied: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !reserved.has(name) && env[name] !== undefined)
    .sort();
  for (const name of names) {
    const raw = env[name] ?? '';
    const tokens = name.slice(ENV_PREFIX.length).split('_');
    const paths = resolve(schema, out, tokens, []);
    const distinct = [...new Map(paths.map((p) => [formatPath(p), p])).values()];
    const [path] = distinct;
    if (path === undefined) {
      const candidates: string[] = [];
      candidateNames(schema, out, ENV_PREFIX.slice(0, -1), 0, candidates);
      const near = closest(name, candidates);
      const error = createError('EASYGAS_ENV_OVERRIDE_UNKNOWN', { name, suggestion: near === undefined ? '' : ` — did you mean ${near}?` });
      issues.push({ path: '', message: error.message, code: error.code, envVar: name });
      continue;
    }
    if (distinct.length > 1) {
      issues.push({
        path: '',
        message: `environment variable ${name} is ambiguous: it could set ${distinct.map(formatPath).join(' or ')}`,
        code: 'EASYGAS_ENV_OVERRIDE_UNKNOWN',
        envVar: name,
      });
      continue;
    }
    const target = schemaAt(schema, path, out);
    const problem = setAt(out, path, parseValue(raw, target, valueAt(out, path)));
    if (problem !== undefined) {
      issues.push({ path: formatPath(path), message: `${problem} (from ${name})`, code: 'EASYGAS_ENV_OVERRIDE_UNKNOWN', envVar: name });
      continue;
    }
    applied.push({ name, path });
  }
  return { doc: out, applied, issues };
}
