import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActiveAlarm } from '../alarms/alarm-book.js';
import type { SensorSnapshot } from '../sampling/sensor-hub.js';
import {
  alarmEventPayload,
  alarmPayload,
  alarmSummaryPayload,
  availabilityPayload,
  commandEventPayload,
  healthEventPayload,
  sensorStatePayload,
} from './payloads.js';

const AT = Date.UTC(2026, 10, 24, 8, 0, 0);
const level: SensorSnapshot = {
  id: 'lpg',
  name: 'LPG cylinder',
  kind: 'level',
  health: 'ok',
  reading: { sensorId: 'lpg', kind: 'level', at: AT, mono: 1, clockSynced: true, value: 62.43219, unit: '%', raw: 0.912345678, percent: 62.43219, litres: 53.92, quality: 'ok' },
  samples: 3,
  rejected: 0,
};
const gasAlarm: ActiveAlarm = {
  key: 'kitchen-gas:gas', sensorId: 'kitchen-gas', condition: 'gas', severity: 'critical', severe: true,
  message: 'Gas at Kitchen gas sniffer: 55 %LEL', value: 55, unit: '%LEL', raisedAt: AT,
};

const json = (s: string): Record<string, unknown> => JSON.parse(s) as Record<string, unknown>;

describe('MQTT payloads', () => {
  it('a state carries value, unit, percent, litres, ppm, quality, health and the reading time, rounded', () => {
    assert.deepEqual(json(sensorStatePayload(level)), {
      value: 62.43, unit: '%', percent: 62.43, litres: 53.9, ppm: null, raw: 0.9123, quality: 'ok', overRange: false, health: 'ok', since: null,
      ts: AT, time: '2026-11-24T08:00:00.000Z', clockSynced: true, last: null, fault: null, hint: null,
    });
  });

  it('a sensor that is not ok shows no current number: its health since when, why, and the last good value as such', () => {
    const since = AT + 180_000;
    const gone: SensorSnapshot = {
      ...level, health: 'disconnected', healthSince: since, lastGood: level.reading,
      lastFault: { code: 'timeout', message: 'did not answer', hint: 'check the wiring', at: AT },
    };
    const state = json(sensorStatePayload(gone));
    assert.equal(state.value, null);
    assert.equal(state.litres, null);
    assert.equal(state.health, 'disconnected');
    assert.equal(state.since, since);
    assert.deepEqual(state.last, { value: 62.43, unit: '%', ts: AT, time: '2026-11-24T08:00:00.000Z' });
    assert.equal(state.fault, 'did not answer');
    assert.equal(state.hint, 'check the wiring');
    // A number with a bad quality is not current either.
    const stuck = json(sensorStatePayload({ ...level, health: 'stuck', reading: { ...level.reading!, quality: 'stuck' }, lastGood: level.reading }));
    assert.equal(stuck.value, null);
    assert.equal((stuck.last as { value: number }).value, 62.43);
    // Home Assistant: every value entity goes unavailable unless the sensor is ok.
    for (const health of ['disconnected', 'stale', 'warming_up', 'stuck', 'noisy', 'out_of_range'] as const) {
      assert.equal(availabilityPayload(health), 'offline', health);
    }
    assert.equal(availabilityPayload('ok'), 'online');
  });

  it('gas above the range is published as a bound', () => {
    const gas: SensorSnapshot = {
      id: 'kitchen-gas', name: 'Kitchen gas sniffer', kind: 'gas', health: 'ok', samples: 9, rejected: 0,
      reading: { sensorId: 'kitchen-gas', kind: 'gas', at: AT, mono: 1, clockSynced: true, value: 100, unit: '%LEL', raw: 4.9, quality: 'ok', overRange: true },
    };
    const state = json(sensorStatePayload(gas));
    assert.equal(state.value, 100);
    assert.equal(state.overRange, true);
  });

  it('an alarm is ON while active, silenced or not; informational conditions are OFF', () => {
    assert.equal(json(alarmPayload('kitchen-gas', 'gas', gasAlarm)).state, 'ON');
    assert.equal(json(alarmPayload('kitchen-gas', 'gas', { ...gasAlarm, silencedUntil: 5 })).silenced, true);
    assert.equal(json(alarmPayload('kitchen-gas', 'gas', undefined)).state, 'OFF');
    assert.equal(json(alarmPayload('lpg', 'low_level', { ...gasAlarm, severity: 'info' })).state, 'OFF');
    const summary = json(alarmSummaryPayload([gasAlarm, { ...gasAlarm, key: 'x', silencedUntil: 9 }], false));
    assert.equal(summary.state, 'ON');
    assert.equal(summary.sounding, 1);
    assert.equal(json(alarmSummaryPayload([], true)).test, true);
    assert.equal(json(alarmSummaryPayload([], false)).state, 'OFF');
  });

  it('events say what happened and when', () => {
    const e = json(alarmEventPayload({ type: 'silence_refused', alarm: gasAlarm }, AT + 5));
    assert.deepEqual([e.type, e.change, e.sensor, e.condition, e.severe, e.ts], ['alarm', 'silence_refused', 'kitchen-gas', 'gas', true, AT + 5]);
    const h = json(healthEventPayload({ ...level, health: 'stale' }, 'ok', AT));
    assert.deepEqual([h.type, h.health, h.was], ['health', 'stale', 'ok']);
    const c = json(commandEventPayload({ command: 'silence', result: 'refused', refused: [gasAlarm] }, AT));
    assert.deepEqual(c.refused, [{ sensor: 'kitchen-gas', condition: 'gas', message: 'Gas at Kitchen gas sniffer: 55 %LEL: too high to silence' }]);
    assert.deepEqual(c.silenced, []);
  });
});
