import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLAIM_CODE_ALPHABET, normalizeClaimCode } from '../../protocol/index.js';
import { newClaimCode, newToken, sha256 } from './secrets.js';

describe('secrets', () => {
  it('makes claim codes of the typable alphabet that read back as themselves', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = newClaimCode();
      assert.equal(code.length, 8);
      for (const ch of code) assert.ok(CLAIM_CODE_ALPHABET.includes(ch), ch);
      assert.equal(normalizeClaimCode(code), code);
      seen.add(code);
    }
    assert.ok(seen.size > 195, 'codes are random');
  });

  it('makes prefixed tokens with 256 random bits, stored as a hash', () => {
    const token = newToken('egw');
    assert.match(token, /^egw_[\w-]{43}$/);
    assert.notEqual(newToken('egw'), token);
    assert.equal(sha256(token), sha256(token));
    assert.notEqual(sha256(token), token);
  });
});
