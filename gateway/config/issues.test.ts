import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { configErrorMap, expandIssues, formatIssue, formatPath } from './issues.js';

function issues(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { error: configErrorMap });
  return result.success ? [] : expandIssues(result.error.issues, schema, value).map((i) => `${formatPath(i.path)}: ${i.message}`);
}

describe('config issues', () => {
  it('writes paths the way the file reads', () => {
    assert.equal(formatPath(['sensors', 2, 'source', 'address']), 'sensors[2].source.address');
    assert.equal(formatPath(['sensors', 0, 'calibration', 'points', 1, 'raw']), 'sensors[0].calibration.points[1].raw');
    assert.equal(formatPath([]), '');
  });

  it('formats "path: message (line N)", with a column only when known', () => {
    assert.equal(formatIssue({ path: 'sensors[2].pin', message: 'must be an integer', line: 14 }), 'sensors[2].pin: must be an integer (line 14)');
    assert.equal(formatIssue({ path: '', message: 'bad YAML', line: 3, column: 5 }), 'bad YAML (line 3, column 5)');
    assert.equal(formatIssue({ path: 'mqtt.port', message: 'must be a number' }), 'mqtt.port: must be a number');
  });

  it('says plainly what is missing, empty or of the wrong type', () => {
    const schema = z.strictObject({ a: z.number(), b: z.string(), c: z.boolean(), d: z.array(z.number()) });
    assert.deepEqual(issues(schema, { b: null, c: 'on', d: {} }), [
      'a: missing (required)',
      'b: is empty: give a value or remove the line',
      'c: must be true or false, not "on" (YAML 1.2 reads yes/no/on/off as text)',
      'd: must be a list (lines starting with "- "), not a block of settings',
    ]);
  });

  it('gives bounds in words', () => {
    const schema = z.strictObject({ a: z.number().min(1), b: z.number().gt(0), c: z.number().max(10), d: z.string().min(1), e: z.array(z.number()).min(2) });
    assert.deepEqual(issues(schema, { a: 0, b: 0, c: 11, d: '', e: [1] }), [
      'a: must be at least 1',
      'b: must be above 0',
      'c: must be at most 10',
      'd: must not be empty',
      'e: needs at least 2 items',
    ]);
  });

  it('lists the choices and suggests the nearest', () => {
    assert.deepEqual(issues(z.strictObject({ kind: z.enum(['level', 'gas']) }), { kind: 'gaz' }), [
      'kind: must be one of level, gas, not "gaz" — did you mean gas?',
    ]);
  });

  it('splits unknown keys one per line, with a suggestion or the keys the block takes', () => {
    const schema = z.strictObject({ interval: z.number().optional(), name: z.string().optional() });
    assert.deepEqual(issues(schema, { intreval: 1, colour: 'red' }), [
      'intreval: unknown key — did you mean `interval`?',
      'colour: unknown key (this block takes interval, name)',
    ]);
  });

  it('reports the union member the value was meant for, not every member', () => {
    const schema = z.strictObject({ rule: z.union([z.boolean(), z.strictObject({ percent: z.number() })]) });
    assert.deepEqual(issues(schema, { rule: { percent: 'ten' } }), ['rule.percent: must be a number, not "ten"']);
    assert.deepEqual(issues(schema, { rule: 'x' }), ['rule: does not match any allowed form']);
  });

  it('names the sensor in a message that refers to it', () => {
    const schema = z.strictObject({
      sensors: z.array(z.strictObject({ id: z.string(), r0: z.number({ error: 'run `easygas calibrate {sensorId}`' }) })),
    });
    assert.deepEqual(issues(schema, { sensors: [{ id: 'kitchen-gas' }, {}] }), [
      'sensors[0].r0: run `easygas calibrate kitchen-gas`',
      'sensors[1].id: missing (required)',
      'sensors[1].r0: run `easygas calibrate <sensor id>`',
    ]);
  });
});
