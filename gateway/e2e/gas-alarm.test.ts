/**
 * Issue 3 scenarios on the simulated home, through the whole daemon: a gas leak
 * sounds temporal-3 within one sample period; the alarm path depends neither on
 * the store nor on the MQTT broker; a restart never silences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import type { Reading } from '../pipeline/types.js';
import type { ReadingStore } from '../store/reading-store.js';
import { startRig } from '../app/test-support/daemon-rig.js';

const MINUTE = 60_000;
const ALARM_LEL = 25;

function firstAlarmReading(readings: readonly Reading[]): { crossing: Reading; before: Reading | undefined } {
  const gas = readings.filter((r) => r.sensorId === 'kitchen-gas');
  const i = gas.findIndex((r) => r.value >= ALARM_LEL);
  assert.ok(i > 0, `the gas never reached ${ALARM_LEL} %LEL (max ${Math.max(...gas.map((r) => r.value)).toFixed(1)})`);
  return { crossing: gas[i]!, before: gas[i - 1] };
}

/** Rising edges relative to the first: temporal-3 repeats 0, 1000, 2000 every 4000 ms. */
function relative(onsets: readonly number[]): number[] {
  const first = onsets[0] ?? 0;
  return onsets.map((t) => t - first);
}

describe('gas leak on the simulated home', () => {
  it('puts temporal-3 on the buzzer pin within one sample period of the crossing', async () => {
    const rig = await startRig({ scenario: 'gas-leak' });
    try {
      await rig.clock.advance(15 * MINUTE);
      const { crossing, before } = firstAlarmReading(rig.readings);
      assert.ok(before !== undefined && before.value < ALARM_LEL, 'the sample before the crossing was below the alarm level');
      const interval = rig.config.sensors.find((s) => s.id === 'kitchen-gas')!.interval;
      // The gas warning (10 %LEL) chirped earlier; temporal-3 must start at the very sample
      // that crossed the alarm level — the decision is synchronous — so at most one sample
      // period after the gas itself crossed it.
      assert.ok(rig.buzzerOnsets(0)[0]! < crossing.mono, 'the warning sounded before the alarm');
      const alarmOnsets = rig.buzzerOnsets(crossing.mono);
      assert.equal(alarmOnsets[0], crossing.mono, 'temporal-3 starts at the crossing sample');
      assert.ok(crossing.mono - (before?.mono ?? 0) <= interval + 50, 'samples one period apart');
      assert.deepEqual(relative(alarmOnsets).slice(0, 6), [0, 1_000, 2_000, 4_000, 5_000, 6_000]);
      const gasEvents = rig.conditions.filter((e) => e.condition === 'gas');
      assert.ok(gasEvents.some((e) => e.state === 'raised' && e.severity === 'critical'));
    } finally {
      await rig.stop();
    }
  });

  it('keeps sounding when the store throws on every call and the MQTT broker is gone', async () => {
    const throwing: ReadingStore = {
      appendReading: () => {
        throw new Error('disk on fire');
      },
      recordEvent: () => {
        throw new Error('disk on fire');
      },
      readingsFor: () => Promise.reject(new Error('disk on fire')),
      latestReadings: () => Promise.reject(new Error('disk on fire')),
      events: () => Promise.reject(new Error('disk on fire')),
      outbox: () => Promise.reject(new Error('disk on fire')),
      ack: () => Promise.reject(new Error('disk on fire')),
      backlog: () => Promise.reject(new Error('disk on fire')),
      stats: () => Promise.reject(new Error('disk on fire')),
      metrics: () => Promise.reject(new Error('disk on fire')),
      flush: () => Promise.reject(new Error('disk on fire')),
      close: () => Promise.reject(new Error('disk on fire')),
      backup: () => Promise.reject(new Error('disk on fire')),
    };
    let broker: MqttLink | undefined;
    const rig = await startRig({ scenario: 'gas-leak', store: () => throwing, mqtt: { overrides: { wrapLink: (link) => (broker = link) } } });
    try {
      await rig.daemon.mqttReady();
      assert.equal(rig.daemon.mqtt?.stats().link.state, 'listening', 'the embedded broker was up');
      // The broker goes away under the gateway: sockets closed, its database closed; MQTT keeps publishing into the void.
      await broker?.stop();
      await rig.clock.advance(15 * MINUTE);
      const { crossing } = firstAlarmReading(rig.readings);
      assert.deepEqual(relative(rig.buzzerOnsets(crossing.mono)).slice(0, 3), [0, 1_000, 2_000]);
      assert.ok((rig.daemon.mqtt?.stats().publish.failed ?? 0) > 0, 'MQTT did try, and failed');
    } finally {
      await rig.stop();
    }
  });
});

describe('the gas-leak scenario above the sensor range', () => {
  it('never says "protection is OFF" while the gas rises: above the range is the severe alarm', async () => {
    const rig = await startRig({ scenario: 'gas-leak' });
    try {
      await rig.clock.advance(35 * MINUTE);
      const gas = rig.readings.filter((r) => r.sensorId === 'kitchen-gas');
      assert.ok(gas.some((r) => r.overRange === true), `the leak went above the range (max ${Math.max(...gas.map((r) => r.value))} %LEL)`);
      const faults = rig.conditions.filter((e) => e.sensorId === 'kitchen-gas' && e.condition === 'sensor_fault');
      assert.deepEqual(faults, []);
      const said = JSON.stringify(rig.logs);
      assert.doesNotMatch(said, /protection is OFF/);
      const above = rig.conditions.find((e) => e.condition === 'gas' && e.message.includes("above the sensor's range"));
      assert.ok(above !== undefined || rig.conditions.some((e) => e.condition === 'gas' && e.severe), 'the severe gas alarm');
      assert.ok(rig.daemon.alarms.active.some((a) => a.condition === 'gas' && a.severe), 'the alarm is at its highest and cannot be silenced');
    } finally {
      await rig.stop();
    }
  });
});

describe('daemon shutdown', () => {
  it('stopping during a sounding gas alarm leaves the buzzer and both LEDs off', async () => {
    const rig = await startRig({ scenario: 'gas-leak' });
    await rig.clock.advance(15 * 60_000);
    const lines = [rig.buzzerLine, rig.config.outputs.ledRed!.gpio, rig.config.outputs.ledGreen!.gpio];
    assert.ok(rig.daemon.alarms.active.some((a) => a.condition === 'gas'), 'the gas alarm is active');
    assert.ok(lines.some((line) => rig.home.simGpio.output(line) === 1), 'something is on');
    await rig.clock.run(rig.daemon.stop('test'), 60_000);
    for (const line of lines) assert.equal(rig.home.simGpio.output(line), 0, `GPIO${line} off after stop`);
    assert.equal(rig.daemon.state, 'stopped');
    await rig.stop(); // a second stop is a no-op
  });
});
