/**
 * Builders for config documents in tests: the smallest valid sensor of each
 * driver, and a parse that returns "path: message" lines.
 */
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { configErrorMap, expandIssues, formatPath } from '../issues.js';
import { gatewayConfigSchema, type GatewayConfig } from '../schema.js';

export type Doc = Record<string, unknown>;

export const SENSORS = {
  lpg: {
    id: 'lpg',
    name: 'LPG cylinder',
    kind: 'level',
    source: { driver: 'ads1115', address: 0x48, input: 'AIN0', fullScale: 2.048 },
    calibration: { type: 'two_point', points: [{ raw: 1.81, value: 5 }, { raw: 0.39, value: 80 }] },
    level: { measures: 'gauge_percent', tank: { shape: 'capacity', litres: 108, maxFillFraction: 0.8 } },
  },
  tank: {
    id: 'roof-tank',
    name: 'Roof tank',
    kind: 'level',
    source: { driver: 'ultrasonic', port: '/dev/serial0', model: 'A02YYUW' },
    level: { measures: 'distance_mm', mountHeightMm: 1250, tank: { shape: 'vertical_cylinder', diameterMm: 1100, heightMm: 1100 } },
  },
  gas: {
    id: 'kitchen-gas',
    name: 'Kitchen gas',
    kind: 'gas',
    source: { driver: 'mq6', input: 'AIN1', dividerRatio: 1.5 },
    calibration: { type: 'mq6', r0Ohms: 10_000 },
  },
  leak: {
    id: 'sink',
    name: 'Under the sink',
    kind: 'leak',
    source: { driver: 'contact', gpio: 17, activeLow: true },
  },
  temperature: {
    id: 'attic',
    name: 'Attic',
    kind: 'temperature',
    source: { driver: 'ds18b20', id: '28-0316a2794cff' },
  },
  wifi: {
    id: 'garden-tank',
    name: 'Garden tank',
    kind: 'level',
    source: { driver: 'mqtt', node: 'garden-node' },
    level: { measures: 'height_mm', tank: { shape: 'rectangular', lengthMm: 1000, widthMm: 500, heightMm: 800 } },
  },
} as const satisfies Record<string, Doc>;

/** A deep copy of a builder sensor with some keys replaced (undefined removes a key). */
export function sensor(base: keyof typeof SENSORS, changes: Doc = {}): Doc {
  const copy = structuredClone(SENSORS[base]) as Doc;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) Reflect.deleteProperty(copy, key);
    else copy[key] = value;
  }
  return copy;
}

export function configDoc(parts: Doc = {}): Doc {
  return { version: 1, ...parts };
}

export type Parsed = { readonly ok: true; readonly config: GatewayConfig } | { readonly ok: false; readonly issues: string[] };

/** Validates a document; issues come back as "path: message" lines. */
export function parse(doc: unknown): Parsed {
  const result = gatewayConfigSchema.safeParse(doc, { error: configErrorMap });
  if (result.success) return { ok: true, config: result.data };
  const issues = expandIssues(result.error.issues, gatewayConfigSchema, doc).map((i) => `${formatPath(i.path)}: ${i.message}`);
  return { ok: false, issues };
}

export function issuesOf(doc: unknown): string[] {
  const parsed = parse(doc);
  return parsed.ok ? [] : parsed.issues;
}

/** Asserts exactly these "path: message" issues (messages matched by regex). */
export function assertIssues(doc: unknown, expected: readonly (readonly [string, RegExp])[]): void {
  const issues = issuesOf(doc);
  const text = issues.join('\n');
  assert.equal(issues.length, expected.length, `expected ${expected.length} issues, got:\n${text}`);
  for (const [path, message] of expected) {
    const found = issues.find((i) => i.startsWith(`${path}: `));
    assert.ok(found !== undefined, `no issue at ${path} in:\n${text}`);
    assert.match(found, message);
  }
}

export function valid(doc: unknown): GatewayConfig {
  const parsed = parse(doc);
  if (!parsed.ok) throw new Error(`expected a valid config, got:\n${parsed.issues.join('\n')}`);
  return parsed.config;
}

/** A real scrypt hash in the format mqtt.users expects. */
export function scryptHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  return `$scrypt$ln=14,r=8,p=1$${salt.toString('base64')}$${hash.toString('base64')}`;
}
