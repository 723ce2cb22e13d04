import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = newWebhookSecret();
const BODY = '{"id":"d-1","severity":"critical"}';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const T = NOW / 1000;

describe('webhook signatures', () => {
  it('verify what was signed, with the raw body and within the tolerance', () => {
    assert.match(SECRET, /^whsec_[A-Za-z0-9_-]{43}$/);
    const signature = signWebhook(SECRET, T, BODY);
    assert.match(signature, /^v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, body: BODY, timestamp: String(T), signature, now: NOW }), { ok: true, timestamp: T });
    assert.equal(verifyWebhookSignature({ secret: SECRET, body: Buffer.from(BODY), timestamp: String(T), signature, now: NOW + 299_000 }).ok, true);
  });

  it('reject a replay outside the tolerance, a future stamp, a changed body, stamp or secret', () => {
    const signature = signWebhook(SECRET, T, BODY);
    const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret: SECRET, body: BODY, timestamp: String(T), signature, now: NOW, ...over });
    assert.deepEqual(check({ now: NOW + 301_000 }), { ok: false, reason: 'too_old' });
    assert.deepEqual(check({ now: NOW - 301_000 }), { ok: false, reason: 'too_new' });
    assert.deepEqual(check({ now: NOW + 3_601_000, toleranceSeconds: 3_600 }), { ok: false, reason: 'too_old' });
    assert.deepEqual(check({ body: BODY.replace('critical', 'info') }), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(check({ timestamp: String(T + 1), now: NOW + 1_000 }), { ok: false, reason: 'bad_signature' }, 'the stamp is signed too');
    assert.deepEqual(check({ secret: newWebhookSecret() }), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(check({ timestamp: undefined }), { ok: false, reason: 'missing_timestamp' });
    assert.deepEqual(check({ timestamp: '1e9' }), { ok: false, reason: 'bad_timestamp' });
    assert.deepEqual(check({ signature: 'sha256=abc' }), { ok: false, reason: 'missing_signature' });
    assert.deepEqual(check({ signature: 'v1=zz' }), { ok: false, reason: 'bad_signature' });
  });

  it('accept either secret during a rotation, and any of several v1 signatures', () => {
    const old = newWebhookSecret();
    const both = `${signWebhook(old, T, BODY)}, ${signWebhook(SECRET, T, BODY)}`;
    assert.equal(verifyWebhookSignature({ secret: SECRET, body: BODY, timestamp: String(T), signature: both, now: NOW }).ok, true);
    assert.equal(verifyWebhookSignature({ secret: [SECRET, old], body: BODY, timestamp: String(T), signature: signWebhook(old, T, BODY), now: NOW }).ok, true);
  });
});
