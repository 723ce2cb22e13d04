import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from './passwords.js';

const cheap = { N: 1024, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple', cheap);
    assert.match(hash, /^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapler', hash), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same', cheap), await hashPassword('same', cheap));
  });

  it('treats a canonically equal Unicode password as the same', async () => {
    const hash = await hashPassword('caf\u00e9', cheap);
    assert.equal(await verifyPassword('cafe\u0301', hash), true);
  });

  it('refuses stored hashes it does not understand instead of throwing', async () => {
    assert.equal(await verifyPassword('x', 'bcrypt$whatever'), false);
    assert.equal(await verifyPassword('x', 'scrypt$0$8$1$aa$bb'), false);
  });
});
