/**
 * Walks the config schema by key path, the way a person reads the file: which keys
 * exist here, and what lies under this one. Environment overrides use it to turn
 * EASYGAS_MQTT_PORT into mqtt.port; error messages use it for "did you mean".
 *
 * Wrappers that do not change the shape (optional, default, prefault, nullable,
 * readonly, catch, the input side of a pipe) are seen through. A union is resolved
 * by its discriminator when the document says which member applies; otherwise its
 * object members are merged.
 */
import type { z } from 'zod';

export type PathKey = string | number;

type Schema = z.core.$ZodType;

/** The def fields this walk reads; zod 4 keeps them on `_zod.def`. */
interface WalkDef {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly items?: readonly Schema[];
  readonly discriminator?: string;
  readonly values?: readonly unknown[];
}

function defOf(schema: Schema): WalkDef {
  return schema._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema with shape-preserving wrappers removed. */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else return current;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The literal values a member's discriminator field accepts. */
function discriminatorValues(member: Schema, discriminator: string): readonly unknown[] {
  const field = defOf(unwrap(member)).shape?.[discriminator];
  if (field === undefined) return [];
  return defOf(unwrap(field)).values ?? [];
}

/** The object members of a union that apply to `value` (all of them when it does not say). */
function unionMembers(schema: Schema, value: unknown): Schema[] {
  const def = defOf(schema);
  const members = (def.options ?? []).map(unwrap).filter((m) => defOf(m).type === 'object' || defOf(m).type === 'array');
  const disc = def.discriminator;
  if (disc !== undefined && isRecord(value) && value[disc] !== undefined) {
    const chosen = members.filter((m) => discriminatorValues(m, disc).includes(value[disc]));
    if (chosen.length > 0) return chosen;
  }
  return members;
}

/** Object/array members behind a (possibly wrapped) schema, resolving unions by `value`. */
function containers(schema: Schema, value: unknown): Schema[] {
  const bare = unwrap(schema);
  return defOf(bare).type === 'union' ? unionMembers(bare, value).map(unwrap) : [bare];
}

export type NodeKind = 'object' | 'array' | 'leaf';

/** Whether a schema holds keys, items, or a single value. */
export function nodeKind(schema: Schema, value?: unknown): NodeKind {
  const found = containers(schema, value);
  if (found.some((s) => defOf(s).type === 'object')) return 'object';
  if (found.some((s) => defOf(s).type === 'array' || defOf(s).type === 'tuple')) return 'array';
  return 'leaf';
}

/** The keys a block may have here, in schema order. */
export function keysAt(schema: Schema, value?: unknown): string[] {
  const keys = new Set<string>();
  for (const member of containers(schema, value)) {
    for (const key of Object.keys(defOf(member).shape ?? {})) keys.add(key);
  }
  return [...keys];
}

/** The schema of one key or index under `schema`, or undefined when there is none. */
export function childSchema(schema: Schema, key: PathKey, value?: unknown): Schema | undefined {
  for (const member of containers(schema, value)) {
    const def = defOf(member);
    if (typeof key === 'string' && def.type === 'object') {
      const field = def.shape?.[key];
      if (field !== undefined) return field;
    }
    if (typeof key === 'number' && def.type === 'array' && def.element !== undefined) return def.element;
    if (typeof key === 'number' && def.type === 'tuple') {
      const item = def.items?.[key];
      if (item !== undefined) return item;
    }
  }
  return undefined;
}

/** The value at a path in a plain document, or undefined. */
export function valueAt(doc: unknown, path: readonly PathKey[]): unknown {
  let current = doc;
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(current)) current = current[key] as unknown;
    else if (typeof key === 'string' && isRecord(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** The schema at a path, reading the document to choose union members; undefined off the schema. */
export function schemaAt(root: Schema, path: readonly PathKey[], doc?: unknown): Schema | undefined {
  let current: Schema | undefined = root;
  for (let i = 0; i < path.length && current !== undefined; i++) {
    const key = path[i];
    if (key === undefined) return undefined;
    current = childSchema(current, key, valueAt(doc, path.slice(0, i)));
  }
  return current;
}

/** Whether a leaf takes text as it is (no YAML interpretation of "0123" or "true"). */
export function isTextLeaf(schema: Schema): boolean {
  const def = defOf(unwrap(schema));
  if (def.type === 'string' || def.type === 'enum') return true;
  if (def.type === 'literal') return (def.values ?? []).every((v) => typeof v === 'string');
  return false;
}
