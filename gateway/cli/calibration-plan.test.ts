import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertRaw } from '../api/live-read.js';
import type { CalibrationSpec } from '../pipeline/specs.js';
import { CliError } from './cli-io.js';
import { methodFor, parsePoint, planCalibration, type CalibrationInfo } from './calibration-plan.js';

const ultrasonic: CalibrationInfo = {
  sensorId: 'roof-tank',
  kind: 'level',
  calibration: { type: 'identity' },
  level: { measures: 'distance_mm', mountHeightMm: 1250, tank: { shape: 'vertical_cylinder', diameterMm: 1100, heightMm: 1100, maxFillFraction: 1 } },
  source: 'config',
};

const dial: CalibrationInfo = {
  sensorId: 'lpg',
  kind: 'level',
  calibration: { type: 'two_point', points: [{ raw: 1.81, value: 5 }, { raw: 0.39, value: 80 }] },
  level: { measures: 'gauge_percent', tank: { shape: 'capacity', litres: 108, maxFillFraction: 0.8 } },
  source: 'config',
};

describe('calibration plan', () => {
  it('ultrasonic: the water height now corrects the mounting height (the sensor sits 20 mm higher than configured)', () => {
    assert.equal(methodFor(ultrasonic), 'mounting-height');
    // The real face is 1270 mm above the floor; water at 400 mm → the sensor sees 870 mm.
    const plan = planCalibration(ultrasonic, 'mounting-height', [{ ...parsePoint('400', 'mounting-height', ultrasonic), raw: 870, samples: 10, spread: 2 }]);
    assert.deepEqual(plan.calibration, { type: 'offset', scale: 1, offset: -20 });
    const at = convertRaw({ kind: 'level', ...(ultrasonic.level !== undefined ? { level: ultrasonic.level } : {}) }, plan.calibration as CalibrationSpec, 870);
    assert.ok(!('error' in at));
    assert.equal(Math.round(at.heightMm ?? -1), 400);
  });

  it('level sender: full means the tank\'s maxFillFraction; three points make a piecewise table in raw order', () => {
    assert.equal(parsePoint('full', 'level-points', dial).value, 80);
    assert.deepEqual(parsePoint('empty=1.9', 'level-points', dial), { label: 'empty', value: 0, raw: 1.9 });
    const points = [
      { label: 'empty', value: 0, raw: 1.9, samples: 1, spread: 0 },
      { label: '40', value: 40, raw: 1.1, samples: 1, spread: 0 },
      { label: 'full', value: 80, raw: 0.4, samples: 1, spread: 0 },
    ];
    const plan = planCalibration(dial, 'level-points', points);
    assert.equal(plan.calibration.type, 'piecewise');
    assert.deepEqual((plan.calibration.points as { raw: number }[]).map((p) => p.raw), [0.4, 1.1, 1.9]);
  });

  it('refuses points out of order, a sender that did not move, and a method the sensor does not have', () => {
    const p = (value: number, raw: number) => ({ label: String(value), value, raw, samples: 1, spread: 0 });
    assert.throws(() => planCalibration(dial, 'level-points', [p(0, 1.9), p(40, 0.5), p(80, 1.0)]), CliError);
    assert.throws(() => planCalibration(dial, 'level-points', [p(0, 1.0), p(80, 1.0)]), /same raw value/);
    assert.throws(() => parsePoint('clean-air', 'level-points', dial), /not understood/);
    assert.throws(() => methodFor({ ...dial, kind: 'leak', calibration: { type: 'identity' } }), /no guided calibration/);
  });
});
