import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CalibrationSpec, CalibrationUpload, checkCalibration } from './calibration.js';
import { validator } from './validator.js';

const specs = validator(CalibrationSpec);

describe('calibration', () => {
  it('accepts every CalibrationSpec variant the gateway uses', () => {
    const all: unknown[] = [
      { type: 'identity' },
      { type: 'offset', scale: 1, offset: -0.5 },
      { type: 'two_point', points: [{ raw: 0.5, value: 0 }, { raw: 4.5, value: 100 }] },
      { type: 'piecewise', points: [{ raw: 0, value: 0 }, { raw: 1, value: 10 }, { raw: 2, value: 40 }] },
      { type: 'resistive', supplyVolts: 3.3, referenceOhms: 100, senderSide: 'low', points: [{ raw: 0, value: 0 }, { raw: 90, value: 80 }] },
      { type: 'mq6', supplyVolts: 5, loadOhms: 20_000, r0Ohms: 10_000, curve: { a: 1000, b: -2.1 }, gasMix: { propane: 0.6, butane: 0.4 } },
    ];
    for (const spec of all) assert.equal(specs.check(spec), true, JSON.stringify(spec));
  });

  it('refuses a malformed one with the path of the fault', () => {
    const parsed = validator(CalibrationUpload).parse({ calibrations: { lpg: { calibration: { type: 'mq6', supplyVolts: 0 }, updatedAt: 1 } } });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.equal(parsed.issues[0]?.path, 'calibrations.lpg.calibration.supplyVolts');
  });

  it('checks what the schema cannot: monotonic raw values, distinct two-point raws, a gas mix', () => {
    assert.deepEqual(checkCalibration({ type: 'piecewise', points: [{ raw: 0, value: 0 }, { raw: 2, value: 1 }, { raw: 1, value: 2 }] }), [
      { path: 'points[2].raw', message: 'must keep the raw values strictly increasing (1 after 2)' },
    ]);
    assert.deepEqual(checkCalibration({ type: 'two_point', points: [{ raw: 1, value: 0 }, { raw: 1, value: 9 }] }, ['calibration']), [
      { path: 'calibration.points[1].raw', message: 'must differ from the first point’s raw value' },
    ]);
    const mq6 = { type: 'mq6', supplyVolts: 5, loadOhms: 1, r0Ohms: 1, curve: { a: 1, b: 1 } } as const;
    assert.equal(checkCalibration({ ...mq6, gasMix: {} })[0]?.path, 'gasMix');
    assert.match(checkCalibration({ ...mq6, gasMix: { propane: 0.8, butane: 0.8 } })[0]?.message ?? '', /more than 1/);
    assert.deepEqual(checkCalibration({ ...mq6, gasMix: { propane: 1 } }), []);
  });
});
