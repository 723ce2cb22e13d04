import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceEvent } from '../api/types.js';
import { activeAlarms, alarmWords, pageTitle } from './alarms.js';

const counter = { id: 0 };
const ev = (at: number, type: string, state: 'raised' | 'cleared' | null, severity = 'warning', sensorId: string | null = 'gw:kitchen-gas'): DeviceEvent => ({
  id: ++counter.id,
  seq: counter.id,
  source: 'gateway',
  at,
  type,
  sensorId,
  state,
  severity,
  message: `${type} ${state ?? ''}`,
  value: null,
  unit: null,
  clockSynced: true,
});
const name = (sid: string | null) => (sid === 'gw:kitchen-gas' ? 'Kitchen gas' : 'LPG cylinder');

describe('active alarms from events', () => {
  it('a raised condition is active until cleared; the latest raise carries the severity', () => {
    const events = [ev(5, 'gas', 'raised', 'critical'), ev(4, 'gas', 'raised', 'warning'), ev(3, 'water_leak', 'cleared', 'critical', 'gw:sink'), ev(2, 'water_leak', 'raised', 'critical', 'gw:sink')];
    const active = activeAlarms(new Map([['gw', events]]));
    assert.deepEqual(active.map((a) => [a.type, a.severity, a.at]), [['gas', 'critical', 5]]);
  });

  it('sorts critical first, ignores presence and stateless events, keeps sensors apart', () => {
    const events = [
      ev(9, 'device_offline', 'raised', 'warning', null),
      ev(8, 'store_recovered', null, 'warning', null),
      ev(7, 'low_level', 'raised', 'warning', 'gw:lpg'),
      ev(6, 'water_leak', 'raised', 'critical', 'gw:sink'),
      ev(5, 'low_level', 'cleared', 'warning', 'gw:roof'),
    ];
    assert.deepEqual(activeAlarms(new Map([['gw', events]])).map((a) => a.type), ['water_leak', 'low_level']);
  });

  it('words match the severity: a gas warning is not an evacuation, a gas alarm is', () => {
    const warn = alarmWords({ type: 'gas', severity: 'warning' }, 'Kitchen gas');
    const alarm = alarmWords({ type: 'gas', severity: 'critical' }, 'Kitchen gas');
    assert.deepEqual([warn.tone, warn.headline], ['warning', 'Gas detected']);
    assert.doesNotMatch(warn.advice, /leave the house/i);
    assert.deepEqual([alarm.tone, alarm.headline], ['critical', 'Gas alarm']);
    assert.match(alarm.advice, /Leave the house now/);
    assert.equal(alarmWords({ type: 'low_level', severity: 'critical' }, 'LPG cylinder').headline, 'LPG cylinder almost empty');
  });

  it('the page title says the alarm state', () => {
    const active = activeAlarms(new Map([['gw', [ev(5, 'gas', 'raised', 'critical'), ev(4, 'low_level', 'raised', 'warning', 'gw:lpg')]]]));
    assert.equal(pageTitle(active, 0, 'Home', name), '⚠ Gas alarm (+1) — EasyGas');
    assert.equal(pageTitle([], 1, 'Home', name), '⚠ Gateway offline — EasyGas');
    assert.equal(pageTitle([], 0, 'Events', name), 'Events — EasyGas');
  });
});
