import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SendOutcome } from '../channel.js';
import { gasAlarm } from '../test-support/messages.js';
import { startTestWebhookReceiver, type TestWebhookReceiver } from '../test-support/webhook-receiver.js';
import type { Resolver } from '../target-guard.js';
import { createWebhookChannel } from './webhook-channel.js';
import type { WebhookBody } from './webhook-body.js';
import { newWebhookSecret, verifyWebhookSignature } from './webhook-signature.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SECRET = newWebhookSecret();

function assertStatus<S extends SendOutcome['status']>(outcome: SendOutcome, status: S): asserts outcome is Extract<SendOutcome, { status: S }> {
  assert.equal(outcome.status, status, `expected ${status}, got ${JSON.stringify(outcome)}`);
}

const toLoopback: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

describe('webhook channel against a local receiver', () => {
  let receiver: TestWebhookReceiver;
  const lan = () => createWebhookChannel({ allowPrivate: true, timeoutMs: 2_000 }, { now: () => NOW });
  const strict = (resolver?: Resolver) => createWebhookChannel({ allowPrivate: false, timeoutMs: 2_000 }, { now: () => NOW, ...(resolver ? { resolver } : {}) });

  before(async () => {
    receiver = await startTestWebhookReceiver();
  });
  after(() => receiver.close());

  it('POSTs a signed JSON body that the receivers’ verifier accepts, and only within the tolerance', async () => {
    const outcome = await lan().send(gasAlarm(), { url: receiver.url, secret: SECRET });
    assertStatus(outcome, 'delivered');
    assert.equal(outcome.providerMessageId, 'd-0001');
    const hook = await receiver.received.waitFor('the webhook');
    assert.equal(hook.method, 'POST');
    assert.equal(hook.path, '/hooks/easygas');
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.equal(hook.headers['x-easygas-delivery'], 'd-0001');
    assert.equal(hook.headers['x-easygas-timestamp'], String(NOW / 1000));
    const verify = (now: number) =>
      verifyWebhookSignature({ secret: SECRET, body: hook.body, timestamp: hook.headers['x-easygas-timestamp'] as string, signature: hook.headers['x-easygas-signature'] as string, now });
    assert.deepEqual(verify(NOW + 5_000), { ok: true, timestamp: NOW / 1000 });
    assert.deepEqual(verify(NOW + 10 * 60_000), { ok: false, reason: 'too_old' }, 'a replay ten minutes later is refused');

    const body = JSON.parse(hook.body) as WebhookBody;
    assert.equal(body.headline, 'ALARM: Kitchen gas: gas alarm');
    assert.equal(body.alert, 'gw-3f2b:kitchen-gas:gas');
    assert.equal(body.severity, 'critical');
    assert.equal(body.occurredAtIso, '2026-01-15T12:00:00.000Z');
    assert.match(body.advice[0] ?? '', /^Leave the building now/);
    assert.equal(body.links.acknowledge, 'https://easygas.example/a/ack?t=tok-ack-1');
  });

  it('refuses private and loopback targets unless allowed, by literal and by name, without connecting', async () => {
    const seen = receiver.received.items.length;
    for (const url of [receiver.url, `http://[::1]:${receiver.port}/x`, 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/hook', 'http://[::ffff:127.0.0.1]/x']) {
      const outcome = await strict().send(gasAlarm(), { url, secret: SECRET });
      assertStatus(outcome, 'failed');
      assert.equal(outcome.error.code, 'WEBHOOK_TARGET_REFUSED', url);
      assert.equal(outcome.addressRejected, true);
    }
    const named = await strict(toLoopback).send(gasAlarm(), { url: `http://hooks.example.test:${receiver.port}/x`, secret: SECRET });
    assertStatus(named, 'failed');
    assert.match(named.error.message, /127\.0\.0\.1, a private or local address/);
    assert.equal(receiver.received.items.length, seen, 'nothing reached the receiver');

    // Allowed: the name resolves through the same guard and the vetted address is the one used.
    const allowed = createWebhookChannel({ allowPrivate: true, timeoutMs: 2_000 }, { now: () => NOW, resolver: toLoopback });
    assertStatus(await allowed.send(gasAlarm(), { url: `http://hooks.example.test:${receiver.port}/named`, secret: SECRET }), 'delivered');
    assert.equal((await receiver.received.waitFor('the named hook', (h) => h.path === '/named')).headers.host, `hooks.example.test:${receiver.port}`);
  });

  it('does not follow redirects, honours Retry-After on 503, treats 410 as gone and other 4xx as failures', async () => {
    receiver.script(
      { status: 302, headers: { location: 'http://169.254.169.254/' } },
      { status: 503, headers: { 'retry-after': '45' } },
      { status: 410 },
      { status: 400, body: 'unknown field "alert"' },
    );
    const hook = lan();
    const address = { url: receiver.url, secret: SECRET };
    const redirected = await hook.send(gasAlarm(), address);
    assertStatus(redirected, 'failed');
    assert.equal(redirected.error.code, 'WEBHOOK_REDIRECTED');
    assert.match(redirected.error.message, /169\.254\.169\.254/);
    const busy = await hook.send(gasAlarm(), address);
    assertStatus(busy, 'retry');
    assert.equal(busy.retryAfterMs, 45_000);
    assertStatus(await hook.send(gasAlarm(), address), 'gone');
    const refused = await hook.send(gasAlarm(), address);
    assertStatus(refused, 'failed');
    assert.match(refused.error.message, /HTTP 400 \(unknown field "alert"\)/);
  });

  it('a receiver that never answers is cut off at the deadline and retried; bad URLs fail at once', async () => {
    receiver.script({ status: 200, hang: true });
    const started = performance.now();
    const hung = await createWebhookChannel({ allowPrivate: true, timeoutMs: 1_000 }, { now: () => NOW }).send(gasAlarm(), { url: receiver.url, secret: SECRET });
    assertStatus(hung, 'retry');
    assert.equal(hung.error.code, 'WEBHOOK_TIMEOUT');
    assert.ok(performance.now() - started >= 900, 'it waited for the deadline');

    for (const url of ['not a url', 'ftp://example.com/x', 'https://user:pw@example.com/x']) {
      const outcome = await lan().send(gasAlarm(), { url, secret: SECRET });
      assertStatus(outcome, 'failed');
      assert.equal(outcome.error.code, 'WEBHOOK_URL_INVALID', url);
    }
  });
});
