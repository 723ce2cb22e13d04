import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCRYPT_HASH_RE } from '../config/schema/mqtt.js';
import { DEFAULT_SCRYPT, hashPassword, parseScryptHash, verifyPassword } from './password-hash.js';

const FAST = { ln: 10, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  it('hash in the PHC format the config accepts, and verify', async () => {
    const hash = await hashPassword('correct horse', FAST);
    assert.match(hash, SCRYPT_HASH_RE);
    assert.match(hash, /^\$scrypt\$ln=10,r=8,p=1\$/);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword(Buffer.from('correct horse'), hash), true);
    assert.equal(await verifyPassword('correct horsE', hash), false);
    assert.equal(await verifyPassword('', hash), false);
    assert.notEqual(await hashPassword('correct horse', FAST), hash, 'a fresh salt every time');
  });

  it('default to 2^15, and verify with the parameters the hash names', async () => {
    assert.deepEqual(DEFAULT_SCRYPT, { ln: 15, r: 8, p: 1 });
    const strong = await hashPassword('pw');
    assert.deepEqual(parseScryptHash(strong)?.params, DEFAULT_SCRYPT);
    assert.equal(await verifyPassword('pw', strong), true, 'N = 2^15 needs more than Node\'s default 32 MiB maxmem');
  });

  it('never match a malformed hash', async () => {
    for (const bad of ['plaintext', '$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaA', '$argon2id$v=19$m=65536,t=3,p=4$abc$def']) {
      assert.equal(parseScryptHash(bad), undefined, bad);
      assert.equal(await verifyPassword('plaintext', bad), false);
    }
  });
});
