import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { SendOutcome } from '../channel.js';
import { Secret } from '../secret.js';
import type { PushSettings } from '../settings.js';
import { gasAlarm, lowLevelWarning, resolvedGas } from '../test-support/messages.js';
import { startTestPushService, type TestPushService } from '../test-support/push-service.js';
import { makeTestCertificate, type TestCertificate } from '../test-support/tls-cert.js';
import { createPushChannel, type PushChannelOptions } from './push-channel.js';
import { MAX_PAYLOAD_BYTES, pushTopic, type PushPayload } from './push-payload.js';
import { generateVapidKeys, type VapidKeys } from './vapid-keys.js';

function assertStatus<S extends SendOutcome['status']>(outcome: SendOutcome, status: S): asserts outcome is Extract<SendOutcome, { status: S }> {
  assert.equal(outcome.status, status, `expected ${status}, got ${JSON.stringify(outcome)}`);
}

function settings(keys: VapidKeys, overrides: Partial<PushSettings> = {}): PushSettings {
  return {
    vapidPublicKey: keys.publicKey,
    vapidPrivateKey: new Secret(keys.privateKey),
    subject: 'mailto:ops@easygas.example',
    ttlSeconds: 86_400,
    allowPrivate: true,
    ...overrides,
  };
}

describe('push channel against a local push service (VAPID, RFC 8291 aes128gcm, RFC 8030 headers)', () => {
  let cert: TestCertificate;
  let keys: VapidKeys;
  let service: TestPushService;
  const closers: { close(): Promise<void> }[] = [];
  const channel = (overrides: Partial<PushSettings> = {}, options: Partial<PushChannelOptions> = {}) => {
    const c = createPushChannel(settings(keys, overrides), { now: Date.now, ca: cert.ca, ...options });
    closers.push(c);
    return c;
  };

  before(async () => {
    cert = await makeTestCertificate();
    keys = generateVapidKeys();
    service = await startTestPushService({ tls: cert, vapidPublicKey: keys.publicKey });
  });
  after(async () => {
    await Promise.all(closers.map((c) => c.close()));
    await service.close();
  });

  it('delivers an alarm the device can decrypt, with a valid VAPID JWT, TTL, Urgency high and a Topic from the alert key', async () => {
    const sub = service.subscribe();
    const before = Date.now();
    const outcome = await channel().send(gasAlarm(), sub);
    assertStatus(outcome, 'delivered');

    const got = await service.received.waitFor('the alarm push', (d) => d.subscriptionId === sub.id);
    assert.equal(outcome.providerMessageId, got.messageUrl, 'the push message resource (Location) is the provider id');
    assert.equal(got.urgency, 'high');
    assert.equal(got.ttl, 86_400);
    assert.equal(got.topic, pushTopic('gw-3f2b:kitchen-gas:gas'));
    assert.match(got.topic ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.equal(got.claims.aud, service.origin);
    assert.equal(got.claims.sub, 'mailto:ops@easygas.example');
    assert.ok(got.claims.exp * 1000 > before && got.claims.exp * 1000 <= Date.now() + 24 * 3_600_000);

    const payload = JSON.parse(got.payload) as PushPayload;
    assert.equal(payload.title, 'ALARM: Kitchen gas: gas alarm');
    assert.match(payload.body, /^Gas at 32 %LEL in the kitchen.*\nLeave the building now/s);
    assert.equal(payload.severity, 'critical');
    assert.equal(payload.tag, got.topic, 'the notification tag is the topic: the device replaces the older state');
    assert.equal(payload.acknowledgeUrl, 'https://easygas.example/a/ack?t=tok-ack-1');
    assert.equal(payload.url, 'https://easygas.example/alerts/a-1');
    assert.equal(payload.requireInteraction, true);
    assert.equal(service.rejected.items.length, 0, service.rejected.items.map((r) => r.reason).join('; '));
  });

  it('a newer state of the same alarm replaces the older one waiting for an offline device; other alarms stay', async () => {
    const sub = service.subscribe();
    const push = channel();
    assertStatus(await push.send(gasAlarm({ id: 'w', severity: 'warning', title: 'Kitchen gas: gas warning' }), sub), 'delivered');
    assertStatus(await push.send(lowLevelWarning(), sub), 'delivered');
    assertStatus(await push.send(resolvedGas(), sub), 'delivered');

    const pending = service.pending(sub.id).map((d) => JSON.parse(d.payload) as PushPayload);
    assert.deepEqual(pending.map((p) => p.title), ['Warning: LPG cylinder: low level', 'Resolved: Kitchen gas: gas alarm']);
    const urgencies = service.received.items.filter((d) => d.subscriptionId === sub.id).map((d) => d.urgency);
    assert.deepEqual(urgencies, ['normal', 'normal', 'normal'], 'warnings and resolutions do not wake the device like an alarm');
    assert.equal((await push.send(gasAlarm({ id: 'i', severity: 'info', kind: 'test' }), sub)).status, 'delivered');
    assert.equal(service.received.items.at(-1)?.urgency, 'low');
  });

  it('404 and 410 mean the subscription is gone (delete it)', async () => {
    const push = channel();
    const expired = service.subscribe();
    service.expire(expired.id);
    const outcome = await push.send(gasAlarm(), expired);
    assertStatus(outcome, 'gone');
    assert.equal(outcome.error.code, 'PUSH_SUBSCRIPTION_GONE');
    assert.equal(outcome.error.providerCode, '410');

    const unknown = { ...service.subscribe(), endpoint: `${service.origin}/push/no-such-subscription` };
    const missing = await push.send(gasAlarm(), unknown);
    assertStatus(missing, 'gone');
    assert.equal(missing.error.providerCode, '404');
  });

  it('429 and 5xx are retried after the Retry-After the service asked for (seconds or an HTTP date)', async () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const push = channel({}, { now: () => now });
    const sub = service.subscribe();
    service.script(
      sub.id,
      { status: 429, headers: { 'retry-after': '120' } },
      { status: 503, headers: { 'retry-after': new Date(now + 90_000).toUTCString() } },
      { status: 500 },
    );
    const limited = await push.send(gasAlarm(), sub);
    assertStatus(limited, 'retry');
    assert.equal(limited.retryAfterMs, 120_000);
    assert.equal(limited.error.code, 'PUSH_BUSY');
    const down = await push.send(gasAlarm(), sub);
    assertStatus(down, 'retry');
    assert.equal(down.retryAfterMs, 90_000);
    const broken = await push.send(gasAlarm(), sub);
    assertStatus(broken, 'retry');
    assert.equal(broken.retryAfterMs, undefined);
    assertStatus(await push.send(gasAlarm(), sub), 'delivered');
  });

  it('a subscription made for other VAPID keys is refused by the service and fails permanently', async () => {
    const other = generateVapidKeys();
    const push = createPushChannel(settings(other), { now: Date.now, ca: cert.ca });
    closers.push(push);
    const outcome = await push.send(gasAlarm(), service.subscribe());
    assertStatus(outcome, 'failed');
    assert.equal(outcome.error.code, 'PUSH_VAPID_REJECTED');
    assert.match((await service.rejected.waitFor('the refused key', (r) => r.status === 403)).reason, /application server key/);
  });

  it('refuses endpoints on private addresses unless allowed, without connecting (SSRF)', async () => {
    const strict = channel({ allowPrivate: false }, { resolver: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]) });
    const sub = service.subscribe();
    const literal = await strict.send(gasAlarm(), sub);
    assertStatus(literal, 'gone');
    assert.equal(literal.error.code, 'PUSH_SUBSCRIPTION_INVALID');

    const port = new URL(sub.endpoint).port;
    const named = await strict.send(gasAlarm(), { ...sub, endpoint: `https://push.example.test:${port}/push/${sub.id}` });
    assertStatus(named, 'gone');
    assert.match(named.error.message, /resolves to 127\.0\.0\.1/);

    const plain = await strict.send(gasAlarm(), { ...sub, endpoint: sub.endpoint.replace('https:', 'http:') });
    assertStatus(plain, 'gone');
    assert.equal(service.received.items.filter((d) => d.subscriptionId === sub.id).length, 0);
  });

  it('a body too long for one push record is shortened, never the title or the links', async () => {
    const sub = service.subscribe();
    const body = `${'Gas at 32 %LEL — é ✓ '.repeat(400)}end`;
    assertStatus(await channel().send(gasAlarm({ body }), sub), 'delivered');
    const got = await service.received.waitFor('the long push', (d) => d.subscriptionId === sub.id);
    assert.ok(Buffer.byteLength(got.payload) <= MAX_PAYLOAD_BYTES);
    const payload = JSON.parse(got.payload) as PushPayload;
    assert.equal(payload.title, 'ALARM: Kitchen gas: gas alarm');
    assert.equal(payload.acknowledgeUrl, 'https://easygas.example/a/ack?t=tok-ack-1');
    assert.match(payload.body, /…$/);
  });

  it('an unreachable push service is retried; broken subscription keys are gone', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const sub = service.subscribe();
    const down = await channel().send(gasAlarm(), { ...sub, endpoint: `https://127.0.0.1:${port}/push/x` });
    assertStatus(down, 'retry');
    assert.equal(down.error.code, 'PUSH_UNREACHABLE');

    const broken = await channel().send(gasAlarm(), { ...sub, keys: { p256dh: 'AAAA', auth: sub.keys.auth } });
    assertStatus(broken, 'gone');
    assert.equal(broken.error.code, 'PUSH_SUBSCRIPTION_INVALID');
  });
});
