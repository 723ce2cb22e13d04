/**
 * The leak watch as one of a sensor's rules: only trusted readings with a synchronised
 * clock feed it, and what it finds is a possible_leak warning like any other condition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateRules, initialRulesState } from './rules.js';
import type { SensorPipelineSpec } from './specs.js';
import { waterTrace } from './test-support/water-trace.js';
import type { ConditionEvent, Health, Reading } from './types.js';

const START = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;

const tank: SensorPipelineSpec = {
  sensorId: 'roof-tank',
  name: 'Roof tank',
  kind: 'level',
  calibration: { type: 'identity' },
  filter: { medianWindow: 1, emaTimeConstantMs: 0 },
  health: {
    intervalMs: 30_000,
    disconnectedAfterFaults: 2,
    staleAfterMs: 90_000,
    disconnectedAfterMs: 300_000,
    validRange: { min: -5, max: 110 },
    stuckAfterMs: 0,
    stuckEpsilon: 0,
    noisyFraction: 0.3,
    noisyWindow: 20,
    warmupMs: 0,
  },
  rules: [
    {
      type: 'leak_watch',
      timeZone: 'UTC',
      quietHours: { fromMinute: 120, toMinute: 300, minLossPercent: 0.6 },
      steadyDecline: { windowMs: 4 * HOUR, minPercentPerHour: 0.15 },
    },
  ],
};

/** Runs a night with a 10 L/h leak through the rules: every reading `synced` and of `health`. */
function night(synced: (hour: number) => boolean, health: (hour: number) => Health = () => 'ok'): ConditionEvent[] {
  let state = initialRulesState(tank);
  const events: ConditionEvent[] = [];
  for (const p of waterTrace({ startMs: START, hours: 32, days: [], leak: { litresPerHour: 10, fromHour: 0 } })) {
    const hour = (p.at - START) / HOUR;
    const h = health(hour);
    const reading: Reading = {
      sensorId: tank.sensorId, kind: 'level', at: p.at, mono: p.at - START, clockSynced: synced(hour),
      value: p.percent, unit: '%', raw: p.percent, percent: p.percent, litres: p.litres, quality: h === 'ok' ? 'ok' : 'noisy',
    };
    const out = evaluateRules(tank, state, reading, h, p.at, p.at - START, synced(hour));
    state = out.state;
    events.push(...out.events);
  }
  return events;
}

describe('leak watch as a rule', () => {
  it('raises a possible_leak warning from trusted, synchronised readings', () => {
    const [first] = night(() => true);
    assert.ok(first !== undefined);
    assert.equal(first.condition, 'possible_leak');
    assert.equal(first.state, 'raised');
    assert.equal(first.severity, 'warning');
    assert.equal(first.severe, false);
    assert.equal(first.sensorId, 'roof-tank');
    assert.match(first.message, /^Roof tank: possible leak — .* check taps, the float valve, pipes$/);
  });

  it('never raises on readings whose clock is not synchronised', () => {
    assert.deepEqual(night(() => false), []);
    // Unsynchronised every hour for 5 minutes: no 4-hour run is ever whole, no quiet window judged.
    assert.deepEqual(night((hour) => hour % 1 > 5 / 60), []);
  });

  it('never raises on readings of a sensor that is not healthy', () => {
    assert.deepEqual(night(() => true, () => 'noisy'), []);
    assert.deepEqual(night(() => true, (hour) => (hour % 1 < 5 / 60 ? 'noisy' : 'ok')), []);
  });
});
