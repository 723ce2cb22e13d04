/**
 * The control API on a rig daemon (simulated home, manual clock), through
 * app.inject(): the password gate, live reads, calibration validated and applied
 * live, the sync contract with and without an agent, silence refused at a severe
 * gas level, and the status page's HTML.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { silentLogger } from '../../hardware/logger.js';
import { SensorOverrides } from '../app/sensor-overrides.js';
import { startRig, type Rig } from '../app/test-support/daemon-rig.js';
import { loadConfig } from '../config/load.js';
import { toPipelineSpec } from '../config/pipeline-spec.js';
import { exampleConfigPath } from '../system/package-info.js';
import { buildControlApi, type ControlApiOptions } from './control-api.js';
import type { SyncControl, SyncStatus } from './sync-control.js';

async function apiFor(rig: Rig, extra: Partial<ControlApiOptions> = {}): Promise<FastifyInstance> {
  const loaded = await loadConfig({ path: exampleConfigPath(), env: {} });
  assert.ok(loaded.ok);
  const overrides = SensorOverrides.load({ dataDir: rig.dataDir, document: loaded.source.document, logger: silentLogger, now: () => rig.clock.now() });
  overrides.onChange((sensor) => rig.daemon.hub.updateSpec(toPipelineSpec(sensor)));
  return buildControlApi({
    target: rig.daemon,
    identity: { id: 'rig', name: 'Test home' },
    clock: rig.clock,
    calibrations: {
      calibrationOf: (id) => overrides.record(id)?.calibration,
      setCalibration: (id, o, at) => overrides.set(id, o, 'local', at),
      clearCalibration: (id) => overrides.clear(id, 'calibration'),
    },
    ...extra,
  });
}

describe('control API', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
    await rig.clock.advance(2 * 60_000); // every sensor has read a few times (a level's first value waits for a second that agrees)
  });
  after(() => rig.stop());

  it('GET /api/status: the gateway, every sensor with value and health, alarms, sync "disabled" with the store backlog', async () => {
    const app = await apiFor(rig);
    const res = await app.inject({ url: '/api/status' });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ gateway: { id: string }; sensors: { id: string; value?: number; health: string }[]; sync: SyncStatus }>();
    assert.equal(body.gateway.id, 'rig');
    assert.deepEqual(body.sensors.map((s) => s.id), ['lpg', 'roof-tank', 'kitchen-gas', 'sink-leak']);
    assert.ok(body.sensors.every((s) => typeof s.value === 'number'), JSON.stringify(body.sensors));
    assert.equal(body.sync.state, 'disabled');
    const backlog = await rig.store.backlog();
    assert.equal(body.sync.backlog, backlog.total);
  });

  it('POST /api/sensors/:id/read: a live raw + calibrated read in the bus turn; 404 names how to list sensors', async () => {
    const app = await apiFor(rig);
    const res = await rig.clock.run(app.inject({ method: 'POST', url: '/api/sensors/kitchen-gas/read' }));
    assert.equal(res.statusCode, 200, res.body);
    const read = res.json<{ raw: number; rawUnit: string; result: { unit: string; ppm: number } }>();
    assert.equal(read.rawUnit, 'V');
    assert.equal(read.result.unit, '%LEL');
    const missing = await app.inject({ method: 'POST', url: '/api/sensors/nope/read' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json<{ hint: string }>().hint, /easygas sensors/);
  });

  it('a password (LAN bind): 401 with a Basic challenge without it; Bearer and Basic with it pass', async () => {
    const app = await apiFor(rig, { password: 'correct horse' });
    const none = await app.inject({ url: '/api/status' });
    assert.equal(none.statusCode, 401);
    assert.match(String(none.headers['www-authenticate']), /^Basic/);
    const wrong = await app.inject({ url: '/api/status', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.statusCode, 401);
    const bearer = await app.inject({ url: '/api/status', headers: { authorization: 'Bearer correct horse' } });
    assert.equal(bearer.statusCode, 200);
    const basic = await app.inject({ url: '/', headers: { authorization: `Basic ${Buffer.from('anyone:correct horse').toString('base64')}` } });
    assert.equal(basic.statusCode, 200);
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  });

  it('PUT calibration: validated by the config schema (400 with the path), applied live, persisted; DELETE restores the file', async () => {
    const app = await apiFor(rig);
    const bad = await app.inject({ method: 'PUT', url: '/api/sensors/lpg/calibration', payload: { calibration: { type: 'two_point', points: [{ raw: 1, value: 0 }] } } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json<{ message: string }>().message, /points/);
    const good = await app.inject({
      method: 'PUT',
      url: '/api/sensors/lpg/calibration',
      payload: { calibration: { type: 'two_point', points: [{ raw: 1.9, value: 0 }, { raw: 0.4, value: 80 }] } },
    });
    assert.equal(good.statusCode, 200, good.body);
    const after = await app.inject({ url: '/api/sensors/lpg/calibration' });
    const cal = after.json<{ source: string; calibration: { points: { raw: number }[] } }>();
    assert.equal(cal.source, 'local');
    assert.equal(cal.calibration.points[0]?.raw, 1.9);
    assert.equal(rig.daemon.hub.specOf('lpg')?.calibration.type, 'two_point');
    const restored = await app.inject({ method: 'DELETE', url: '/api/sensors/lpg/calibration' });
    assert.equal(restored.statusCode, 200);
    assert.equal((await app.inject({ url: '/api/sensors/lpg/calibration' })).json<{ source: string }>().source, 'config');
  });

  it('hostile requests: 400 bad_request naming the part and field; query numbers coerced; nothing refused is applied', async () => {
    const app = await apiFor(rig);
    const cases: [string, InjectOptions, RegExp][] = [
      ['limit below range', { url: '/api/events?limit=0' }, /querystring\.limit: must be at least 1/],
      ['limit not a number', { url: '/api/events?limit=lots' }, /querystring\.limit: must be a number/],
      ['limit not an integer', { url: '/api/sensors/lpg/readings?limit=1.5' }, /querystring\.limit: must be a whole number/],
      ['unknown query key', { url: '/api/sensors/lpg/readings?sinse=5' }, /querystring: .*sinse/],
      ['repeated key (an array)', { url: '/api/events?since=1&since=2' }, /querystring\.since/],
      ['calibration not an object', { method: 'PUT', url: '/api/sensors/lpg/calibration', payload: { calibration: 'two_point' } }, /body\.calibration/],
      ['extra body key', { method: 'PUT', url: '/api/sensors/lpg/calibration', payload: { calibration: {}, force: true } }, /body: .*force/],
      ['no body', { method: 'PUT', url: '/api/sensors/lpg/calibration' }, /body/],
    ];
    for (const [what, request, message] of cases) {
      const res = await app.inject(request);
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
      const body = res.json<{ error: string; message: string; hint: string }>();
      assert.equal(body.error, 'bad_request', what);
      assert.match(body.message, message, what);
      assert.match(body.hint, /gateway\/api\/README\.md/, what);
    }
    // None of the refused PUTs became an override.
    assert.equal((await app.inject({ url: '/api/sensors/lpg/calibration' })).json<{ source: string }>().source, 'config');
    const ok = await app.inject({ url: '/api/events?since=0&limit=2' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.ok(ok.json<{ events: unknown[] }>().events.length <= 2);
    const all = (await app.inject({ url: '/api/sensors/lpg/readings' })).json<{ readings: unknown[] }>().readings;
    assert.ok(all.length >= 2, `the rig has stored lpg readings: ${all.length}`);
    const one = await app.inject({ url: '/api/sensors/lpg/readings?limit=1' });
    assert.equal(one.json<{ readings: unknown[] }>().readings.length, 1, 'the coerced limit applies');
  });

  it('sync: 409 with what to do when no agent runs; the agent\'s status and syncNow when one does', async () => {
    const app = await apiFor(rig);
    const refused = await app.inject({ method: 'POST', url: '/api/sync/now' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json<{ hint: string }>().hint, /easygas provision/);
    let calls = 0;
    const sync: SyncControl = {
      status: () => ({ state: 'idle', backlog: 0, cursor: 42, lastSyncAt: 1 }),
      syncNow: () => {
        calls++;
        return Promise.resolve();
      },
    };
    const withSync = await apiFor(rig, { target: Object.create(rig.daemon, { sync: { value: sync } }) as Rig['daemon'] });
    const now = await withSync.inject({ method: 'POST', url: '/api/sync/now' });
    assert.equal(now.statusCode, 200);
    assert.equal(calls, 1);
    assert.equal((await withSync.inject({ url: '/api/sync' })).json<SyncStatus>().cursor, 42);
  });

  it('GET /: a self-contained HTML status page with levels, alarms and health that refreshes itself', async () => {
    const app = await apiFor(rig);
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    const html = res.body;
    assert.match(html, /<meta http-equiv="refresh" content="\d+">/);
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//, 'no external assets, no script');
    for (const id of ['lpg', 'roof-tank', 'kitchen-gas', 'sink-leak']) assert.match(html, new RegExp(`<tr data-sensor="${id}">`));
    assert.match(html, /No active alarms/);
    assert.match(html, /<td class="value">\d+\.\d % \(\d+ L\)/);
  });
});

describe('control API with an unplugged sensor', () => {
  it('GET /api/status, /api/sensors/:id and the page show its state since when and the last good value as such, never as current', async () => {
    const rig = await startRig();
    try {
      const app = await apiFor(rig);
      await rig.clock.advance(2 * 60_000);
      const before = (await app.inject({ url: '/api/sensors/lpg' })).json<{ value?: number; health: string }>();
      assert.equal(before.health, 'ok');
      assert.equal(typeof before.value, 'number');
      rig.home.unplug('ads1115');
      await rig.clock.advance(2 * 60_000);
      const status = (await app.inject({ url: '/api/status' })).json<{ sensors: Record<string, unknown>[] }>();
      const lpg = status.sensors.find((s) => s.id === 'lpg')!;
      assert.equal(lpg.health, 'disconnected');
      for (const key of ['value', 'percent', 'litres', 'quality', 'at']) assert.equal(lpg[key], undefined, `${key} is not shown as current`);
      assert.equal(typeof lpg.since, 'number');
      const last = lpg.last as { value: number; unit: string; at: number };
      assert.equal(last.unit, '%');
      assert.ok(last.at < (lpg.since as number), 'the last good value is older than the disconnection');
      assert.deepEqual((await app.inject({ url: '/api/sensors/lpg' })).json(), lpg);
      const html = (await app.inject({ url: '/' })).body;
      const row = /<tr data-sensor="lpg">.*?<\/tr>/.exec(html)?.[0] ?? '';
      assert.match(row, /disconnected since \d\d:\d\d \(last \d+\.\d % \(\d+ L\) at \d\d:\d\d\)/);
      assert.doesNotMatch(row, /class="bar"/, 'no gauge for an old value');
    } finally {
      await rig.stop();
    }
  });
});

describe('control API during a gas leak', () => {
  it('silence is refused above the severe level: the API says which alarm, the buzzer keeps sounding', async () => {
    const rig = await startRig({ scenario: 'gas-leak' });
    try {
      const app = await apiFor(rig);
      // Run the story until the gas alarm is severe.
      for (let i = 0; i < 240 && !rig.daemon.alarms.active.some((a) => a.condition === 'gas' && a.severe); i++) await rig.clock.advance(30_000);
      const severe = rig.daemon.alarms.active.find((a) => a.condition === 'gas' && a.severe);
      assert.ok(severe, 'the gas-leak story reaches a severe level');
      const res = await app.inject({ method: 'POST', url: '/api/alarms/silence' });
      const body = res.json<{ refused: { key: string }[] }>();
      assert.ok(body.refused.some((a) => a.key === severe.key), res.body);
      const page = await app.inject({ url: '/' });
      assert.match(page.body, /<li class="critical"/);
    } finally {
      await rig.stop();
    }
  });
});
