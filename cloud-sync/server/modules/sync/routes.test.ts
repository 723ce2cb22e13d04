import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, startHarness, type Harness } from '../../test-support/harness.js';
import { etagMatches } from './routes.js';

const heartbeat = (records = 0) => ({
  version: '0.4.0',
  uptimeSeconds: 120,
  clock: { synced: true },
  backlog: { records, oldestAt: records > 0 ? Date.UTC(2026, 0, 15) : undefined },
  sensors: [
    { id: 'lpg', name: 'LPG cylinder', kind: 'level', health: 'ok', lastReadingAt: Date.UTC(2026, 0, 15), value: 61.5, unit: '%' },
    { id: 'kitchen-gas', name: 'Kitchen gas', kind: 'gas', health: 'warming_up' },
  ],
});

interface Status {
  online: boolean;
  presence: string;
  lastSeenAt: number | null;
  version: string;
  heartbeat: { backlog: { records: number } } | null;
  sensors: { sensorId: string; name: string; health: string }[];
}

describe('gateway sync routes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ offlineAfterMs: 180_000, sweepIntervalMs: 30_000 });
  });
  after(() => h.close());

  it('stores a heartbeat and answers with the watermark, config version and server time', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const ack = await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: JSON.parse(JSON.stringify(heartbeat(42))) });
    assert.deepEqual(ack.body, { ackedSeq: 0, configVersion: 0, serverTime: h.clock.now() });
    const status = await call<Status>(h.app, 'GET', `/api/devices/${gw.gatewayId}/status`, { token: user.token });
    assert.equal(status.body.online, true);
    assert.equal(status.body.version, '0.4.0');
    assert.equal(status.body.heartbeat?.backlog.records, 42);
    assert.deepEqual(status.body.sensors.map((s) => [s.sensorId, s.name, s.health]), [['kitchen-gas', 'Kitchen gas', 'warming_up'], ['lpg', 'LPG cylinder', 'ok']]);
    const bad = await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: { ...heartbeat(), uptimeSeconds: -1 } });
    assert.deepEqual(bad.body.issues, [{ path: 'uptimeSeconds', message: 'must be at least 0' }]);
  });

  it('marks a silent gateway offline after the window, once, with a notification, and back online', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
    await h.clock.advance(179_000);
    assert.deepEqual((await h.app.cloud.sweeper.sweep()).filter((c) => c.gatewayId === gw.gatewayId), []);
    await h.clock.advance(2_000);
    const status = await call<Status>(h.app, 'GET', `/api/devices/${gw.gatewayId}/status`, { token: user.token });
    assert.equal(status.body.online, false, 'status judges by the clock even before a sweep');
    const swept = (await h.app.cloud.sweeper.sweep()).filter((c) => c.gatewayId === gw.gatewayId);
    assert.equal(swept.length, 1);
    assert.equal((await h.app.cloud.sweeper.sweep()).filter((c) => c.gatewayId === gw.gatewayId).length, 0, 'raised once');
    const notes = await call<{ type: string; title: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
    assert.deepEqual(notes.body.map((n) => [n.type, n.title]), [['device_offline', 'Kitchen Pi: gateway offline']]);
    await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
    const events = await call<{ type: string }[]>(h.app, 'GET', `/api/devices/${gw.gatewayId}/events`, { token: user.token });
    assert.deepEqual(events.body.map((e) => e.type), ['device_online', 'device_offline']);
    assert.equal((await call<Status>(h.app, 'GET', `/api/devices/${gw.gatewayId}/status`, { token: user.token })).body.presence, 'online');
  });

  it('says one thing about presence at every moment: online and presence agree in the list, the gateway and its status', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const views = async (): Promise<[boolean, string][]> => {
      const list = await call<Status[] & { id: string }[]>(h.app, 'GET', '/api/devices', { token: user.token });
      const one = await call<Status>(h.app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token });
      const status = await call<Status>(h.app, 'GET', `/api/devices/${gw.gatewayId}/status`, { token: user.token });
      const listed = (list.body as unknown as (Status & { id: string })[]).find((d) => d.id === gw.gatewayId);
      return [listed, one.body, status.body].map((v) => [v?.online ?? true, v?.presence ?? 'missing']);
    };
    assert.deepEqual(await views(), Array(3).fill([false, 'unknown']), 'never heard');
    await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
    await h.clock.advance(180_000);
    assert.deepEqual(await views(), Array(3).fill([true, 'online']), 'silent exactly offlineAfterMs: still online');
    await h.clock.advance(1);
    assert.deepEqual(await views(), Array(3).fill([false, 'offline']), 'silent longer: offline at once, before any sweep');
    await h.app.cloud.sweeper.sweep();
    assert.deepEqual(await views(), Array(3).fill([false, 'offline']), 'the sweep changes nothing a client sees');
    await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
    assert.deepEqual(await views(), Array(3).fill([true, 'online']), 'heard again');
  });

  it('runs the sweeper on its own timer (driven by the manual clock, no sleeping)', async () => {
    const timed = await startHarness({ sweeper: true, offlineAfterMs: 180_000, sweepIntervalMs: 30_000 });
    try {
      const user = await signUp(timed.app);
      const gw = await claimGateway(timed.app, user.token);
      await call(timed.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
      await timed.clock.advance(150_000);
      assert.equal(timed.delivered.length, 0);
      await timed.clock.advance(60_000);
      assert.deepEqual(timed.delivered.map((n) => n.type), ['device_offline']);
      const status = await call<Status>(timed.app, 'GET', `/api/devices/${gw.gatewayId}/status`, { token: user.token });
      assert.equal(status.body.presence, 'offline');
    } finally {
      await timed.close();
    }
    assert.equal(timed.clock.pending, 0, 'closing the server stops the sweeper');
  });

  it('serves the config with an ETag, 304 while unchanged, and a new version after a rule change', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
    const first = await call<{ version: number; rules: unknown[] }>(h.app, 'GET', '/api/devices/config', { token: gw.credential });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { version: 0, rules: [], calibrations: {} });
    const etag = String(first.headers.etag);
    assert.equal(etag, '"config-0"');
    const unchanged = await call(h.app, 'GET', '/api/devices/config', { token: gw.credential, headers: { 'if-none-match': etag } });
    assert.deepEqual([unchanged.status, unchanged.text], [304, '']);
    const rule = await call<{ id: string }>(h.app, 'POST', '/api/alerts', {
      token: user.token,
      body: { sensorId: `${gw.gatewayId}:lpg`, type: 'low_level', params: { warningPercent: 25, criticalPercent: 10 } },
    });
    assert.equal(rule.status, 201);
    const changed = await call<{ version: number; rules: { id: string; sensorId: string }[] }>(h.app, 'GET', '/api/devices/config', {
      token: gw.credential,
      headers: { 'if-none-match': etag },
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.version, 1);
    assert.deepEqual(changed.body.rules.map((r) => [r.id, r.sensorId]), [[rule.body.id, 'lpg']]);
    assert.equal(changed.headers.etag, '"config-1"');
    const hb = await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: heartbeat() });
    assert.equal(hb.body.configVersion, 1, 'the heartbeat tells the gateway a new config is waiting');
  });

  it('stores calibrations from the gateway (newer wins), bumps the version, and checks them', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const mq6 = { type: 'mq6', supplyVolts: 5, loadOhms: 20000, r0Ohms: 9800, curve: { a: 1000, b: -2.2 }, gasMix: { propane: 0.6, butane: 0.4 } };
    const up = await call(h.app, 'PUT', '/api/devices/calibrations', { token: gw.credential, body: { calibrations: { 'kitchen-gas': { calibration: mq6, updatedAt: 1000 } } } });
    assert.deepEqual(up.body, { version: 1, changed: 1 });
    const stale = await call(h.app, 'PUT', '/api/devices/calibrations', {
      token: gw.credential,
      body: { calibrations: { 'kitchen-gas': { calibration: { type: 'identity' }, updatedAt: 999 } } },
    });
    assert.deepEqual(stale.body, { version: 1, changed: 0 });
    const config = await call<{ calibrations: Record<string, unknown> }>(h.app, 'GET', '/api/devices/config', { token: gw.credential });
    assert.deepEqual(config.body.calibrations, { 'kitchen-gas': { calibration: mq6, updatedAt: 1000 } });
    const bad = await call(h.app, 'PUT', '/api/devices/calibrations', {
      token: gw.credential,
      body: { calibrations: { lpg: { calibration: { type: 'piecewise', points: [{ raw: 1, value: 0 }, { raw: 1, value: 5 }] }, updatedAt: 5 } } },
    });
    assert.deepEqual(bad.body.issues, [{ path: 'calibrations.lpg.calibration.points[1].raw', message: "must differ from the previous point's raw value (1): one raw value cannot mean two things" }]);
  });
});

describe('If-None-Match', () => {
  it('matches lists, weak tags and *', () => {
    assert.equal(etagMatches('"config-3"', '"config-3"'), true);
    assert.equal(etagMatches('"a", W/"config-3"', '"config-3"'), true);
    assert.equal(etagMatches('*', '"config-3"'), true);
    assert.equal(etagMatches('"config-2"', '"config-3"'), false);
    assert.equal(etagMatches(undefined, '"config-3"'), false);
  });
});
