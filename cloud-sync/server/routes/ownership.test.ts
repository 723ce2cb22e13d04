/**
 * No user ever sees another's data: every route that takes an id answers user B
 * with 404 for user A's ids (not 403, which would confirm they exist), changes
 * nothing of A's, and no list of B's shows anything of A's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, startHarness, type Claimed, type Harness, type SignedIn } from '../test-support/harness.js';

interface Fixture {
  user: SignedIn;
  gw: Claimed;
  sensorId: string;
  ruleId: string;
  notificationId: string;
}

async function seed(h: Harness, name: string): Promise<Fixture> {
  const user = await signUp(h.app, name);
  const gw = await claimGateway(h.app, user.token, `${name}'s Pi`);
  const T = h.clock.now();
  await call(h.app, 'POST', '/api/sensors/data', {
    token: gw.credential,
    body: {
      afterSeq: 0,
      lastSeq: 2,
      records: [
        { record: 'reading', seq: 1, sensorId: 'lpg', sensorKind: 'level', at: T, value: 40, unit: '%', percent: 40, litres: 16, quality: 'ok', clockSynced: true },
        { record: 'event', seq: 2, at: T, type: 'low_level', sensorId: 'lpg', state: 'raised', severity: 'warning', message: 'LPG low', clockSynced: true },
      ],
    },
  });
  const sensorId = `${gw.gatewayId}:lpg`;
  const rule = await call<{ id: string }>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId, type: 'low_level', params: { warningPercent: 30, criticalPercent: 10 } } });
  const notes = await call<{ id: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
  const notificationId = notes.body[0]?.id;
  if (rule.status !== 201 || notificationId === undefined) throw new Error('seeding failed');
  return { user, gw, sensorId, ruleId: rule.body.id, notificationId };
}

interface Probe {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly url: (a: Fixture) => string;
  readonly query?: (a: Fixture) => Record<string, string>;
  readonly body?: (a: Fixture) => unknown;
}

/** Every route taking an id of a user's thing; `path` is its OpenAPI path, checked for completeness below. */
const PROBES: readonly Probe[] = [
  { method: 'GET', path: '/api/devices/{id}', url: (a) => `/api/devices/${a.gw.gatewayId}` },
  { method: 'PUT', path: '/api/devices/{id}', url: (a) => `/api/devices/${a.gw.gatewayId}`, body: () => ({ name: 'pwned' }) },
  { method: 'DELETE', path: '/api/devices/{id}', url: (a) => `/api/devices/${a.gw.gatewayId}` },
  { method: 'GET', path: '/api/devices/{id}/status', url: (a) => `/api/devices/${a.gw.gatewayId}/status` },
  { method: 'GET', path: '/api/devices/{id}/events', url: (a) => `/api/devices/${a.gw.gatewayId}/events` },
  { method: 'POST', path: '/api/devices/{id}/credential/rotate', url: (a) => `/api/devices/${a.gw.gatewayId}/credential/rotate` },
  { method: 'POST', path: '/api/devices/{id}/credential/revoke', url: (a) => `/api/devices/${a.gw.gatewayId}/credential/revoke` },
  { method: 'GET', path: '/api/sensors/{id}/latest', url: (a) => `/api/sensors/${a.sensorId}/latest` },
  { method: 'GET', path: '/api/sensors/{id}/history', url: (a) => `/api/sensors/${a.sensorId}/history` },
  { method: 'GET', path: '/api/sensors/analytics', url: () => '/api/sensors/analytics', query: (a) => ({ sensorId: a.sensorId }) },
  { method: 'GET', path: '/api/alerts', url: () => '/api/alerts', query: (a) => ({ sensorId: a.sensorId }) },
  { method: 'POST', path: '/api/alerts', url: () => '/api/alerts', body: (a) => ({ sensorId: a.sensorId, type: 'low_level', params: { warningPercent: 50, criticalPercent: 40 } }) },
  { method: 'PUT', path: '/api/alerts/{id}', url: (a) => `/api/alerts/${a.ruleId}`, body: () => ({ type: 'low_level', params: { warningPercent: 99, criticalPercent: 98 } }) },
  { method: 'DELETE', path: '/api/alerts/{id}', url: (a) => `/api/alerts/${a.ruleId}` },
  { method: 'POST', path: '/api/alerts/{id}/test', url: (a) => `/api/alerts/${a.ruleId}/test` },
  { method: 'POST', path: '/api/notifications/{id}/read', url: (a) => `/api/notifications/${a.notificationId}/read` },
];

describe('ownership: another user’s ids are 404 on every route', () => {
  let h: Harness;
  let alice: Fixture;
  let bob: Fixture;
  before(async () => {
    h = await startHarness();
    alice = await seed(h, 'Alice');
    bob = await seed(h, 'Bob');
  });
  after(() => h.close());

  for (const probe of PROBES) {
    it(`${probe.method} ${probe.path}`, async () => {
      const options = { token: bob.user.token, ...(probe.query ? { query: probe.query(alice) } : {}), ...(probe.body ? { body: probe.body(alice) } : {}) };
      const answer = await call(h.app, probe.method, probe.url(alice), options);
      assert.equal(answer.status, 404, `${probe.method} ${probe.url(alice)} → ${answer.status} ${answer.text}`);
      assert.equal(answer.body.code, 'EASYGAS_NOT_FOUND');
      // The same request with Bob's own ids works, so the 404 is about ownership, not the request.
      const own = await call(h.app, probe.method, probe.url(bob), { token: bob.user.token, ...(probe.query ? { query: probe.query(bob) } : {}), ...(probe.body ? { body: probe.body(bob) } : {}) });
      assert.ok(own.status < 300, `own ids: ${probe.method} ${probe.url(bob)} → ${own.status} ${own.text}`);
      if (probe.method === 'DELETE' || probe.path.endsWith('/rotate') || probe.path.endsWith('/revoke')) bob = await seed(h, 'Bob');
    });
  }

  it('left every one of Alice’s things as it was', async () => {
    const device = await call<{ name: string; credentialActive: boolean }>(h.app, 'GET', `/api/devices/${alice.gw.gatewayId}`, { token: alice.user.token });
    assert.deepEqual([device.status, device.body.name, device.body.credentialActive], [200, "Alice's Pi", true]);
    const ingest = await call(h.app, 'POST', '/api/sensors/data', { token: alice.gw.credential, body: { afterSeq: 2, lastSeq: 2, records: [] } });
    assert.equal(ingest.status, 200, 'her credential still works');
    const rules = await call<{ id: string; params: Record<string, number> }[]>(h.app, 'GET', '/api/alerts', { token: alice.user.token });
    assert.deepEqual(rules.body.map((r) => [r.id, r.params.warningPercent]), [[alice.ruleId, 30]]);
    const notes = await call<{ id: string; readAt: number | null; type: string }[]>(h.app, 'GET', '/api/notifications', { token: alice.user.token });
    assert.deepEqual(notes.body.map((n) => [n.id, n.readAt]), [[alice.notificationId, null]], 'no test notification, not marked read');
  });

  it('shows none of Alice’s things in Bob’s lists', async () => {
    const aliceIds = [alice.gw.gatewayId, alice.sensorId, alice.ruleId, alice.notificationId];
    for (const url of ['/api/devices', '/api/sensors', '/api/alerts', '/api/notifications']) {
      const list = await call(h.app, 'GET', url, { token: bob.user.token });
      assert.equal(list.status, 200);
      for (const id of aliceIds) assert.ok(!list.text.includes(id), `${url} leaks ${id}`);
    }
  });

  it('covers every route whose path or query takes an id', async () => {
    const document = (await call<{ paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }>(h.app, 'GET', '/docs/openapi.json')).body;
    const covered = new Set(PROBES.map((p) => `${p.method} ${p.path}`));
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const takesId = path.includes('{id}') || (op.parameters ?? []).some((p) => p.name === 'sensorId');
        if (takesId) assert.ok(covered.has(`${method.toUpperCase()} ${path}`), `no ownership probe for ${method.toUpperCase()} ${path}`);
      }
    }
  });
});
