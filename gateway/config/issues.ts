/**
 * Config problems as people read them: `sensors[2].source.address: must be an I2C
 * address … (line 14)`. Turns zod's issues into that form — one line per problem,
 * unknown keys with "did you mean", unions narrowed to the member the user meant.
 */
import type { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import { keysAt, schemaAt, valueAt, type PathKey } from './schema-walk.js';
import { closest } from './suggest.js';

export interface ConfigIssue {
  /** Where in the file: `sensors[2].source.address`; '' for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the YAML file, when the path exists there. */
  readonly line?: number;
  readonly column?: number;
  /** The catalogue code, for problems with the file as a whole (not found, syntax, too new). */
  readonly code?: ErrorCode;
  /** The environment variable that set this value, when it came from there. */
  readonly envVar?: string;
}

/** ['sensors', 2, 'source'] → "sensors[2].source". */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

/** "sensors[2].pin: must be an integer (line 14)". */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : issue.column === undefined ? ` (line ${issue.line})` : ` (line ${issue.line}, column ${issue.column})`;
  return `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}${where}`;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a block of settings';
  if (typeof value === 'string') return `"${value}"`;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'text',
  boolean: 'true or false',
  object: 'a block of settings (key: value lines)',
  array: 'a list (lines starting with "- ")',
  tuple: 'a list',
};

const YAML_11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n']);

function oneOf(values: readonly unknown[], input: unknown): string {
  const shown = values.map((v) => String(v));
  const base = shown.length === 1 ? `must be ${shown[0]}` : `must be one of ${shown.join(', ')}`;
  const found = input === undefined ? '' : `, not ${describe(input)}`;
  const near = typeof input === 'string' ? closest(input, shown) : undefined;
  return `${base}${found}${near === undefined ? '' : ` — did you mean ${near}?`}`;
}

/** zod's error map for config files: plain words, and what was found. */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return 'missing (required)';
      if (input === null) return 'is empty: give a value or remove the line';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const yaml11 =
        issue.expected === 'boolean' && typeof input === 'string' && YAML_11_BOOLEANS.has(input.toLowerCase())
          ? ' (YAML 1.2 reads yes/no/on/off as text)'
          : '';
      return `must be ${expected}, not ${describe(input)}${yaml11}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array') return `needs at least ${min} item${min === '1' ? '' : 's'}`;
      return issue.inclusive === false ? `must be above ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array') return `must have at most ${max} items`;
      return issue.inclusive === false ? `must be below ${max}` : `must be at most ${max}`;
    }
    case 'invalid_value':
      return oneOf(issue.values, input);
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
        const listed: unknown = 'options' in issue ? issue.options : undefined;
        const options = Array.isArray(listed) ? listed.map(String) : [];
        return given === undefined ? `missing — one of ${options.join(', ')}` : oneOf(options, given);
      }
      return 'does not match any allowed form';
    }
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
};

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly ZodIssueLike[])[];
  readonly discriminator?: string;
}

export interface RawIssue {
  readonly path: readonly PathKey[];
  readonly message: string;
}

function toPath(path: readonly PropertyKey[]): PathKey[] {
  return path.map((k) => (typeof k === 'number' ? k : String(k)));
}

/** A union member "fits" unless it failed only on the value's type at its root. */
function memberFits(issues: readonly ZodIssueLike[]): boolean {
  return !issues.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const near = closest(key, known);
  if (near !== undefined) return `unknown key — did you mean \`${near}\`?`;
  return known.length > 0 && known.length <= 12 ? `unknown key (this block takes ${known.join(', ')})` : 'unknown key';
}

function expand(
  issue: ZodIssueLike,
  prefix: readonly PathKey[],
  root: z.core.$ZodType,
  doc: unknown,
  out: RawIssue[],
): void {
  const path = [...prefix, ...toPath(issue.path)];
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
    const here = schemaAt(root, path, doc);
    const known = here === undefined ? [] : keysAt(here, valueAt(doc, path));
    for (const key of issue.keys) out.push({ path: [...path, key], message: unknownKeyMessage(key, known) });
    return;
  }
  if (issue.code === 'invalid_union' && issue.discriminator === undefined && issue.errors !== undefined) {
    const fitting = issue.errors.filter(memberFits);
    const [member] = fitting;
    if (fitting.length === 1 && member !== undefined) {
      for (const inner of member) expand(inner, path, root, doc, out);
      return;
    }
  }
  out.push({ path, message: issue.message });
}

/** Replaces "{sensorId}" in a message under sensors[i] with that sensor's id. */
function withSensorId(issue: RawIssue, doc: unknown): RawIssue {
  if (!issue.message.includes('{sensorId}')) return issue;
  const [section, index] = issue.path;
  const id = section === 'sensors' && typeof index === 'number' ? valueAt(doc, ['sensors', index, 'id']) : undefined;
  return { ...issue, message: issue.message.replaceAll('{sensorId}', typeof id === 'string' ? id : '<sensor id>') };
}

/** One RawIssue per problem, in zod's order, paths still as keys. */
export function expandIssues(issues: readonly z.core.$ZodIssue[], root: z.core.$ZodType, doc: unknown): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) expand(issue, [], root, doc, out);
  return out.map((i) => withSensorId(i, doc));
}
