import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signJwt, verifyJwt } from './jwt.js';

const NOW = Date.UTC(2026, 0, 1);
const claims = { sub: 'user-1', role: 'customer', ver: 0, iat: NOW / 1000, exp: NOW / 1000 + 900 };
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('HS256 JWT', () => {
  it('verifies what it signed, until it expires', () => {
    const token = signJwt(claims, 'secret');
    assert.deepEqual(verifyJwt(token, 'secret', NOW), { ok: true, claims });
    assert.deepEqual(verifyJwt(token, 'secret', NOW + 899_999), { ok: true, claims });
    assert.deepEqual(verifyJwt(token, 'secret', NOW + 900_000), { ok: false, reason: 'expired' });
  });

  it('refuses another key, a changed payload and a changed signature', () => {
    const token = signJwt(claims, 'secret');
    assert.deepEqual(verifyJwt(token, 'other', NOW), { ok: false, reason: 'signature' });
    const [h, , s] = token.split('.');
    assert.deepEqual(verifyJwt(`${h}.${b64({ ...claims, role: 'admin' })}.${s}`, 'secret', NOW), { ok: false, reason: 'signature' });
    assert.deepEqual(verifyJwt(`${token.slice(0, -2)}AA`, 'secret', NOW).ok, false);
    assert.deepEqual(verifyJwt(`${token}!`, 'secret', NOW), { ok: false, reason: 'signature' }, 'junk base64url is not ignored');
  });

  it('refuses alg "none" and any algorithm but HS256', () => {
    const payload = b64(claims);
    assert.deepEqual(verifyJwt(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`, 'secret', NOW), { ok: false, reason: 'algorithm' });
    const hs512 = b64({ alg: 'HS512', typ: 'JWT' });
    const sig = createHmac('sha512', 'secret').update(`${hs512}.${payload}`).digest('base64url');
    assert.deepEqual(verifyJwt(`${hs512}.${payload}.${sig}`, 'secret', NOW), { ok: false, reason: 'algorithm' });
  });

  it('refuses malformed tokens and claims of the wrong shape', () => {
    assert.deepEqual(verifyJwt('abc', 'secret', NOW), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifyJwt('a.b.c', 'secret', NOW), { ok: false, reason: 'malformed' });
    const odd = signJwt({ ...claims, ver: 'zero' as unknown as number }, 'secret');
    assert.deepEqual(verifyJwt(odd, 'secret', NOW), { ok: false, reason: 'claims' });
  });
});
