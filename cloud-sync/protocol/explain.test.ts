import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { explain } from './explain.js';
import { validator } from './validator.js';

describe('explain', () => {
  it('finds nothing wrong with a valid value', () => {
    const schema = Type.Object({ a: Type.Integer(), b: Type.Optional(Type.String()) }, { additionalProperties: false });
    assert.deepEqual(explain(schema, { a: 1 }), []);
  });

  it('names the choices of a union of literals, and of primitives', () => {
    assert.deepEqual(explain(Type.Union([Type.Literal('a'), Type.Literal('b')]), 'c'), [{ path: '', message: 'must be one of "a", "b"' }]);
    assert.deepEqual(explain(Type.Object({ n: Type.Union([Type.Number(), Type.Null()]) }), { n: 'x' }), [
      { path: 'n', message: 'must be a number or null' },
    ]);
  });

  it('judges a tagged union by its tag, and names a missing or unknown tag', () => {
    const shape = Type.Union([
      Type.Object({ kind: Type.Literal('circle'), r: Type.Number() }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('square'), side: Type.Number() }, { additionalProperties: false }),
    ]);
    assert.deepEqual(explain(shape, { kind: 'square', r: 1 }), [
      { path: 'r', message: 'is not a known field: remove it (check its spelling)' },
      { path: 'side', message: 'is required' },
    ]);
    assert.deepEqual(explain(shape, { kind: 'hexagon' }), [{ path: 'kind', message: 'must be one of "circle", "square"' }]);
    assert.deepEqual(explain(shape, { r: 1 }), [{ path: 'kind', message: 'is required: one of "circle", "square"' }]);
  });

  it('falls back to the closest branch of an untagged union', () => {
    const shape = Type.Union([Type.Object({ a: Type.Number(), b: Type.Number() }), Type.Object({ c: Type.String() })]);
    assert.deepEqual(explain(shape, { c: 5 }), [{ path: 'c', message: 'must be a string' }]);
  });

  it("uses a schema's own errorMessage for pattern and length failures", () => {
    const schema = Type.Object({ id: Type.String({ pattern: '^[a-z]+$', errorMessage: 'must be lowercase letters' }) });
    assert.deepEqual(explain(schema, { id: 'ABC' }), [{ path: 'id', message: 'must be lowercase letters' }]);
    assert.deepEqual(explain(Type.String({ format: 'email' }), 'nope'), [{ path: '', message: 'must be a valid email' }]);
  });

  it('checks bounds with words a person reads', () => {
    const schema = Type.Object({
      a: Type.Number({ minimum: 0 }),
      b: Type.Number({ exclusiveMinimum: 0 }),
      c: Type.Array(Type.Number(), { maxItems: 1 }),
      d: Type.Array(Type.Number(), { uniqueItems: true }),
    });
    assert.deepEqual(
      explain(schema, { a: -1, b: 0, c: [1, 2], d: [1, 1] }).map((i) => `${i.path}: ${i.message}`),
      ['a: must be at least 0', 'b: must be above 0', 'c: must have at most 1 items', 'd: must not repeat an item'],
    );
  });

  it('prefixes paths, e.g. with the part of the request', () => {
    const parsed = validator(Type.Object({ days: Type.Integer() })).parse({ days: 1.5 }, ['query']);
    assert.deepEqual(parsed, { ok: false, issues: [{ path: 'query.days', message: 'must be an integer' }] });
  });
});
