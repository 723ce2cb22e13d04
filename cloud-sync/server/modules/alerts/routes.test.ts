import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, startHarness, type Claimed, type Harness, type SignedIn } from '../../test-support/harness.js';

interface Alert {
  id: string;
  sensorId: string;
  type: string;
  params: Record<string, number>;
  enabled: boolean;
  notify: string[];
  name: string | null;
}

describe('alert rules', () => {
  let h: Harness;
  let user: SignedIn;
  let gw: Claimed;
  let lpg: string;
  let gas: string;

  before(async () => {
    h = await startHarness();
    user = await signUp(h.app);
    gw = await claimGateway(h.app, user.token);
    await call(h.app, 'POST', '/api/devices/heartbeat', {
      token: gw.credential,
      body: {
        version: '1',
        uptimeSeconds: 1,
        clock: { synced: true },
        backlog: { records: 0 },
        sensors: [
          { id: 'lpg', name: 'LPG cylinder', kind: 'level', health: 'ok' },
          { id: 'kitchen-gas', name: 'Kitchen gas', kind: 'gas', health: 'ok' },
        ],
      },
    });
    lpg = `${gw.gatewayId}:lpg`;
    gas = `${gw.gatewayId}:kitchen-gas`;
  });
  after(() => h.close());

  const version = async (): Promise<number> => (await call<{ version: number }>(h.app, 'GET', '/api/devices/config', { token: gw.credential })).body.version;

  it('creates, lists, replaces and deletes rules, bumping the gateway’s config each time', async () => {
    const v0 = await version();
    const created = await call<Alert>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: lpg, type: 'low_level', params: { warningPercent: 25, criticalPercent: 10 }, notify: ['push'] } });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.sensorId, created.body.enabled, created.body.notify, created.body.name], [lpg, true, ['push'], null]);
    assert.equal(await version(), v0 + 1);
    const listed = await call<Alert[]>(h.app, 'GET', '/api/alerts', { token: user.token, query: { sensorId: lpg } });
    assert.deepEqual(listed.body.map((a) => a.id), [created.body.id]);
    const replaced = await call<Alert>(h.app, 'PUT', `/api/alerts/${created.body.id}`, {
      token: user.token,
      body: { type: 'sudden_drop', params: { dropPercent: 10, windowMinutes: 30 }, enabled: false, name: 'Leak watch' },
    });
    assert.deepEqual([replaced.status, replaced.body.type, replaced.body.enabled, replaced.body.name, replaced.body.notify], [200, 'sudden_drop', false, 'Leak watch', ['email', 'push']]);
    assert.equal(await version(), v0 + 2);
    assert.equal((await call(h.app, 'DELETE', `/api/alerts/${created.body.id}`, { token: user.token })).status, 204);
    assert.equal(await version(), v0 + 3);
    assert.equal((await call(h.app, 'DELETE', `/api/alerts/${created.body.id}`, { token: user.token })).status, 404);
  });

  it('refuses a rule that does not fit its sensor, thresholds in the wrong order, and wrong params', async () => {
    const mismatch = await call(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'low_level', params: { warningPercent: 25, criticalPercent: 10 } } });
    assert.deepEqual([mismatch.status, mismatch.body.code], [400, 'EASYGAS_RULE_SENSOR_MISMATCH']);
    assert.match(String(mismatch.body.message), /a low_level rule cannot watch a gas sensor/);
    const order = await call(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'gas', params: { warningLel: 20, alarmLel: 10 } } });
    assert.deepEqual(order.body.issues, [{ path: 'params.alarmLel', message: 'must be above warningLel (20)' }]);
    const params = await call(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'gas', params: { warningPercent: 20, alarmLel: 40 } } });
    assert.deepEqual(params.body.issues, [
      { path: 'params.warningPercent', message: 'is not a known field: remove it (check its spelling)' },
      { path: 'params.warningLel', message: 'is required' },
    ]);
    const type = await call(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'smoke', params: {} } });
    assert.deepEqual(type.body.issues, [{ path: 'type', message: 'must be one of "low_level", "gas", "sudden_drop", "device_offline"' }]);
    const offline = await call<Alert>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'device_offline', params: {} } });
    assert.equal(offline.status, 201, 'device_offline fits any sensor');
  });

  it('sends a test notification through the rule’s channels', async () => {
    const rule = await call<Alert>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'gas', params: { warningLel: 10, alarmLel: 25 }, notify: ['email'] } });
    const before = h.delivered.length;
    const test = await call<{ type: string; channels: string[]; ruleId: string; title: string; sensorId: string }>(h.app, 'POST', `/api/alerts/${rule.body.id}/test`, { token: user.token });
    assert.equal(test.status, 201);
    assert.deepEqual([test.body.type, test.body.channels, test.body.ruleId, test.body.sensorId], ['test', ['email'], rule.body.id, gas]);
    assert.equal(test.body.title, 'Test: Kitchen gas: gas alarm');
    await h.app.cloud.outbox.drain();
    assert.equal(h.delivered.length, before + 1);
    const listed = await call<{ id: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token, query: { limit: '1' } });
    assert.equal(listed.body.length, 1);
    const read = await call<{ readAt: number }>(h.app, 'POST', `/api/notifications/${listed.body[0]?.id}/read`, { token: user.token });
    assert.equal(read.body.readAt, h.clock.now());
    const unread = await call<{ id: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token, query: { unreadOnly: 'true' } });
    assert.ok(!unread.body.some((n) => n.id === listed.body[0]?.id));
  });

  it('marks every notification read at once', async () => {
    const rule = await call<Alert>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: gas, type: 'gas', params: { warningLel: 10, alarmLel: 25 } } });
    await call(h.app, 'POST', `/api/alerts/${rule.body.id}/test`, { token: user.token });
    await call(h.app, 'POST', `/api/alerts/${rule.body.id}/test`, { token: user.token });
    const unread = await call<unknown[]>(h.app, 'GET', '/api/notifications', { token: user.token, query: { unreadOnly: 'true' } });
    assert.ok(unread.body.length >= 2);
    const all = await call<{ updated: number }>(h.app, 'POST', '/api/notifications/read-all', { token: user.token });
    assert.deepEqual([all.status, all.body.updated], [200, unread.body.length]);
    assert.deepEqual((await call<unknown[]>(h.app, 'GET', '/api/notifications', { token: user.token, query: { unreadOnly: 'true' } })).body, []);
    assert.equal((await call<{ updated: number }>(h.app, 'POST', '/api/notifications/read-all', { token: user.token })).body.updated, 0);
    assert.equal((await call(h.app, 'POST', '/api/notifications/read-all')).status, 401);
  });
});
