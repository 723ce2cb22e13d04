import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import webpush from 'web-push';
import { checkVapidAuthorization, decryptAes128gcm, newUserAgentKeys } from './web-push-crypto.js';

const AUDIENCE = 'https://push.example.test';

function request(payload: string, ua = newUserAgentKeys()) {
  const vapid = webpush.generateVAPIDKeys();
  const details = webpush.generateRequestDetails(
    { endpoint: `${AUDIENCE}/push/1`, keys: { p256dh: ua.publicKey.toString('base64url'), auth: ua.authSecret.toString('base64url') } },
    payload,
    { vapidDetails: { subject: 'mailto:ops@easygas.example', publicKey: vapid.publicKey, privateKey: vapid.privateKey }, contentEncoding: 'aes128gcm' },
  );
  return { ua, vapid, body: details.body, authorization: String(details.headers.Authorization) };
}

describe('the test push service checks what a real one would (so a wrong sender fails)', () => {
  it('decrypts what web-push encrypts, and nothing else', () => {
    const { ua, body } = request('{"hello":"device"}');
    assert.equal(decryptAes128gcm(body, ua).toString(), '{"hello":"device"}');
    assert.throws(() => decryptAes128gcm(body, { ...ua, authSecret: Buffer.alloc(16) }), /auth|decrypt/i, 'another auth secret');
    assert.throws(() => decryptAes128gcm(body, newUserAgentKeys()), 'another device key');
    const flipped = Buffer.from(body);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] ?? 0) ^ 1;
    assert.throws(() => decryptAes128gcm(flipped, ua), 'a changed byte');
  });

  it('accepts a valid VAPID header and refuses a wrong key, audience, signature or expiry', () => {
    const { vapid, authorization } = request('x');
    const now = Date.now();
    const ok = checkVapidAuthorization(authorization, { publicKey: vapid.publicKey, audience: AUDIENCE, now });
    assert.equal(ok.ok, true, JSON.stringify(ok));

    const other = webpush.generateVAPIDKeys().publicKey;
    assert.match(reason(checkVapidAuthorization(authorization, { publicKey: other, audience: AUDIENCE, now })), /application server key/);
    assert.match(reason(checkVapidAuthorization(authorization, { publicKey: vapid.publicKey, audience: 'https://other.test', now })), /aud/);
    assert.match(reason(checkVapidAuthorization(authorization, { publicKey: vapid.publicKey, audience: AUDIENCE, now: now + 25 * 3_600_000 })), /exp/);
    assert.match(reason(checkVapidAuthorization(authorization, { publicKey: vapid.publicKey, audience: AUDIENCE, now: now - 13 * 3_600_000 })), /24 hours/);
    const tampered = authorization.replace(/t=([^.]+)\.([^.]+)\.([^,]+)/, (_, h: string, p: string, s: string) => {
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      return `t=${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mailto:evil@example.test' })).toString('base64url')}.${s}`;
    });
    assert.match(reason(checkVapidAuthorization(tampered, { publicKey: vapid.publicKey, audience: AUDIENCE, now })), /signature/);
    assert.match(reason(checkVapidAuthorization(undefined, { publicKey: vapid.publicKey, audience: AUDIENCE, now })), /no "vapid"/);
  });
});

function reason(check: ReturnType<typeof checkVapidAuthorization>): string {
  return check.ok ? 'accepted' : check.reason;
}
