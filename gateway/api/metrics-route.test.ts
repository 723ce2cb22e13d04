/**
 * GET /metrics on a rig daemon (the simulated home on a manual clock), scraped and
 * parsed as Prometheus would: every family well formed, sensors with value, health
 * and ages (no value for a faulty sensor), alarms, store counters, sync, MQTT
 * refusals, process memory and event-loop lag, behind the API's password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startRig, type Rig } from '../app/test-support/daemon-rig.js';
import { HA, startMqttRig, type MqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { publish } from '../mqtt/test-support/mosquitto.js';
import { buildControlApi } from './control-api.js';
import { STORE_COUNTERS } from './metrics/gateway-metrics.js';
import { readExposition, type Scrape } from './test-support/scrape.js';

const MINUTE = 60_000;

async function scrape(app: FastifyInstance, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await app.inject({ url: '/metrics', headers });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  return readExposition(res.body);
}

describe('GET /metrics', () => {
  let rig: MqttRig;
  let app: FastifyInstance;
  before(async () => {
    rig = await startMqttRig();
    await rig.clock.advance(5 * MINUTE);
    app = buildControlApi({ target: rig.daemon, identity: { id: 'rig', name: 'The "Smiths\'" home \\ attic\nannex' }, clock: rig.clock });
  });
  after(async () => {
    await app.close();
    await rig.stop();
  });

  it('gives every healthy sensor its value, health and ages, as the hub has them', async () => {
    const m = await scrape(app);
    const wired = rig.daemon.hub.snapshots().filter((s) => !s.id.startsWith('garage-') && !s.id.startsWith('attic-'));
    assert.equal(wired.length, 4);
    for (const snapshot of wired) {
      const sensor = snapshot.id;
      assert.equal(snapshot.health, 'ok', `${sensor} is healthy in the quiet home`);
      assert.equal(m.value('easygas_sensor_value', { sensor, kind: snapshot.kind, unit: snapshot.reading?.unit ?? '' }), snapshot.reading?.value, sensor);
      const health = m.series('easygas_sensor_health').filter((s) => s.labels.sensor === sensor);
      assert.equal(health.length, 7, 'one series per health state');
      assert.deepEqual(health.filter((s) => s.value === 1).map((s) => s.labels.health), ['ok']);
      const age = m.value('easygas_sensor_last_sample_age_seconds', { sensor });
      assert.equal(age, (rig.clock.now() - (snapshot.lastSampleAt ?? 0)) / 1000);
      assert.ok(age !== undefined && age >= 0 && age < 120, `${sensor}: ${age} s`);
      assert.equal(m.value('easygas_sensor_samples_total', { sensor }), snapshot.samples);
    }
    assert.notEqual(rig.daemon.hub.snapshot('garage-temp')?.health, 'ok', 'a Wi-Fi node that never reported…');
    assert.equal(m.series('easygas_sensor_value').some((v) => v.labels.sensor === 'garage-temp'), false, '…has no value series');
    const lpg = rig.daemon.hub.snapshot('lpg')?.reading;
    assert.equal(m.value('easygas_sensor_percent', { sensor: 'lpg' }), lpg?.percent);
    assert.equal(m.value('easygas_sensor_litres', { sensor: 'lpg' }), lpg?.litres);
    assert.deepEqual(m.series('easygas_gateway_info')[0]?.labels.name, 'The "Smiths\'" home \\ attic\nannex', 'label values survive escaping');
    const active = rig.daemon.alarms.active;
    assert.ok(active.some((a) => a.sensorId === 'attic-gas' && a.condition === 'sensor_fault'), 'the silent gas node is a fault');
    for (const severity of ['info', 'warning', 'critical']) {
      assert.equal(m.value('easygas_alarms_active', { severity }), active.filter((a) => a.severity === severity).length, severity);
    }
    assert.deepEqual(m.series('easygas_alarm_active').map((a) => `${a.labels.sensor}/${a.labels.condition}`).sort(), active.map((a) => `${a.sensorId}/${a.condition}`).sort());
  });

  it('counts the store\'s batches, transfers, prunes, downsamples and recoveries, and its journal', async () => {
    await rig.store.flush(); // one transfer at least
    const m = await scrape(app);
    const counters = (await rig.store.metrics()).counters;
    for (const name of Object.keys(STORE_COUNTERS)) {
      assert.equal(m.families.get(`easygas_store_${name}_total`)?.type, 'COUNTER', name);
      assert.equal(m.value(`easygas_store_${name}_total`), counters[name] ?? 0, name);
    }
    assert.ok((m.value('easygas_store_reading_batches_total') ?? 0) > 0);
    assert.ok((m.value('easygas_store_journal_transfers_total') ?? 0) >= 1);
    assert.ok((m.value('easygas_store_readings_written_total') ?? 0) > 100);
    assert.equal(m.value('easygas_store_open'), 1);
    assert.equal(typeof m.value('easygas_store_journal_bytes'), 'number');
    assert.equal(m.value('easygas_sync_enabled'), 0);
    assert.equal(m.value('easygas_sync_state', { state: 'disabled' }), 1);
    assert.ok((m.value('easygas_sync_backlog_records') ?? 0) > 0, 'nothing is synced: all of it waits');
    assert.deepEqual(m.series('easygas_sync_last_success_timestamp_seconds'), [], 'no success yet, so no timestamp');
  });

  it('shows MQTT clients and refusals', async () => {
    const before = await scrape(app);
    assert.equal(before.value('easygas_mqtt_link_state', { state: 'listening', mode: 'embedded' }), 1);
    const refused = before.value('easygas_mqtt_refused_logins_total') ?? -1;
    const wrong = await publish({ port: rig.port, topic: 'easygas/rig/commands/test', message: 'x', user: HA.user, password: 'wrong' });
    assert.notEqual(wrong.code, 0);
    const denied = await publish({ port: rig.port, topic: 'easygas/rig/status', message: 'x', qos: 1, ...HA });
    assert.notEqual(denied.code, 0);
    const after = await scrape(app);
    assert.equal(after.value('easygas_mqtt_refused_logins_total'), refused + 1);
    assert.equal(after.value('easygas_mqtt_denied_publishes_total'), (before.value('easygas_mqtt_denied_publishes_total') ?? 0) + 1);
    assert.equal(after.value('easygas_mqtt_clients'), rig.daemon.mqtt?.stats().link.clients);
    assert.ok((after.value('easygas_mqtt_published_total') ?? 0) > 0);
  });

  it('reports the process\'s memory, and the event-loop lag from the second scrape on', async () => {
    const fresh = buildControlApi({ target: rig.daemon, identity: { id: 'rig', name: 'x' }, clock: rig.clock });
    try {
      const first = await scrape(fresh);
      const rss = first.value('easygas_process_resident_memory_bytes') ?? 0;
      assert.ok(rss > 10e6 && rss < 2e9, `${rss} bytes`);
      assert.ok((first.value('easygas_process_heap_used_bytes') ?? 0) > 0);
      assert.deepEqual(first.series('easygas_event_loop_lag_p99_seconds'), [], 'the monitor starts at the first scrape');
      // The monitor samples every 20 ms: scrape until it has (each scrape waits for a timer turn, never a fixed time).
      let later = await scrape(fresh);
      const deadline = Date.now() + 10_000;
      while (later.value('easygas_event_loop_lag_p99_seconds') === undefined) {
        assert.ok(Date.now() < deadline, 'no event-loop lag figures within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
        later = await scrape(fresh);
      }
      const p50 = later.value('easygas_event_loop_lag_p50_seconds') ?? -1;
      const p99 = later.value('easygas_event_loop_lag_p99_seconds') ?? -1;
      const max = later.value('easygas_event_loop_lag_max_seconds') ?? -1;
      assert.ok(p50 >= 0 && p50 <= p99 && p99 <= max, `${p50} ≤ ${p99} ≤ ${max}`);
    } finally {
      await fresh.close();
    }
  });

  it('still answers when the store does not: store_open 0, everything else as before', async () => {
    const daemon = rig.daemon;
    const failing = buildControlApi({
      target: {
        status: () => daemon.status(),
        readNow: (id) => daemon.readNow(id),
        hub: daemon.hub,
        alarms: daemon.alarms,
        store: {
          readingsFor: (id, q) => daemon.store.readingsFor(id, q),
          events: (q) => daemon.store.events(q),
          backlog: () => daemon.store.backlog(),
          backup: (path) => daemon.store.backup(path),
          metrics: () => Promise.reject(new Error('disk on fire')),
        },
      },
      identity: { id: 'rig', name: 'x' },
      clock: rig.clock,
    });
    try {
      const m = await scrape(failing);
      assert.equal(m.value('easygas_store_open'), 0);
      assert.equal(m.families.has('easygas_store_reading_batches_total'), false, 'no counters it could not read');
      assert.deepEqual(m.series('easygas_sync_backlog_records'), [], 'no backlog it could not count');
      assert.equal(m.value('easygas_sensor_value', { sensor: 'lpg', kind: 'level', unit: '%' }), daemon.hub.snapshot('lpg')?.reading?.value);
    } finally {
      await failing.close();
    }
  });

  it('asks for the API password when there is one; /healthz stays open', async () => {
    const guarded = buildControlApi({ target: rig.daemon, identity: { id: 'rig', name: 'x' }, clock: rig.clock, password: 'correct horse' });
    try {
      assert.equal((await guarded.inject({ url: '/metrics' })).statusCode, 401);
      assert.equal((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
      const m = await scrape(guarded, { authorization: 'Bearer correct horse' });
      assert.equal(m.value('easygas_store_open'), 1);
      const basic = await guarded.inject({ url: '/metrics', headers: { authorization: `Basic ${Buffer.from('prometheus:correct horse').toString('base64')}` } });
      assert.equal(basic.statusCode, 200);
    } finally {
      await guarded.close();
    }
  });
});

describe('GET /metrics on trouble', () => {
  let rig: Rig | undefined;
  after(async () => rig?.stop());

  it('drops the value of a sensor that is not ok and keeps its health and age; shows a gas alarm', async () => {
    rig = await startRig({ scenario: 'gas-leak' });
    const app = buildControlApi({ target: rig.daemon, identity: { id: 'rig', name: 'x' }, clock: rig.clock });
    try {
      await rig.clock.advance(15 * MINUTE);
      const alarm = rig.daemon.alarms.active.find((a) => a.condition === 'gas');
      assert.ok(alarm !== undefined, 'the leak raised the gas alarm');
      rig.home.unplug('ultrasonic');
      await rig.clock.advance(2 * rig.config.sensors.find((s) => s.id === 'roof-tank')!.interval);
      assert.equal(rig.daemon.hub.snapshot('roof-tank')?.health, 'disconnected');

      const m = await scrape(app);
      assert.equal(m.series('easygas_sensor_value').some((s) => s.labels.sensor === 'roof-tank'), false, 'no plausible number for a disconnected sensor');
      assert.equal(m.series('easygas_sensor_percent').some((s) => s.labels.sensor === 'roof-tank'), false);
      assert.equal(m.value('easygas_sensor_health', { sensor: 'roof-tank', health: 'disconnected' }), 1);
      assert.equal(m.value('easygas_sensor_health', { sensor: 'roof-tank', health: 'ok' }), 0);
      assert.ok((m.value('easygas_sensor_reading_age_seconds', { sensor: 'roof-tank' }) ?? 0) > 0, 'how old its last value is');
      assert.equal(m.value('easygas_alarm_active', { sensor: 'kitchen-gas', condition: 'gas', severity: alarm.severity }), 1);
      assert.equal(m.value('easygas_alarm_silenced', { sensor: 'kitchen-gas', condition: 'gas' }), 0);
      assert.ok((m.value('easygas_alarms_active', { severity: 'critical' }) ?? 0) >= 1);
    } finally {
      await app.close();
    }
  });
});
