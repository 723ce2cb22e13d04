/**
 * Says precisely why a value fails a schema: one issue per real problem, located by
 * path. Validators' raw error lists are noisy and incomplete for unions (every
 * branch's failure, or the first only), so this walks the schema itself for the
 * keywords our schemas use. A union of objects tagged by a constant property
 * (`record`, `type`) is judged by the branch its tag names; a schema may carry an
 * `errorMessage` that replaces a bare "must match pattern".
 *
 * Only called once a compiled check has failed, so its speed does not matter; it
 * descends only as deep as the schema does, so hostile nesting costs nothing.
 */
import Format from 'typebox/format';
import { formatPath, type Issue } from './issues.js';

type Schema = Readonly<Record<string, unknown>>;
type Path = readonly (string | number)[];

/** Enough to fix a request; a 10 000-record batch of garbage must not echo 10 000 lines. */
export const MAX_ISSUES = 20;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

export function explain(schema: unknown, value: unknown, prefix: Path = [], limit = MAX_ISSUES): Issue[] {
  const issues: Issue[] = [];
  walk(asSchema(schema), value, prefix, issues, limit);
  return issues;
}

function asSchema(schema: unknown): Schema | undefined {
  return schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? (schema as Schema) : undefined;
}

function add(issues: Issue[], limit: number, path: Path, message: string): void {
  if (issues.length < limit) issues.push({ path: formatPath(path), message });
}

function walk(schema: Schema | undefined, value: unknown, path: Path, issues: Issue[], limit: number): void {
  if (schema === undefined || issues.length >= limit) return;
  if (Array.isArray(schema.anyOf)) {
    walkUnion(schema, schema.anyOf.map(asSchema), value, path, issues, limit);
    return;
  }
  if ('const' in schema) {
    if (!sameJson(schema.const, value)) add(issues, limit, path, `must be ${JSON.stringify(schema.const)}`);
    return;
  }
  if (Array.isArray(schema.enum)) {
    if (!schema.enum.some((option) => sameJson(option, value))) {
      add(issues, limit, path, `must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}`);
    }
    return;
  }
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.map(String) : [];
  if (types.length > 0 && !types.some((t) => hasType(value, t))) {
    add(issues, limit, path, `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`);
    return;
  }
  if (typeof value === 'number') walkNumber(schema, value, path, issues, limit);
  else if (typeof value === 'string') walkString(schema, value, path, issues, limit);
  else if (Array.isArray(value)) walkArray(schema, value, path, issues, limit);
  else if (value !== null && typeof value === 'object') walkObject(schema, value as Record<string, unknown>, path, issues, limit);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function walkNumber(schema: Schema, value: number, path: Path, issues: Issue[], limit: number): void {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (typeof minimum === 'number' && value < minimum) add(issues, limit, path, `must be at least ${minimum}`);
  if (typeof maximum === 'number' && value > maximum) add(issues, limit, path, `must be at most ${maximum}`);
  if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) add(issues, limit, path, `must be above ${exclusiveMinimum}`);
  if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) add(issues, limit, path, `must be below ${exclusiveMaximum}`);
}

function walkString(schema: Schema, value: string, path: Path, issues: Issue[], limit: number): void {
  const custom = typeof schema.errorMessage === 'string' ? schema.errorMessage : undefined;
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    add(issues, limit, path, custom ?? (schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`));
  } else if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    add(issues, limit, path, custom ?? `must be at most ${schema.maxLength} characters`);
  } else if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    add(issues, limit, path, custom ?? `must match ${schema.pattern}`);
  } else if (typeof schema.format === 'string' && Format.Has(schema.format) && !Format.Test(schema.format, value)) {
    add(issues, limit, path, custom ?? `must be a valid ${schema.format}`);
  }
}

function walkArray(schema: Schema, value: readonly unknown[], path: Path, issues: Issue[], limit: number): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    add(issues, limit, path, `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    add(issues, limit, path, `must have at most ${schema.maxItems} items`);
    return; // do not walk a flood of items
  }
  if (schema.uniqueItems === true) {
    const seen = new Set(value.map((v) => JSON.stringify(v)));
    if (seen.size < value.length) add(issues, limit, path, 'must not repeat an item');
  }
  const items = asSchema(schema.items);
  if (items === undefined) return;
  for (let i = 0; i < value.length && issues.length < limit; i++) walk(items, value[i], [...path, i], issues, limit);
}

function walkObject(schema: Schema, value: Record<string, unknown>, path: Path, issues: Issue[], limit: number): void {
  const properties: Readonly<Record<string, unknown>> = asSchema(schema.properties) ?? {};
  const patterns = Object.entries(asSchema(schema.patternProperties) ?? {}).map(([p, s]) => [new RegExp(p, 'u'), asSchema(s)] as const);
  const keys = Object.keys(value);
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
    add(issues, limit, path, `must have at most ${schema.maxProperties} entries`);
    return;
  }
  for (const key of keys) {
    if (Object.hasOwn(properties, key)) {
      walk(asSchema(properties[key]), value[key], [...path, key], issues, limit);
      continue;
    }
    const matching = patterns.filter(([re]) => re.test(key));
    if (matching.length > 0) {
      for (const [, sub] of matching) walk(sub, value[key], [...path, key], issues, limit);
    } else if (schema.additionalProperties === false) {
      add(issues, limit, [...path, key], patterns.length > 0 ? `is not an allowed key (keys must match ${patterns.map(([re]) => re.source).join(' or ')})` : 'is not a known field: remove it (check its spelling)');
    } else {
      walk(asSchema(schema.additionalProperties), value[key], [...path, key], issues, limit);
    }
  }
  for (const key of Array.isArray(schema.required) ? schema.required.map(String) : []) {
    if (!Object.hasOwn(value, key)) add(issues, limit, [...path, key], 'is required');
  }
}

function walkUnion(schema: Schema, branches: readonly (Schema | undefined)[], value: unknown, path: Path, issues: Issue[], limit: number): void {
  const options = branches.filter((b): b is Schema => b !== undefined);
  const trial = options.map((b) => explain(b, value, path, limit));
  if (trial.some((t) => t.length === 0)) return;
  // A union of literals or primitives: name the choices.
  if (options.every((b) => 'const' in b || (typeof b.type === 'string' && b.type !== 'object' && b.type !== 'array'))) {
    const words = [...new Set(options.map((b) => ('const' in b ? JSON.stringify(b.const) : TYPE_WORDS[String(b.type)] ?? String(b.type))))];
    add(issues, limit, path, options.some((b) => 'const' in b) ? `must be one of ${words.join(', ')}` : `must be ${words.join(' or ')}`);
    return;
  }
  const tag = tagOf(options);
  if (tag !== undefined && hasType(value, 'object')) {
    const object = value as Record<string, unknown>;
    const tags = options.map((b) => (asSchema(asSchema(b.properties)?.[tag]) ?? {}).const);
    if (!Object.hasOwn(object, tag)) {
      add(issues, limit, [...path, tag], `is required: one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`);
      return;
    }
    const chosen = tags.findIndex((t) => sameJson(t, object[tag]));
    if (chosen < 0) {
      add(issues, limit, [...path, tag], `must be one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`);
      return;
    }
    for (const issue of trial[chosen] ?? []) if (issues.length < limit) issues.push(issue);
    return;
  }
  // No tag to go by: the branch that came closest.
  const closest = trial.reduce((best, t) => (t.length < best.length ? t : best), trial[0] ?? []);
  for (const issue of closest) if (issues.length < limit) issues.push(issue);
  if (closest.length === 0) add(issues, limit, path, 'does not match any allowed shape');
}

/** The property every branch fixes to a distinct constant, if there is one. */
function tagOf(options: readonly Schema[]): string | undefined {
  const first = asSchema(options[0]?.properties);
  if (first === undefined) return undefined;
  for (const key of Object.keys(first)) {
    const consts = options.map((b) => asSchema(asSchema(b.properties)?.[key]));
    if (consts.every((c) => c !== undefined && 'const' in c)) {
      const values = consts.map((c) => JSON.stringify(c?.const));
      if (new Set(values).size === values.length) return key;
    }
  }
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
