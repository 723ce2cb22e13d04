import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboxRecord } from '../../../protocol/index.js';
import { call, claimGateway, signUp, startHarness, type Claimed, type Harness, type SignedIn } from '../../test-support/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('sensor queries', () => {
  let h: Harness;
  let user: SignedIn;
  let gw: Claimed;
  let today: number;

  before(async () => {
    h = await startHarness({ ingestRateLimit: { max: 10_000, windowMs: 60_000 } });
    user = await signUp(h.app);
    gw = await claimGateway(h.app, user.token);
    today = Math.floor(h.clock.now() / DAY) * DAY;
    // Ten days of an LPG cylinder read every 10 minutes: 4 %/day (1.6 L of 40 L), refilled to 80 % on day 5;
    // and a gas sniffer alongside.
    const records: OutboxRecord[] = [];
    let seq = 0;
    const start = today - 9 * DAY;
    for (let t = start; t <= h.clock.now(); t += 10 * 60_000) {
      const days = (t - start) / DAY;
      const percent = t < start + 5 * DAY ? 60 - 4 * days : 80 - 4 * (days - 5);
      records.push({ record: 'reading', seq: ++seq, sensorId: 'lpg', sensorKind: 'level', at: t, value: percent, unit: '%', percent, litres: (percent / 100) * 40, quality: 'ok', clockSynced: true });
      records.push({ record: 'reading', seq: ++seq, sensorId: 'kitchen-gas', sensorKind: 'gas', at: t, value: 1, unit: '%LEL', ppm: 210, quality: 'ok', clockSynced: true });
    }
    for (let i = 0; i < records.length; i += 1000) {
      const chunk = records.slice(i, i + 1000);
      const ack = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: i, lastSeq: i + chunk.length, records: chunk } });
      assert.equal(ack.status, 200);
    }
  });
  after(() => h.close());

  it('lists the sensors and gives the latest reading', async () => {
    const sensors = await call<{ id: string; kind: string }[]>(h.app, 'GET', '/api/sensors', { token: user.token });
    assert.deepEqual(sensors.body.map((s) => [s.id, s.kind]), [[`${gw.gatewayId}:kitchen-gas`, 'gas'], [`${gw.gatewayId}:lpg`, 'level']]);
    const latest = await call<{ sensor: { id: string }; reading: { at: number; percent: number; litres: number } }>(h.app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/latest`, { token: user.token });
    assert.equal(latest.body.reading.at, h.clock.now());
    assert.ok(Math.abs(latest.body.reading.percent - (80 - 4 * 4.5)) < 0.01);
  });

  it('downsamples history server-side: automatic bucket, explicit bucket, bad range', async () => {
    const auto = await call<{ bucketMs: number; points: { at: number; min: number; avg: number; max: number; count: number }[] }>(h.app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history`, {
      token: user.token,
      query: { from: String(today - 9 * DAY), to: String(today + DAY) },
    });
    assert.equal(auto.body.bucketMs, HOUR / 2, '10 days → 30 min buckets (480 points, the finest under 500)');
    assert.ok(auto.body.points.length <= 480);
    const first = auto.body.points[0];
    assert.ok(first !== undefined && first.count === 3 && first.min < first.avg && first.avg < first.max);
    const daily = await call<{ bucketMs: number; points: { at: number; count: number }[] }>(h.app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history`, {
      token: user.token,
      query: { from: new Date(today - 9 * DAY).toISOString(), to: new Date(today).toISOString(), bucket: '1d' },
    });
    assert.deepEqual(daily.body.points.map((p) => p.count), Array.from({ length: 9 }, () => 144));
    assert.equal(daily.body.points[0]?.at, today - 9 * DAY, 'buckets align to UTC days');
    const inverted = await call(h.app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history`, { token: user.token, query: { from: String(today), to: String(today - DAY) } });
    assert.deepEqual([inverted.status, inverted.body.code], [400, 'EASYGAS_RANGE_INVALID']);
    const unknown = await call(h.app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history`, { token: user.token, query: { form: '1' } });
    assert.deepEqual(unknown.body.issues, [{ path: 'query.form', message: 'is not a known field: remove it (check its spelling)' }]);
  });

  it('computes consumption per day, ignoring the refill, and days to empty', async () => {
    const answer = await call<{
      days: { date: string; percentUsed: number | null; litresUsed: number | null; refills: number }[];
      rate: { percentPerDay: number; litresPerDay: number };
      current: { percent: number };
      daysToEmpty: number;
    }>(h.app, 'GET', '/api/sensors/analytics', { token: user.token, query: { sensorId: `${gw.gatewayId}:lpg`, days: '10' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.days.length, 10);
    const full = answer.body.days.slice(1, -1);
    // Each day is right to within the dead band carried across midnight (and the refill hour).
    for (const d of full) assert.ok(Math.abs((d.percentUsed ?? 0) - 4) < 0.75, `${d.date}: ${d.percentUsed}`);
    for (const d of full) assert.ok(Math.abs((d.litresUsed ?? 0) - 1.6) < 0.3, `${d.date}: ${d.litresUsed} L`);
    const total = full.reduce((n, d) => n + (d.percentUsed ?? 0), 0);
    assert.ok(Math.abs(total - 4 * full.length) < 1.5, `over ${full.length} days: ${total}`);
    assert.equal(answer.body.days.reduce((n, d) => n + d.refills, 0), 1);
    assert.ok(Math.abs(answer.body.rate.percentPerDay - 4) < 0.3, String(answer.body.rate.percentPerDay));
    assert.ok(Math.abs(answer.body.daysToEmpty - answer.body.current.percent / 4) < 1);
  });

  it('counts analytics days in a time zone and places the refill in time', async () => {
    const query = { sensorId: `${gw.gatewayId}:lpg`, days: '10', tz: 'Asia/Tokyo' };
    const answer = await call<{ timeZone: string; days: { date: string; refills: number }[]; refills: { at: number; toPercent: number }[] }>(
      h.app,
      'GET',
      '/api/sensors/analytics',
      { token: user.token, query },
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.body.timeZone, 'Asia/Tokyo');
    const tokyoToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(h.clock.now());
    assert.equal(answer.body.days.at(-1)?.date, tokyoToday);
    assert.equal(answer.body.refills.length, 1);
    const refillDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(answer.body.refills[0]?.at);
    assert.equal(answer.body.days.find((d) => d.refills === 1)?.date, refillDay);
    const bad = await call(h.app, 'GET', '/api/sensors/analytics', { token: user.token, query: { ...query, tz: 'Mars/Olympus_Mons' } });
    assert.deepEqual([bad.status, bad.body.issues], [400, [{ path: 'query.tz', message: 'must be an IANA time zone such as Europe/London or America/New_York' }]]);
  });

  it('refuses analytics for a sensor that has no level', async () => {
    const gas = await call(h.app, 'GET', '/api/sensors/analytics', { token: user.token, query: { sensorId: `${gw.gatewayId}:kitchen-gas` } });
    assert.deepEqual([gas.status, gas.body.code], [400, 'EASYGAS_NOT_A_LEVEL_SENSOR']);
    const malformed = await call<{ issues?: { path: string }[] }>(h.app, 'GET', '/api/sensors/analytics', { token: user.token, query: { sensorId: 'lpg', days: '0' } });
    assert.deepEqual(malformed.body.issues?.map((i) => i.path), ['query.sensorId', 'query.days']);
  });

  it('answers a sensor known from a heartbeat but without readings with reading: null', async () => {
    await call(h.app, 'POST', '/api/devices/heartbeat', {
      token: gw.credential,
      body: { version: '1', uptimeSeconds: 1, clock: { synced: true }, backlog: { records: 0 }, sensors: [{ id: 'cellar-leak', name: 'Cellar', kind: 'leak', health: 'ok' }] },
    });
    const latest = await call<{ reading: null; sensor: { name: string } }>(h.app, 'GET', `/api/sensors/${gw.gatewayId}:cellar-leak/latest`, { token: user.token });
    assert.deepEqual([latest.status, latest.body.reading, latest.body.sensor.name], [200, null, 'Cellar']);
  });
});
