import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { evenWhenPartsFail, partsOf, type Parts } from './sound-parts.js';

/** Runs `check` as a parts check on `schema` and returns what it saw plus the issue paths. */
function run(schema: z.ZodObject, value: unknown, check: (parts: Parts) => void): string[] {
  const result = schema.superRefine((_v, ctx) => check(partsOf(ctx)), evenWhenPartsFail).safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

describe('sound parts', () => {
  const schema = z.strictObject({
    a: z.number(),
    b: z.strictObject({ c: z.number(), d: z.number() }),
  });

  it('vouches for parts with no issue at or below them', () => {
    const seen: Record<string, boolean> = {};
    run(schema, { a: 'x', b: { c: 1, d: 'y' } }, (parts) => {
      seen.a = parts.sound('a');
      seen.b = parts.sound('b');
      seen.bc = parts.sound('b', 'c');
      seen.bd = parts.sound('b', 'd');
    });
    assert.deepEqual(seen, { a: false, b: false, bc: true, bd: false });
  });

  it('does not vouch for children of a block that failed as a whole', () => {
    let childSound: boolean | undefined;
    run(schema, { a: 1, b: 'oops' }, (parts) => {
      childSound = parts.sound('b', 'c');
    });
    assert.equal(childSound, false);
  });

  it('still vouches for fields next to an unknown key or a refinement complaint', () => {
    const refined = z.strictObject({
      a: z.number(),
      b: z
        .strictObject({ c: z.number() })
        .superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', message: 'whole-block complaint' })),
    });
    let seen: boolean[] = [];
    run(refined, { a: 1, typo: 2, b: { c: 1 } }, (parts) => {
      seen = [parts.sound('a'), parts.sound('b', 'c')];
    });
    assert.deepEqual(seen, [true, true]);
  });

  it('runs even after an aborting failure elsewhere, and reports at its path', () => {
    const paths = run(schema, { a: 'x', b: { c: 1, d: 2 } }, (parts) => parts.issue(['b', 'c'], 'cross-field'));
    assert.deepEqual(paths, ['a', 'b.c']);
  });

  it('skips a value that is not an object at all', () => {
    let ran = false;
    run(schema, 42, () => {
      ran = true;
    });
    assert.equal(ran, false);
  });
});
