import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { SensorPipelineSpec } from '../pipeline/specs.js';
import type { ConditionEvent, RawSample } from '../pipeline/types.js';
import { SensorHub } from './sensor-hub.js';

const leakSpec: SensorPipelineSpec = {
  sensorId: 'sink',
  name: 'Under-sink leak',
  kind: 'leak',
  calibration: { type: 'identity' },
  filter: { medianWindow: 1, emaTimeConstantMs: 0 },
  health: {
    intervalMs: 1_000,
    disconnectedAfterFaults: 2,
    staleAfterMs: 3_000,
    disconnectedAfterMs: 10_000,
    validRange: { min: 0, max: 1 },
    stuckAfterMs: 0,
    stuckEpsilon: 0,
    noisyFraction: 0.3,
    noisyWindow: 20,
    warmupMs: 0,
  },
  rules: [
    { type: 'leak', minDurationMs: 0 },
    { type: 'sensor_fault', minDurationMs: 0 },
  ],
};

function rig() {
  const clock = new ManualClock();
  const order: string[] = [];
  const alarmEvents: ConditionEvent[] = [];
  let refreshes = 0;
  const hub = new SensorHub({
    specs: [leakSpec],
    clock,
    clockSynced: () => true,
    logger: silentLogger,
    alarms: {
      handleConditions: (events) => {
        order.push('alarms');
        alarmEvents.push(...events);
      },
      refresh: () => refreshes++,
    },
  });
  const sample = (over: Partial<RawSample>): RawSample => ({
    sensorId: 'sink',
    at: clock.now(),
    mono: clock.monotonic(),
    clockSynced: true,
    ...over,
  });
  return { clock, hub, order, alarmEvents, sample, refreshes: () => refreshes };
}

describe('SensorHub', () => {
  it('tells the alarms before any consumer, and isolates a failing consumer', () => {
    const { hub, order, alarmEvents, sample } = rig();
    const stored: number[] = [];
    hub.addConsumer({
      name: 'broken-broker',
      reading: () => {
        order.push('broker');
        throw new Error('broker gone');
      },
    });
    hub.addConsumer({
      name: 'store',
      reading: (r) => {
        order.push('store');
        stored.push(r.value);
      },
      conditions: () => order.push('store-events'),
    });
    hub.ingest(sample({ value: 1 }));
    assert.equal(alarmEvents[0]?.condition, 'water_leak');
    assert.equal(alarmEvents[0]?.state, 'raised');
    assert.deepEqual(order, ['alarms', 'broker', 'store', 'store-events']);
    assert.deepEqual(stored, [1]);
    assert.equal(hub.snapshot('sink')?.reading?.value, 1);
    assert.equal(hub.snapshot('sink')?.health, 'ok');
  });

  it('marks a silent sensor stale then disconnected on its ticks, and raises a fault', async () => {
    const { clock, hub, alarmEvents, sample, refreshes } = rig();
    hub.ingest(sample({ value: 0 }));
    hub.start();
    await clock.advance(3_000);
    assert.equal(hub.snapshot('sink')?.health, 'stale');
    await clock.advance(7_000);
    assert.equal(hub.snapshot('sink')?.health, 'disconnected');
    assert.ok(alarmEvents.some((e) => e.condition === 'sensor_fault' && e.state === 'raised'));
    assert.ok(refreshes() >= 2, 'the green LED is re-evaluated on health changes');
    assert.equal(hub.allHealthy(), false);
    hub.stop();
  });

  it('counts samples for unknown sensors without processing them', () => {
    const { hub, sample } = rig();
    hub.ingest(sample({ sensorId: 'ghost', value: 1 }));
    assert.equal(hub.unknownSamples, 1);
    assert.equal(hub.has('ghost'), false);
  });

  it('records faults on the snapshot and keeps no reading for them', () => {
    const { hub, sample } = rig();
    hub.ingest(sample({ fault: { code: 'no_ack', message: 'gone', hint: 'check wiring' } }));
    hub.ingest(sample({ fault: { code: 'no_ack', message: 'gone', hint: 'check wiring' } }));
    const snap = hub.snapshot('sink');
    assert.equal(snap?.health, 'disconnected');
    assert.equal(snap?.reading, undefined);
    assert.equal(snap?.lastFault?.hint, 'check wiring');
    assert.equal(snap?.rejected, 2);
  });
});

describe('SensorHub.updateSpec', () => {
  it('applies a new spec live, and clears an alarm whose rule was removed', () => {
    const { hub, alarmEvents, sample } = rig();
    hub.ingest(sample({ value: 1 }));
    assert.equal(alarmEvents.at(-1)?.state, 'raised');
    hub.updateSpec({ ...leakSpec, rules: [{ type: 'sensor_fault', minDurationMs: 0 }] });
    assert.equal(alarmEvents.at(-1)?.condition, 'water_leak');
    assert.equal(alarmEvents.at(-1)?.state, 'cleared');
    assert.equal(hub.specOf('sink')?.rules.length, 1);
    hub.ingest(sample({ value: 1 }));
    assert.equal(alarmEvents.filter((e) => e.state === 'raised').length, 1, 'no leak rule any more: wet raises nothing');
    assert.throws(() => hub.updateSpec({ ...leakSpec, sensorId: 'ghost' }), /no sensor ghost/);
  });
});
