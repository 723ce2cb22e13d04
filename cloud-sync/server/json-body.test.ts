import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './errors.js';
import { parseJsonBody } from './json-body.js';

function failure(text: string): ApiError {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('JSON body parser', () => {
  it('parses JSON, and an empty body as nothing', () => {
    assert.deepEqual(parseJsonBody('{"a":[1,2]}'), { a: [1, 2] });
    assert.equal(parseJsonBody('  '), undefined);
  });

  it('says where the syntax broke', () => {
    const error = failure('{"a": 1,,}');
    assert.equal(error.code, 'EASYGAS_INVALID_JSON');
    assert.equal(error.statusCode, 400);
    assert.match(error.message, /not valid JSON \(.*position/);
  });

  it('refuses prototype-poisoning keys, but not the same words inside strings', () => {
    assert.match(failure('{"a": {"__proto__": {"admin": true}}}').message, /"__proto__" is not allowed/);
    assert.match(failure('{"constructor": {"prototype": {"x": 1}}}').message, /"prototype" is not allowed/);
    assert.deepEqual(parseJsonBody('{"message": "the key \\"__proto__\\": is fine in text"}'), { message: 'the key "__proto__": is fine in text' });
  });
});
