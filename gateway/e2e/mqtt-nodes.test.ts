/**
 * Wi-Fi sensor nodes through the whole daemon, published with the real
 * mosquitto_pub: their readings take a wired sensor's way (calibration, filters,
 * rules, the buzzer, the store); malformed ones are rejected, counted and never
 * stored, without harming the daemon; a node that goes quiet becomes stale, then
 * disconnected, then a sensor fault — and comes back with its next reading.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTIC, GARAGE, HA, startMqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { publish, Subscriber, waitFor } from '../mqtt/test-support/mosquitto.js';
import { malformedPayloads } from '../mqtt/test-support/node-fuzz.js';
import { NODE_REJECTIONS } from '../mqtt/node-payload.js';

type Json = Record<string, unknown>;
const parse = (payload: string): Json => JSON.parse(payload) as Json;

describe('Wi-Fi sensor nodes (real mosquitto clients)', () => {
  it('take a wired sensor\'s way: rules, the buzzer and the store; JSON or plain numbers, units by topic or payload', async () => {
    const rig = await startMqttRig();
    try {
      const send = (topic: string, message: string, who: { user: string; password: string } = ATTIC) => publish({ port: rig.port, topic, message, qos: 1, ...who });
      const attic = 'easygas/nodes/attic/reading';
      assert.equal((await send(attic, '4')).code, 0);
      await waitFor('the first attic reading', () => rig.daemon.hub.snapshot('attic-gas')?.reading?.value === 4);
      const since = rig.clock.monotonic();
      assert.equal((await send(attic, '{"value": 31.5}')).code, 0);
      await waitFor('the gas alarm', () => rig.daemon.alarms.active.find((a) => a.sensorId === 'attic-gas' && a.condition === 'gas'));
      const alarm = rig.daemon.alarms.active.find((a) => a.sensorId === 'attic-gas')!;
      assert.equal(alarm.severity, 'critical');
      await rig.clock.advance(4_000);
      const onsets = rig.buzzerOnsets(since);
      assert.deepEqual(onsets.slice(0, 3).map((t) => t - onsets[0]!), [0, 1_000, 2_000], 'temporal-3 for a node\'s gas, like a wired sniffer\'s');

      await send('easygas/nodes/garage/floor/reading', 'true', GARAGE);
      await send('easygas/nodes/garage/reading', '{"value": -18.5, "unit": "freezer"}', GARAGE);
      await send('easygas/nodes/garage/reading', '{"value": 7.25, "warmingUp": false, "rssi": -61}', GARAGE);
      await waitFor('the garage readings', () =>
        rig.daemon.hub.snapshot('garage-leak')?.reading?.value === 1 &&
        rig.daemon.hub.snapshot('garage-freezer')?.reading?.value === -18.5 &&
        rig.daemon.hub.snapshot('garage-temp')?.reading?.value === 7.25,
      );
      await waitFor('the garage leak alarm', () => rig.daemon.alarms.active.find((a) => a.sensorId === 'garage-leak' && a.condition === 'water_leak'));

      await rig.clock.advance(2_000); // the store's batch interval
      await rig.store.flush();
      const stored = await rig.store.readingsFor('attic-gas');
      assert.deepEqual(stored.map((r) => r.value), [4, 31.5]);
      assert.ok(stored.every((r) => r.quality === 'ok' && r.unit === '%LEL'));
      const events = await rig.store.events({ limit: 50 });
      assert.ok(events.some((e) => e.sensorId === 'attic-gas' && e.type === 'gas' && e.state === 'raised'), 'the alarm event is stored');
      assert.equal(rig.daemon.mqtt!.stats().nodes.accepted, 5);
    } finally {
      await rig.stop();
    }
  });

  it('answers a silence refused under severe gas on the events topic, and keeps sounding', async () => {
    const rig = await startMqttRig();
    const events = new Subscriber({ port: rig.port, topics: ['easygas/rig/events'], ...HA });
    try {
      await events.subscribed();
      await publish({ port: rig.port, topic: 'easygas/nodes/attic/reading', message: '62', qos: 1, ...ATTIC });
      await waitFor('the severe gas alarm', () => rig.daemon.alarms.active.find((a) => a.sensorId === 'attic-gas' && a.severe));
      const silence = await publish({ port: rig.port, topic: 'easygas/rig/commands/silence', message: 'PRESS', qos: 1, ...HA });
      assert.equal(silence.code, 0, silence.stderr);
      const answer = parse((await events.message('easygas/rig/events', (m) => parse(m.payload).type === 'command')).payload);
      assert.equal(answer.command, 'silence');
      assert.equal(answer.result, 'refused');
      const refused = answer.refused as Json[];
      assert.equal(refused[0]?.sensor, 'attic-gas');
      assert.match(String(refused[0]?.message), /too high to silence/);
      const change = parse((await events.message('easygas/rig/events', (m) => parse(m.payload).change === 'silence_refused')).payload);
      assert.equal(change.condition, 'gas');
      assert.ok(rig.daemon.alarms.active.every((a) => a.silencedUntil === undefined || a.sensorId !== 'attic-gas'), 'still sounding');

      // Below the severe level a silence works, and says so.
      await publish({ port: rig.port, topic: 'easygas/nodes/attic/reading', message: '30', qos: 1, ...ATTIC });
      await waitFor('gas below severe', () => rig.daemon.alarms.active.find((a) => a.sensorId === 'attic-gas' && !a.severe));
      const from = events.messages.length;
      await publish({ port: rig.port, topic: 'easygas/rig/commands/silence', message: 'PRESS', qos: 1, ...HA });
      const ok = parse((await events.message('easygas/rig/events', (m) => parse(m.payload).type === 'command', 10_000, from)).payload);
      assert.ok(ok.result === 'silenced' || ok.result === 'partly_refused', String(ok.result));
      assert.ok((ok.silenced as Json[]).some((s) => s.sensor === 'attic-gas'));
    } finally {
      await events.stop();
      await rig.stop();
    }
  });

  it('rejects a fuzz loop of malformed payloads: counted, never stored, the daemon unharmed', { timeout: 120_000 }, async () => {
    const rig = await startMqttRig();
    try {
      const bad = malformedPayloads(400);
      const good = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `${20 + i / 10}` : `{"value": ${20 + i / 10}}`));
      const validValues = new Set(good.map((g) => Number(/[\d.]+/.exec(g)?.[0])));
      // Interleave: a good reading after every tenth bad one.
      const lines: Buffer[] = [];
      bad.forEach((b, i) => {
        lines.push(b);
        if (i % 10 === 9) lines.push(Buffer.from(good[(i - 9) / 10]!));
      });
      const sent = await publish({ port: rig.port, topic: 'easygas/nodes/garage/reading', lines, qos: 1, ...GARAGE });
      assert.equal(sent.code, 0, sent.stderr);
      const oversized = await publish({ port: rig.port, topic: 'easygas/nodes/garage/reading', stdin: Buffer.alloc(rig.config.mqtt.maxPayloadBytes + 1, 0x31), qos: 1, ...GARAGE });
      assert.notEqual(oversized.code, 0, 'the broker refuses a message over mqtt.maxPayloadBytes');

      const stats = () => rig.daemon.mqtt!.stats().nodes;
      const rejected = () => NODE_REJECTIONS.reduce((n, r) => n + stats().rejected[r], 0);
      await waitFor('every payload judged', () => stats().accepted + rejected() === bad.length + good.length + 1);
      assert.equal(stats().accepted, good.length);
      assert.equal(stats().rejected.oversized, 1);
      assert.ok(stats().rejected.malformed > 100 && stats().rejected.wrong_type > 0 && stats().rejected.not_finite > 0, JSON.stringify(stats()));

      // Logged at a limited rate: one line per reason and node, not 400.
      const lines_ = rig.logs.filter((l) => String(l.msg).startsWith('Wi-Fi node garage'));
      assert.ok(lines_.length <= NODE_REJECTIONS.length, `${lines_.length} log lines`);

      // Alive: sampling goes on, the broker still answers, a good reading still goes in.
      assert.equal(rig.daemon.state, 'running');
      const before = rig.readings.length;
      await rig.clock.advance(10_000);
      assert.ok(rig.readings.length > before, 'wired sensors still sampled');
      assert.equal((await publish({ port: rig.port, topic: 'easygas/nodes/garage/reading', message: '20.5', qos: 1, ...GARAGE })).code, 0);
      await waitFor('the last good reading', () => stats().accepted === good.length + 1);

      await rig.clock.advance(2_000);
      await rig.store.flush();
      // One row per accepted payload, each from a good payload's raw value (the value itself is median-filtered).
      validValues.add(20.5);
      const stored = await rig.store.readingsFor('garage-temp');
      assert.equal(stored.length, good.length + 1);
      for (const row of stored) assert.ok(row.raw !== undefined && validValues.has(row.raw), `a stored raw value ${row.raw} that no good payload sent`);
      assert.ok(rig.readings.filter((r) => r.sensorId === 'garage-temp').every((r) => validValues.has(r.raw)));
      const others = await Promise.all(['garage-leak', 'garage-freezer', 'attic-gas'].map((id) => rig.store.readingsFor(id)));
      assert.deepEqual(others.map((rows) => rows.length), [0, 0, 0], 'nothing landed on another sensor');
    } finally {
      await rig.stop();
    }
  });

  it('goes stale, then disconnected, then a sensor fault when silent; a fresh reading brings it back', async () => {
    const rig = await startMqttRig();
    const sub = new Subscriber({ port: rig.port, topics: ['easygas/rig/sensors/garage-temp/#'], ...HA });
    try {
      await sub.subscribed();
      await publish({ port: rig.port, topic: 'easygas/nodes/garage/reading', message: '11', qos: 1, ...GARAGE });
      await waitFor('the reading', () => rig.daemon.hub.snapshot('garage-temp')?.health === 'ok');
      await sub.message('easygas/rig/sensors/garage-temp/availability', (m) => m.payload === 'online');

      // interval 10 s: stale after 3 intervals, disconnected after 10 (the hub's health timing).
      await rig.clock.advance(31_000);
      assert.equal(rig.daemon.hub.snapshot('garage-temp')?.health, 'stale');
      await sub.message('easygas/rig/sensors/garage-temp/availability', (m) => m.payload === 'offline');
      const stale = parse((await sub.message('easygas/rig/sensors/garage-temp/state', (m) => parse(m.payload).health === 'stale')).payload);
      assert.equal(stale.value, null, 'a stale sensor shows no number');
      await rig.clock.advance(70_000);
      assert.equal(rig.daemon.hub.snapshot('garage-temp')?.health, 'disconnected');
      await sub.message('easygas/rig/sensors/garage-temp/state', (m) => parse(m.payload).health === 'disconnected');
      await rig.clock.advance(61_000);
      await sub.message('easygas/rig/sensors/garage-temp/alarms/sensor_fault', (m) => parse(m.payload).state === 'ON');

      const from = sub.messages.length;
      await publish({ port: rig.port, topic: 'easygas/nodes/garage/reading', message: '12', qos: 1, ...GARAGE });
      await waitFor('back', () => rig.daemon.hub.snapshot('garage-temp')?.health === 'ok');
      await sub.message('easygas/rig/sensors/garage-temp/availability', (m) => m.payload === 'online', 10_000, from);
    } finally {
      await sub.stop();
      await rig.stop();
    }
  });
});
