/** The payment webhook's signature: accepted when fresh and exact; refused when missing, malformed, replayed after 5 minutes, or for any other body or secret. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhookSignature, WEBHOOK_TOLERANCE_MS } from './webhook-signature.js';

const SECRET = 'whsec_test';
const NOW = Date.UTC(2026, 11, 7, 6, 0);
const BODY = '{"type":"payment.succeeded","orderNumber":"WO-7KQ2-M9XD","eventId":"evt_1"}';

describe('payment webhook signature', () => {
  it('accepts the exact body, secret and a fresh timestamp', () => {
    assert.deepEqual(verifyWebhookSignature(signWebhook(SECRET, BODY, NOW - 1_000), BODY, SECRET, NOW), { ok: true, at: NOW - 1_000 });
    assert.equal(verifyWebhookSignature(signWebhook(SECRET, BODY, NOW - WEBHOOK_TOLERANCE_MS + 1_000), BODY, SECRET, NOW).ok, true, 'just inside 5 minutes');
  });

  it('refuses a missing or malformed header', () => {
    for (const header of [undefined, '', 'v1=abc', 't=now,v1=00', `t=${NOW / 1000},v1=zz`]) {
      const check = verifyWebhookSignature(header, BODY, SECRET, NOW);
      assert.equal(check.ok, false, String(header));
      if (!check.ok) assert.ok(check.reason === 'missing' || check.reason === 'malformed', `${String(header)}: ${check.reason}`);
    }
  });

  it('refuses a replay older than 5 minutes, or one far ahead', () => {
    assert.deepEqual(verifyWebhookSignature(signWebhook(SECRET, BODY, NOW - WEBHOOK_TOLERANCE_MS - 1_000), BODY, SECRET, NOW), { ok: false, reason: 'expired' });
    assert.deepEqual(verifyWebhookSignature(signWebhook(SECRET, BODY, NOW + WEBHOOK_TOLERANCE_MS + 1_000), BODY, SECRET, NOW), { ok: false, reason: 'expired' });
  });

  it('refuses another body, another secret, or a timestamp swapped under the signature', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    assert.deepEqual(verifyWebhookSignature(header, BODY.replace('evt_1', 'evt_2'), SECRET, NOW), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature(header, BODY, 'whsec_other', NOW), { ok: false, reason: 'mismatch' });
    const swapped = header.replace(/^t=\d+/, `t=${Math.floor(NOW / 1000) - 1}`);
    assert.deepEqual(verifyWebhookSignature(swapped, BODY, SECRET, NOW), { ok: false, reason: 'mismatch' });
  });
});
