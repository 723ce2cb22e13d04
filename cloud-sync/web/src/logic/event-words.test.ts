import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceEvent } from '../api/types.js';
import { eventTypeWords, filterEvents } from './event-words.js';

const e = (id: number, type: string, severity: string, gatewayId = 'g1', sensorId: string | null = null): DeviceEvent & { gatewayId: string } => ({
  id,
  seq: id,
  source: 'gateway',
  at: id * 1000,
  type,
  sensorId,
  state: 'raised',
  severity,
  message: type,
  value: null,
  unit: null,
  clockSynced: true,
  gatewayId,
});

describe('event timeline filters', () => {
  const all = [e(1, 'gas', 'critical', 'g1', 'g1:gas'), e(2, 'sensor_fault', 'warning', 'g1', 'g1:tank'), e(3, 'device_offline', 'warning', 'g2'), e(4, 'store_pruned', 'info', 'g2')];
  it('by kind, severity, gateway and sensor; newest first', () => {
    const base = { group: 'all', minSeverity: 'info', gatewayId: 'all', sensorId: 'all' } as const;
    assert.deepEqual(filterEvents(all, base).map((x) => x.id), [4, 3, 2, 1]);
    assert.deepEqual(filterEvents(all, { ...base, group: 'alarms' }).map((x) => x.id), [1]);
    assert.deepEqual(filterEvents(all, { ...base, minSeverity: 'warning' }).map((x) => x.id), [3, 2, 1]);
    assert.deepEqual(filterEvents(all, { ...base, gatewayId: 'g2' }).map((x) => x.id), [4, 3]);
    assert.deepEqual(filterEvents(all, { ...base, sensorId: 'g1:tank' }).map((x) => x.id), [2]);
  });
  it('names types in words', () => {
    assert.equal(eventTypeWords('water_leak'), 'Water leak');
    assert.equal(eventTypeWords('store_pruned'), 'Store pruned');
  });
});
