import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gaussian, seededRandom } from '../../hardware/sim/random.js';
import { evaluateRules, initialRulesState, type RulesState } from './rules.js';
import type { RuleSpec, SensorPipelineSpec } from './specs.js';
import type { ConditionEvent, Health, Quality, Reading, SensorKind } from './types.js';

const T0 = 1_767_225_600_000;

function sensor(kind: SensorKind, name: string, rules: RuleSpec[]): SensorPipelineSpec {
  return {
    sensorId: `${kind}-1`,
    name,
    kind,
    calibration: { type: 'identity' },
    filter: { medianWindow: 1, emaTimeConstantMs: 0 },
    health: {
      intervalMs: 1000,
      disconnectedAfterFaults: 2,
      staleAfterMs: 3000,
      disconnectedAfterMs: 10_000,
      validRange: { min: -10, max: 110 },
      stuckAfterMs: 0,
      stuckEpsilon: 0,
      noisyFraction: 0.3,
      noisyWindow: 20,
      warmupMs: 0,
    },
    rules,
  };
}

const lowLevel: RuleSpec = { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 5, minDurationMs: 60_000 };
const gas: RuleSpec = { type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 5000 };
const sensorFault: RuleSpec = { type: 'sensor_fault', minDurationMs: 30_000 };

const cylinder = sensor('level', 'LPG cylinder', [lowLevel, sensorFault]);
const sniffer = sensor('gas', 'Kitchen gas sniffer', [gas, sensorFault]);

function reading(spec: SensorPipelineSpec, mono: number, value: number, quality: Quality = 'ok'): Reading {
  const unit = spec.kind === 'gas' ? '%LEL' : spec.kind === 'level' ? '%' : '';
  return {
    sensorId: spec.sensorId,
    kind: spec.kind,
    at: T0 + mono,
    mono,
    clockSynced: true,
    value,
    unit,
    raw: value,
    quality,
    ...(spec.kind === 'level' ? { percent: value, litres: value / 2 } : {}),
  };
}

/** A step: a value (a reading) or undefined (a tick), the health, at a monotonic time. */
type Step = readonly [mono: number, value: number | undefined, health?: Health];

class Runner {
  state: RulesState;
  readonly events: ConditionEvent[] = [];

  constructor(readonly spec: SensorPipelineSpec) {
    this.state = initialRulesState(spec);
  }

  step(mono: number, value: number | undefined, health: Health = 'ok'): ConditionEvent[] {
    const quality: Quality | undefined = health === 'stale' || health === 'disconnected' ? undefined : health;
    const r = value !== undefined && quality !== undefined ? reading(this.spec, mono, value, quality) : undefined;
    const out = evaluateRules(this.spec, Object.freeze(this.state), r, health, T0 + mono, mono, true);
    this.state = out.state;
    this.events.push(...out.events);
    return out.events;
  }

  run(steps: readonly Step[]): ConditionEvent[] {
    const before = this.events.length;
    for (const [mono, value, health] of steps) this.step(mono, value, health);
    return this.events.slice(before);
  }

  /** One value every intervalMs from `from` to `to` inclusive. */
  hold(from: number, to: number, value: number | ((mono: number) => number), health: Health = 'ok', intervalMs = 1000): ConditionEvent[] {
    const before = this.events.length;
    for (let t = from; t <= to; t += intervalMs) this.step(t, typeof value === 'number' ? value : value(t), health);
    return this.events.slice(before);
  }
}

const summary = (events: readonly ConditionEvent[]): string[] =>
  events.map((e) => `${e.mono} ${e.condition} ${e.state} ${e.severity}${e.severe ? ' severe' : ''}`);

describe('low_level rule', () => {
  it('raises a warning only after the level has stayed low for minDurationMs', () => {
    const r = new Runner(cylinder);
    r.hold(0, 10_000, 50);
    assert.deepEqual(r.hold(11_000, 70_000, 19), []);
    assert.deepEqual(summary(r.hold(71_000, 71_000, 19)), ['71000 low_level raised warning']);
    const [event] = r.events;
    assert.equal(event?.message, 'LPG cylinder is low: 19 % left (warning at 20 %)');
    assert.equal(event?.threshold, 20);
    assert.equal(event?.unit, '%');
    assert.equal(event?.value, 19);
  });

  it('a dip shorter than minDurationMs raises nothing; a rise shorter than minDurationMs clears nothing', () => {
    const r = new Runner(cylinder);
    r.hold(0, 1000, 50);
    assert.deepEqual(r.hold(2000, 60_000, 15), [], 'a 59 s dip');
    r.hold(61_000, 62_000, 50);
    assert.deepEqual(summary(r.hold(63_000, 130_000, 15)), ['123000 low_level raised warning']);
    assert.deepEqual(r.hold(131_000, 190_000, 50), [], 'a 60 s rise, not long enough');
    r.hold(191_000, 191_000, 15);
    assert.deepEqual(summary(r.hold(192_000, 260_000, 50)), ['252000 low_level cleared warning']);
  });

  it('escalates to critical, de-escalates to warning and clears, each with hysteresis and minDuration', () => {
    const r = new Runner(sensor('level', 'Water tank', [{ ...lowLevel, minDurationMs: 0 }]));
    const events = r.run([
      [0, 50],
      [1000, 18],
      [2000, 9],
      [3000, 12], // above critical, within its hysteresis: stays critical
      [4000, 16], // above critical + hysteresis: back to warning
      [5000, 24], // above warning, within its hysteresis: stays warning
      [6000, 26], // cleared
    ]);
    assert.deepEqual(summary(events), [
      '1000 low_level raised warning',
      '2000 low_level raised critical',
      '4000 low_level raised warning',
      '6000 low_level cleared warning',
    ]);
    assert.equal(events[1]?.message, 'Water tank is almost empty: 9 % left (critical at 10 %)');
    assert.equal(events[3]?.message, 'Water tank is no longer low: 26 % (cleared above 25 %)');
    assert.equal(events[3]?.threshold, 25);
  });

  it('a noisy level around the threshold does not flap (hysteresis, property over seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const r = new Runner(cylinder);
      // Noise of ±2 % around the warning threshold, for two hours.
      r.hold(0, 7_200_000, () => 20 + gaussian(random, 0, 1));
      assert.ok(r.events.length <= 1, `seed ${seed}: ${summary(r.events).join('; ')}`);
    }
  });

  it('hysteresis stops a level wandering slowly around the threshold from flapping', () => {
    // ±3 % swings with a 10-minute period: minutes below and above 20 % each time,
    // longer than minDuration, but never above 25 %.
    const r = new Runner(cylinder);
    r.hold(0, 4 * 3_600_000, (t) => 20 + 3 * Math.sin((2 * Math.PI * t) / 600_000), 'ok', 5000);
    assert.deepEqual(summary(r.events), ['360000 low_level raised warning']);
  });

  it('min duration elapses on a tick between samples', () => {
    const r = new Runner(cylinder);
    r.step(0, 15);
    assert.deepEqual(r.step(59_999, undefined), []);
    assert.deepEqual(summary(r.step(60_000, undefined)), ['60000 low_level raised warning']);
  });
});

describe('gas rule', () => {
  const quick = sensor('gas', 'Kitchen gas sniffer', [{ ...gas, minDurationMs: 0 }]);

  it('speaks in sentences with name, value, unit and threshold', () => {
    const r = new Runner(quick);
    const events = r.run([
      [0, 12],
      [1000, 27],
      [2000, 55],
    ]);
    assert.deepEqual(
      events.map((e) => e.message),
      [
        'Gas at 12 %LEL at Kitchen gas sniffer (warning at 10 %LEL)',
        'Gas at 27 %LEL at Kitchen gas sniffer (alarm at 25 %LEL)',
        'Gas at 55 %LEL at Kitchen gas sniffer (severe above 50 %LEL: the alarm cannot be silenced)',
      ],
    );
  });

  it('warning ≥ warningLel, critical ≥ alarmLel, severe ≥ severeLel — escalation to severe and back are events', () => {
    const r = new Runner(quick);
    const events = r.run([
      [0, 0],
      [1000, 10],
      [2000, 25],
      [3000, 50],
      [4000, 48], // within the severe hysteresis
      [5000, 46], // below it: no longer severe, still critical
      [6000, 23], // within alarm hysteresis
      [7000, 21], // warning
      [8000, 8], // within warning hysteresis
      [9000, 6.9], // cleared
    ]);
    assert.deepEqual(summary(events), [
      '1000 gas raised warning',
      '2000 gas raised critical',
      '3000 gas raised critical severe',
      '5000 gas raised critical',
      '7000 gas raised warning',
      '9000 gas cleared warning',
    ]);
    assert.equal(events.at(-1)?.message, 'Gas cleared at Kitchen gas sniffer: 6.9 %LEL (below 7 %LEL)');
  });

  it('jumps straight to critical when gas rises fast', () => {
    const r = new Runner(sniffer);
    r.step(0, 0);
    assert.deepEqual(summary(r.hold(1000, 6000, 30)), ['6000 gas raised critical']);
  });

  it('a warming-up sensor never alarms and never clears', () => {
    const r = new Runner(sniffer);
    assert.deepEqual(r.hold(0, 180_000, 60, 'warming_up'), []);
    // Raised once trusted …
    assert.deepEqual(summary(r.hold(181_000, 186_000, 30)), ['186000 gas raised critical']);
    // … and a warming-up zero does not clear it.
    assert.deepEqual(r.hold(187_000, 300_000, 0, 'warming_up'), []);
  });

  it('a faulty sensor holds an active gas alarm and raises a critical sensor_fault on top', () => {
    const r = new Runner(sniffer);
    r.hold(0, 10_000, 30);
    assert.deepEqual(summary(r.events), ['5000 gas raised critical']);
    // Unplugged: no readings, health disconnected, for ten minutes.
    const events = r.hold(11_000, 611_000, 0, 'disconnected');
    assert.deepEqual(summary(events), ['41000 sensor_fault raised critical']);
    assert.equal(events[0]?.message, 'Kitchen gas sniffer is disconnected: gas leak protection is OFF until it is fixed');
    // Out of range, stuck, noisy and stale readings clear nothing either.
    for (const health of ['out_of_range', 'stuck', 'noisy', 'stale'] as const) {
      assert.deepEqual(r.hold(612_000, 700_000, 0, health), [], health);
    }
    // Back, and gas is gone: the fault clears at once, the alarm after its min duration.
    assert.deepEqual(summary(r.hold(701_000, 706_000, 0)), ['701000 sensor_fault cleared critical', '706000 gas cleared critical']);
  });

  it('an alarm whose clear was pending is not cleared while the sensor is disconnected', () => {
    const r = new Runner(sniffer);
    r.hold(0, 5000, 30);
    r.step(6000, 0); // gas gone for one sample: the clear starts pending …
    // … and the sniffer is unplugged. Ticks for ten minutes clear nothing.
    for (let t = 7000; t <= 600_000; t += 1000) r.step(t, undefined, t < 8000 ? 'ok' : 'disconnected');
    assert.deepEqual(summary(r.events), ['5000 gas raised critical', '38000 sensor_fault raised critical']);
  });

  it('a pending clear restarts after a blind spell: time spent blind never clears an alarm', () => {
    const r = new Runner(sniffer);
    r.hold(0, 5000, 30);
    assert.equal(r.events.length, 1);
    r.step(6000, 0); // the clear starts pending
    r.hold(7000, 20_000, 0, 'noisy'); // blind for longer than minDuration
    assert.deepEqual(r.step(21_000, 0), [], 'no clear right after the blind spell');
    assert.deepEqual(summary(r.hold(22_000, 26_000, 0)), ['26000 gas cleared critical']);
  });
});

describe('leak rule', () => {
  const leak = sensor('leak', 'Bathroom leak sensor', [{ type: 'leak', minDurationMs: 60_000 }]);

  it('raises a critical water_leak at once when wet, clears after dry for minDurationMs', () => {
    const r = new Runner(leak);
    r.step(0, 0);
    const raised = r.step(1000, 1);
    assert.deepEqual(summary(raised), ['1000 water_leak raised critical']);
    assert.equal(raised[0]?.message, 'Water leak at Bathroom leak sensor');
    assert.deepEqual(r.hold(2000, 61_000, 0), [], 'dry for 59 s');
    assert.deepEqual(summary(r.hold(62_000, 62_000, 0)), ['62000 water_leak cleared critical']);
  });

  it('a disconnected contact does not clear a leak', () => {
    const r = new Runner(leak);
    r.step(0, 1);
    assert.deepEqual(r.hold(1000, 600_000, 0, 'disconnected'), []);
  });
});

describe('sudden_drop rule', () => {
  const tank = sensor('level', 'Water tank', [{ type: 'sudden_drop', dropPercent: 10, windowMs: 30 * 60_000 }]);

  it('a normal drain raises nothing', () => {
    const r = new Runner(tank);
    // 5 % an hour for 6 hours, sampled every 10 s.
    assert.deepEqual(r.hold(0, 6 * 3_600_000, (t) => 90 - (t / 3_600_000) * 5, 'ok', 10_000), []);
  });

  it('a fast drop raises a warning, which clears once the drop falls below half', () => {
    const r = new Runner(tank);
    r.hold(0, 600_000, 80, 'ok', 10_000);
    // 1 %/min: 10 % after 10 minutes.
    const events = r.hold(610_000, 1_800_000, (t) => Math.max(60, 80 - (t - 600_000) / 60_000), 'ok', 10_000);
    assert.deepEqual(summary(events), ['1200000 sudden_drop raised warning']);
    assert.equal(events[0]?.message, 'Water tank dropped 10 % within 30 min (from 80 % to 70 %): possible leak (warning at 10 %)');
    // Steady at 60 %: the drop falls below 5 % once the window no longer holds 65 %,
    // reached at 1 500 000: 30 min later, within one bucket (2.5 min) and one sample.
    const cleared = r.hold(1_810_000, 5_000_000, 60, 'ok', 10_000);
    assert.deepEqual(summary(cleared).map((s) => s.replace(/^\d+ /, '')), ['sudden_drop cleared warning']);
    const at = cleared[0]?.mono ?? NaN;
    assert.ok(at > 1_500_000 + 1_800_000 && at <= 1_500_000 + 1_800_000 + 150_000 + 10_000, `cleared at ${at}`);
  });
});

describe('sensor_fault rule', () => {
  it('raises a warning for a level sensor after minDurationMs of bad health; warming_up neither raises nor clears', () => {
    const r = new Runner(cylinder);
    r.step(0, 50);
    assert.deepEqual(r.hold(1000, 30_000, 50, 'out_of_range'), []);
    assert.deepEqual(summary(r.hold(31_000, 31_000, 50, 'out_of_range')), ['31000 sensor_fault raised warning']);
    assert.equal(r.events[0]?.message, 'LPG cylinder is reading out of range: its readings cannot be trusted');
    assert.deepEqual(r.hold(32_000, 100_000, 50, 'warming_up'), []);
    assert.deepEqual(summary(r.step(101_000, 50)), ['101000 sensor_fault cleared warning']);
  });

  it('bad health that keeps coming back ok in between raises nothing', () => {
    const r = new Runner(cylinder);
    for (let t = 0; t < 600_000; t += 20_000) {
      r.hold(t, t + 15_000, 50, 'out_of_range');
      r.step(t + 16_000, 50);
    }
    assert.deepEqual(r.events, []);
  });
});

describe('evaluateRules', () => {
  it('keeps one state per rule and never mutates the state it is given', () => {
    const spec = sensor('level', 'Tank', [lowLevel, { type: 'sudden_drop', dropPercent: 10, windowMs: 600_000 }, sensorFault]);
    const r = new Runner(spec);
    // Runner freezes the top-level state; freeze every rule state too.
    for (const s of r.state) Object.freeze(s);
    assert.doesNotThrow(() => r.hold(0, 200_000, (t) => 50 - t / 4000));
    assert.equal(r.state.length, 3);
  });

  it('stamps events with the wall time, monotonic time and clock sync given', () => {
    const spec = sensor('leak', 'Leak', [{ type: 'leak', minDurationMs: 0 }]);
    const out = evaluateRules(spec, initialRulesState(spec), reading(spec, 5, 1), 'ok', 123, 5, false);
    assert.equal(out.events.length, 1);
    assert.deepEqual([out.events[0]?.at, out.events[0]?.mono, out.events[0]?.clockSynced, out.events[0]?.sensorId], [123, 5, false, 'leak-1']);
  });
});
