/**
 * Issue 4 with real peers: the whole daemon (simulated home, manual clock) with its
 * embedded broker on an ephemeral port, and the real mosquitto_sub/mosquitto_pub
 * as Home Assistant. Discovery appears for every sensor and alarm, states update as
 * the home changes, and Home Assistant's `online` brings discovery back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HA, startMqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { Subscriber } from '../mqtt/test-support/mosquitto.js';
import { publish } from '../mqtt/test-support/mosquitto.js';

type Json = Record<string, unknown>;
const parse = (payload: string): Json => JSON.parse(payload) as Json;

describe('embedded broker and Home Assistant (real mosquitto clients)', () => {
  it('publishes discovery for every sensor and alarm, with unique ids, devices and availability', async () => {
    const rig = await startMqttRig();
    const sub = new Subscriber({ port: rig.port, topics: ['homeassistant/#'], ...HA });
    try {
      const prefix = 'homeassistant';
      const configOf = async (component: string, objectId: string): Promise<Json> =>
        parse((await sub.message(`${prefix}/${component}/easygas_rig/${objectId}/config`)).payload);

      const litres = await configOf('sensor', 'lpg_litres');
      assert.equal(litres.device_class, 'volume_storage');
      assert.equal(litres.unit_of_measurement, 'L');
      assert.equal(litres.unique_id, 'easygas_rig_lpg_litres');
      assert.equal(litres.state_topic, 'easygas/rig/sensors/lpg/state');
      assert.equal(litres.availability_mode, 'all');
      assert.deepEqual(
        (litres.availability as Json[]).map((a) => a.topic),
        ['easygas/rig/status', 'easygas/rig/sensors/lpg/availability'],
      );
      const device = litres.device as Json;
      assert.deepEqual(device.identifiers, ['easygas_rig_lpg']);
      assert.equal(device.via_device, 'easygas_rig');
      assert.equal(device.name, 'LPG cylinder');

      const level = await configOf('sensor', 'lpg_level');
      assert.equal(level.unit_of_measurement, '%');
      assert.equal(level.device_class, undefined, 'a percentage has no device class');

      assert.equal((await configOf('sensor', 'roof-tank_distance')).device_class, 'distance');
      const gas = await configOf('sensor', 'kitchen-gas_gas');
      assert.equal(gas.unit_of_measurement, '%LEL');
      assert.equal(gas.device_class, undefined, '%LEL has no Home Assistant device class');
      assert.equal((await configOf('binary_sensor', 'kitchen-gas_gas_alarm')).device_class, 'gas');
      assert.equal((await configOf('binary_sensor', 'sink-leak_leak')).device_class, 'moisture');
      assert.equal((await configOf('binary_sensor', 'sink-leak_water_leak_alarm')).device_class, 'moisture');
      assert.equal((await configOf('binary_sensor', 'lpg_low_level_alarm')).device_class, 'problem');
      assert.equal((await configOf('sensor', 'garage-temp_temperature')).device_class, 'temperature');
      const fault = await configOf('binary_sensor', 'kitchen-gas_sensor_fault_alarm');
      assert.equal(fault.device_class, 'problem');
      assert.deepEqual((fault.availability as Json[]).map((a) => a.topic), ['easygas/rig/status'], 'a fault shows even when the sensor is away');
      assert.equal((await configOf('button', 'silence')).command_topic, 'easygas/rig/commands/silence');
      assert.equal((await configOf('binary_sensor', 'alarm')).device_class, 'safety');

      // Every config is retained (Home Assistant may come after us) and unique.
      await sub.until('the test button', () => sub.messages.find((m) => m.topic.endsWith('/test/config')));
      // (A config may arrive twice: live while we subscribed, and retained.)
      const configs = [...sub.latest().values()].filter((m) => m.topic.endsWith('/config'));
      assert.ok(configs.length >= 30, `${configs.length} entities`);
      const ids = configs.map((m) => parse(m.payload).unique_id);
      assert.equal(new Set(ids).size, ids.length, 'unique_ids are unique');
      const late = new Subscriber({ port: rig.port, topics: ['homeassistant/#'], ...HA });
      try {
        await late.message('homeassistant/button/easygas_rig/test/config');
        assert.ok(late.messages.every((m) => m.retained), 'discovery is retained for whoever comes later');
        assert.equal(late.messages.length, configs.length);
      } finally {
        await late.stop();
      }
    } finally {
      await sub.stop();
      await rig.stop();
    }
  });

  it('publishes retained states that follow the home, gateway availability, and alarms', async () => {
    const rig = await startMqttRig({ scenario: 'water-leak' });
    const sub = new Subscriber({ port: rig.port, topics: ['easygas/rig/#'], ...HA });
    try {
      await sub.subscribed();
      assert.equal((await sub.message('easygas/rig/status')).payload, 'online');
      await rig.clock.advance(60_000);
      const lpg = parse((await sub.message('easygas/rig/sensors/lpg/state', (m) => parse(m.payload).value !== null)).payload);
      assert.equal(typeof lpg.percent, 'number');
      assert.equal(typeof lpg.litres, 'number');
      assert.equal(lpg.unit, '%');
      assert.equal(lpg.quality, 'ok');
      assert.ok(rig.readings.some((r) => r.sensorId === 'lpg' && r.at === lpg.ts), 'ts is the reading\'s time');
      assert.equal(lpg.time, new Date(lpg.ts as number).toISOString());
      assert.equal((await sub.message('easygas/rig/sensors/lpg/availability')).payload, 'online');
      const gasState = parse((await sub.message('easygas/rig/sensors/kitchen-gas/state')).payload);
      assert.equal(gasState.unit, '%LEL');
      assert.equal(typeof gasState.ppm, 'number');

      // States move with the readings (at most one per second per sensor).
      const first = sub.messages.filter((m) => m.topic === 'easygas/rig/sensors/roof-tank/state').length;
      await rig.clock.advance(5 * 60_000);
      await sub.until('more roof-tank states', () =>
        sub.messages.filter((m) => m.topic === 'easygas/rig/sensors/roof-tank/state').length > first ? true : undefined,
      );

      // The water-leak scenario wets the contact 3 minutes in: the alarm entity and the summary turn ON, an event says so.
      assert.ok(rig.daemon.alarms.active.some((a) => a.condition === 'water_leak'), 'the scenario raised a leak');
      const leak = parse((await sub.message('easygas/rig/sensors/sink-leak/alarms/water_leak', (m) => parse(m.payload).state === 'ON')).payload);
      assert.equal(leak.severity, 'critical');
      const summary = parse((await sub.message('easygas/rig/alarm', (m) => (parse(m.payload).alarms as Json[]).some((a) => a.condition === 'water_leak'))).payload);
      assert.equal(summary.state, 'ON');
      // (The Wi-Fi nodes of this config never reported: their sensor faults are in the summary too.)
      assert.ok((summary.sounding as number) >= 1);
      const event = parse((await sub.message('easygas/rig/events', (m) => parse(m.payload).condition === 'water_leak')).payload);
      assert.deepEqual([event.type, event.change, event.sensor, event.severity], ['alarm', 'raised', 'sink-leak', 'critical']);
      assert.equal(parse((await sub.message('easygas/rig/sensors/sink-leak/state', (m) => parse(m.payload).value === 1)).payload).value, 1);
    } finally {
      await sub.stop();
      await rig.stop();
    }
    // A clean stop leaves "offline" retained.
  });

  it('an unplugged sensor goes unavailable through its availability topic; its state keeps the last good value only as such', async () => {
    const rig = await startMqttRig();
    const sub = new Subscriber({ port: rig.port, topics: ['easygas/rig/sensors/lpg/#'], ...HA });
    try {
      await sub.subscribed();
      await rig.clock.advance(2 * 60_000);
      const good = parse((await sub.message('easygas/rig/sensors/lpg/state', (m) => parse(m.payload).value !== null)).payload);
      await sub.message('easygas/rig/sensors/lpg/availability', (m) => m.payload === 'online');
      rig.home.unplug('ads1115');
      await rig.clock.advance(2 * 60_000);
      await sub.message('easygas/rig/sensors/lpg/availability', (m) => m.payload === 'offline');
      const gone = parse((await sub.message('easygas/rig/sensors/lpg/state', (m) => parse(m.payload).health === 'disconnected')).payload);
      assert.equal(gone.value, null, 'never a plausible number');
      assert.equal(gone.percent, null);
      assert.equal(typeof gone.since, 'number');
      const last = gone.last as Json;
      assert.equal(last.unit, '%');
      assert.equal(typeof last.value, 'number');
      assert.ok((last.ts as number) >= (good.ts as number), 'the last good reading, with its own time');
    } finally {
      await sub.stop();
      await rig.stop();
    }
  });

  it('sends discovery again when Home Assistant announces online, and marks the gateway offline on a clean stop', async () => {
    const rig = await startMqttRig();
    const sub = new Subscriber({ port: rig.port, topics: ['homeassistant/+/easygas_rig/#', 'easygas/rig/status'], ...HA });
    try {
      await sub.subscribed();
      await sub.message('homeassistant/button/easygas_rig/test/config', (m) => m.retained);
      const before = sub.messages.length;
      const announced = await publish({ port: rig.port, topic: 'homeassistant/status', message: 'online', ...HA });
      assert.equal(announced.code, 0, announced.stderr);
      // Live (not retained-on-subscribe) copies of the configs arrive.
      const again = await sub.message('homeassistant/sensor/easygas_rig/lpg_level/config', (m) => !m.retained, 10_000, before);
      assert.equal(parse(again.payload).unique_id, 'easygas_rig_lpg_level');
      await sub.message('homeassistant/button/easygas_rig/test/config', (m) => !m.retained, 10_000, before);
      assert.equal(rig.daemon.mqtt?.stats().discovery.homeAssistantOnline, 1);
    } finally {
      await sub.stop();
    }
    const watcher = new Subscriber({ port: rig.port, topics: ['easygas/rig/status'], ...HA });
    await watcher.message('easygas/rig/status', (m) => m.payload === 'online');
    await rig.clock.run(rig.daemon.stop('test over'), 60_000);
    await watcher.stop();
    await rig.stop();
  });
});
