import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from './crc32.js';

test('crc32 gives the standard IEEE check values', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('crc32 of a range equals crc32 of that slice', () => {
  const bytes = Buffer.from('xx123456789yy');
  assert.equal(crc32(bytes, 2, 11), 0xcbf43926);
});
