import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { gatewayConfigSchema } from './schema.js';
import { childSchema, isTextLeaf, keysAt, nodeKind, schemaAt, unwrap, valueAt } from './schema-walk.js';

describe('schema walk', () => {
  it('sees through optional, default, prefault and pipes', () => {
    const inner = z.strictObject({ a: z.number() });
    const wrapped = inner.transform((v) => v.a).optional().prefault({ a: 1 });
    assert.equal(unwrap(wrapped), inner);
  });

  it('lists the keys of a section in schema order', () => {
    const store = schemaAt(gatewayConfigSchema, ['store']);
    assert.ok(store !== undefined);
    assert.deepEqual(keysAt(store), ['batchInterval', 'batchMaxRows', 'maxSize', 'downsampleBucket']);
  });

  it('chooses a union member by the document’s discriminator, and merges members when it does not say', () => {
    const doc = { sensors: [{ source: { driver: 'ultrasonic' } }, { source: {} }] };
    const chosen = schemaAt(gatewayConfigSchema, ['sensors', 0, 'source'], doc);
    const open = schemaAt(gatewayConfigSchema, ['sensors', 1, 'source'], doc);
    assert.ok(chosen !== undefined && open !== undefined);
    assert.deepEqual(keysAt(chosen, valueAt(doc, ['sensors', 0, 'source'])), ['driver', 'port', 'baudRate', 'model', 'mode']);
    const all = keysAt(open, {});
    for (const key of ['address', 'port', 'gpio', 'headerPin', 'node', 'warmup']) assert.ok(all.includes(key), key);
  });

  it('knows blocks, lists and single values', () => {
    const sensors = schemaAt(gatewayConfigSchema, ['sensors']);
    assert.ok(sensors !== undefined);
    assert.equal(nodeKind(sensors), 'array');
    assert.equal(nodeKind(gatewayConfigSchema), 'object');
    const interval = schemaAt(gatewayConfigSchema, ['sensors', 0, 'interval']);
    assert.ok(interval !== undefined);
    assert.equal(nodeKind(interval), 'leaf', 'a duration is one value though it is a union inside');
    const lowLevel = schemaAt(gatewayConfigSchema, ['sensors', 0, 'rules', 'lowLevel']);
    assert.ok(lowLevel !== undefined);
    assert.equal(nodeKind(lowLevel), 'object', 'false | { … } is still a block');
  });

  it('finds nothing off the schema', () => {
    assert.equal(schemaAt(gatewayConfigSchema, ['store', 'nope']), undefined);
    assert.equal(childSchema(gatewayConfigSchema, 3), undefined);
    assert.equal(valueAt({ a: [1] }, ['a', 0, 'b']), undefined);
  });

  it('tells text leaves (kept verbatim from the environment) from the others', () => {
    const at = (...path: (string | number)[]) => {
      const s = schemaAt(gatewayConfigSchema, path, { sensors: [{ source: { driver: 'ads1115' } }] });
      assert.ok(s !== undefined, path.join('.'));
      return s;
    };
    assert.equal(isTextLeaf(at('api', 'password')), true);
    assert.equal(isTextLeaf(at('log', 'level')), true);
    assert.equal(isTextLeaf(at('mqtt', 'port')), false);
    assert.equal(isTextLeaf(at('log', 'pretty')), false);
    assert.equal(isTextLeaf(at('sensors', 0, 'source', 'fullScale')), false);
  });
});
