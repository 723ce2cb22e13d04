/** Sensor specs and a driver for the sensor pipeline's tests: one sensor through samples and ticks. */
import { LPG_CURVE, ratioFromPpm, voutFromRs } from '../../../hardware/drivers/mq6-curve.js';
import { initialSensorState, stepSensor, tickSensor, type SensorState, type SensorStep } from '../sensor-pipeline.js';
import type { HealthSpec, SensorPipelineSpec } from '../specs.js';
import type { ConditionEvent, RawSample, Reading, SampleFaultCode } from '../types.js';

export const T0 = 1_767_225_600_000;

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const health = (overrides: Partial<HealthSpec> = {}): HealthSpec => ({
  intervalMs: 1000,
  disconnectedAfterFaults: 2,
  staleAfterMs: 3000,
  disconnectedAfterMs: 10_000,
  validRange: { min: -5, max: 105 },
  stuckAfterMs: 0,
  stuckEpsilon: 0,
  noisyFraction: 0.3,
  noisyWindow: 20,
  warmupMs: 0,
  ...overrides,
});

export const waterTankTank = { shape: 'vertical_cylinder', diameterMm: 1000, heightMm: 2000, maxFillFraction: 1 } as const;

export const waterTank: SensorPipelineSpec = {
  sensorId: 'tank-1',
  name: 'Roof water tank',
  kind: 'level',
  calibration: { type: 'identity' },
  level: { measures: 'distance_mm', mountHeightMm: 2100, blindZoneMm: 250, tank: waterTankTank },
  filter: { medianWindow: 5, spike: { maxRatePerMinute: 60, confirmSamples: 3 }, emaTimeConstantMs: 10_000 },
  health: health(),
  rules: [
    { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 5, minDurationMs: 60_000 },
    { type: 'sudden_drop', dropPercent: 10, windowMs: 30 * 60_000 },
    { type: 'sensor_fault', minDurationMs: 30_000 },
  ],
};

export const lpgGauge: SensorPipelineSpec = {
  sensorId: 'lpg-1',
  name: 'LPG cylinder',
  kind: 'level',
  calibration: {
    type: 'two_point',
    points: [
      { raw: 29000, value: 0 },
      { raw: 6300, value: 100 },
    ],
  },
  level: { measures: 'gauge_percent', tank: { shape: 'capacity', litres: 47.6, maxFillFraction: 0.8 } },
  filter: { medianWindow: 3, spike: { maxRatePerMinute: 5, confirmSamples: 3 }, emaTimeConstantMs: 0 },
  health: health({ intervalMs: 10_000, staleAfterMs: 30_000, disconnectedAfterMs: 100_000 }),
  rules: [
    { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 5, minDurationMs: 60_000 },
    { type: 'sensor_fault', minDurationMs: 60_000 },
  ],
};

export const mq6Circuit = { supplyVolts: 5, loadOhms: 20_000 };
export const R0 = 10_000;
export const gasSniffer: SensorPipelineSpec = {
  sensorId: 'gas-1',
  name: 'Kitchen gas sniffer',
  kind: 'gas',
  calibration: { type: 'mq6', ...mq6Circuit, r0Ohms: R0, curve: LPG_CURVE, gasMix: { propane: 0.6, butane: 0.4 } },
  filter: { medianWindow: 3, emaTimeConstantMs: 0 },
  health: health({ validRange: { min: 0, max: 200 }, warmupMs: 0 }),
  rules: [
    { type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 2000 },
    { type: 'sensor_fault', minDurationMs: 10_000 },
  ],
};
/** MQ-6 output volts at a %LEL of the mix above (butane's 1.9 % LEL). */
export const voltsAtLel = (lel: number): number => voutFromRs(ratioFromPpm((lel / 100) * 19_000) * R0, mq6Circuit);

/** Drives one sensor through samples and ticks, freezing every state it hands in. */
export class Sensor {
  state: SensorState;
  readonly events: ConditionEvent[] = [];
  readonly readings: Reading[] = [];
  last?: SensorStep;

  constructor(
    readonly spec: SensorPipelineSpec,
    startMono = 0,
  ) {
    this.state = initialSensorState(spec, startMono);
  }

  sample(mono: number, value: number | SampleFaultCode, warmingUp = false, overRange = false): SensorStep {
    const sample: RawSample = {
      sensorId: this.spec.sensorId,
      at: T0 + mono,
      mono,
      clockSynced: true,
      ...(typeof value === 'number' ? { value } : { fault: { code: value, message: `simulated ${value}` } }),
      ...(warmingUp ? { warmingUp } : {}),
      ...(overRange ? { overRange } : {}),
    };
    const step = stepSensor(this.spec, deepFreeze(this.state), sample);
    this.state = step.state;
    this.events.push(...step.events);
    if (step.reading !== undefined) this.readings.push(step.reading);
    this.last = step;
    return step;
  }

  tick(mono: number): ConditionEvent[] {
    const t = tickSensor(this.spec, deepFreeze(this.state), T0 + mono, mono, true);
    this.state = t.state;
    this.events.push(...t.events);
    return t.events;
  }
}

export const summary = (events: readonly ConditionEvent[]): string[] => events.map((e) => `${e.mono} ${e.condition} ${e.state} ${e.severity}`);

export function tickHealth(s: Sensor, mono: number): string {
  return tickSensor(s.spec, s.state, T0 + mono, mono, true).health;
}
