import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LPG_CURVE, ratioFromPpm, voutFromRs } from '../../hardware/drivers/mq6-curve.js';
import { seededRandom } from '../../hardware/sim/random.js';
import { calibrate, fitTwoPoint, interpolateClamped, invertTwoPoint, senderOhms, validatePoints } from './calibration.js';
import type { CalibrationPoint, CalibrationSpec } from './specs.js';

const close = (actual: number, expected: number, tolerance: number, what = ''): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} vs ${expected} (±${tolerance})`);

function valueOf(spec: CalibrationSpec, raw: number): number {
  const result = calibrate(spec, raw);
  if ('error' in result) assert.fail(`unexpected error for raw ${raw}: ${result.error}`);
  return result.value;
}

function errorOf(spec: CalibrationSpec, raw: number): string {
  const result = calibrate(spec, raw);
  if (!('error' in result)) assert.fail(`expected an error for raw ${raw}, got ${result.value}`);
  return result.error;
}

describe('calibrate: identity and offset', () => {
  it('passes the raw value through', () => {
    assert.equal(valueOf({ type: 'identity' }, 21.5), 21.5);
  });

  it('scales and offsets', () => {
    assert.equal(valueOf({ type: 'offset', scale: 2, offset: -1 }, 3), 5);
  });

  it('refuses a raw value that is not a number', () => {
    assert.match(errorOf({ type: 'identity' }, NaN), /not a number/);
  });
});

describe('calibrate: two_point', () => {
  // The DIY float gauge of HARDWARE.md: raw falls as the level rises.
  const gauge: CalibrationSpec = {
    type: 'two_point',
    points: [
      { raw: 29000, value: 0 },
      { raw: 6300, value: 100 },
    ],
  };

  it('maps both points and the middle', () => {
    assert.equal(valueOf(gauge, 29000), 0);
    assert.equal(valueOf(gauge, 6300), 100);
    close(valueOf(gauge, (29000 + 6300) / 2), 50, 1e-9);
  });

  it('extrapolates beyond the points (no clamping)', () => {
    close(valueOf(gauge, 6300 - 227), 101, 1e-9);
    close(valueOf(gauge, 29000 + 227), -1, 1e-9);
  });

  it('reports two points with the same raw value as an error', () => {
    const bad: CalibrationSpec = {
      type: 'two_point',
      points: [
        { raw: 1, value: 0 },
        { raw: 1, value: 100 },
      ],
    };
    assert.match(errorOf(bad, 1), /must differ/);
  });

  it('fitTwoPoint and invertTwoPoint round-trip for random lines', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const a = { raw: random.next() * 1000 - 500, value: random.next() * 200 - 100 };
      const b = { raw: a.raw + (random.next() < 0.5 ? -1 : 1) * (1 + random.next() * 500), value: random.next() * 200 - 100 };
      if (a.value === b.value) continue;
      const fit = fitTwoPoint(a, b);
      assert.ok(!('error' in fit));
      close(a.raw * fit.scale + fit.offset, a.value, 1e-9, 'a');
      close(b.raw * fit.scale + fit.offset, b.value, 1e-9, 'b');
      const target = random.next() * 300 - 150;
      const raw = invertTwoPoint([a, b], target);
      assert.equal(typeof raw, 'number');
      close(valueOf({ type: 'two_point', points: [a, b] }, raw as number), target, 1e-6, 'inverse');
    }
  });

  it('invertTwoPoint refuses a flat line', () => {
    const r = invertTwoPoint(
      [
        { raw: 0, value: 5 },
        { raw: 1, value: 5 },
      ],
      5,
    );
    assert.ok(typeof r === 'object' && 'error' in r);
  });
});

describe('calibrate: piecewise', () => {
  const increasing: CalibrationPoint[] = [
    { raw: 0, value: 0 },
    { raw: 1, value: 10 },
    { raw: 3, value: 50 },
    { raw: 4, value: 100 },
  ];
  const decreasing = [...increasing].reverse().map((p) => ({ raw: -p.raw, value: p.value }));

  it('interpolates linearly between points', () => {
    close(valueOf({ type: 'piecewise', points: increasing }, 0.5), 5, 1e-12);
    close(valueOf({ type: 'piecewise', points: increasing }, 2), 30, 1e-12);
    close(valueOf({ type: 'piecewise', points: increasing }, 3.5), 75, 1e-12);
  });

  it('works the same for a table whose raw values decrease', () => {
    close(valueOf({ type: 'piecewise', points: decreasing }, -0.5), 5, 1e-12);
    close(valueOf({ type: 'piecewise', points: decreasing }, -2), 30, 1e-12);
    close(valueOf({ type: 'piecewise', points: decreasing }, -3.5), 75, 1e-12);
  });

  it('clamps to the end values outside the table', () => {
    assert.equal(valueOf({ type: 'piecewise', points: increasing }, -10), 0);
    assert.equal(valueOf({ type: 'piecewise', points: increasing }, 10), 100);
    assert.equal(valueOf({ type: 'piecewise', points: decreasing }, 10), 0);
    assert.equal(valueOf({ type: 'piecewise', points: decreasing }, -10), 100);
  });

  it('is monotonic and stays within the end values for any raw (property)', () => {
    const random = seededRandom(11);
    let previous = -Infinity;
    for (let raw = -1; raw <= 5; raw += 0.001 + random.next() * 0.01) {
      const v = valueOf({ type: 'piecewise', points: increasing }, raw);
      assert.ok(v >= previous - 1e-12 && v >= 0 && v <= 100, `raw ${raw}: ${v}`);
      previous = v;
    }
  });

  it('reports a table that is not monotonic', () => {
    const zigzag = [
      { raw: 0, value: 0 },
      { raw: 2, value: 10 },
      { raw: 1, value: 20 },
      { raw: 3, value: 30 },
    ];
    assert.ok('error' in interpolateClamped(zigzag, 1.5));
    assert.ok('error' in interpolateClamped([{ raw: 0, value: 0 }], 0));
  });
});

describe('validatePoints', () => {
  it('accepts strictly monotonic tables either way', () => {
    assert.deepEqual(
      validatePoints([
        { raw: 1, value: 0 },
        { raw: 2, value: 1 },
      ]),
      [],
    );
    assert.deepEqual(
      validatePoints([
        { raw: 3, value: 0 },
        { raw: 2, value: 1 },
        { raw: -1, value: 2 },
      ]),
      [],
    );
  });

  it('names every problem', () => {
    assert.match(validatePoints([{ raw: 1, value: 0 }]).join(), /at least 2 points/);
    assert.match(
      validatePoints([
        { raw: 1, value: NaN },
        { raw: 2, value: 0 },
      ]).join(),
      /point 1: raw and value must be numbers/,
    );
    const problems = validatePoints([
      { raw: 1, value: 0 },
      { raw: 2, value: 1 },
      { raw: 2, value: 2 },
      { raw: 1.5, value: 3 },
    ]);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /point 3: .*strictly increasing/);
  });
});

describe('calibrate: resistive sender', () => {
  // 0 Ω empty … 90 Ω at 80 % (HARDWARE.md), read through a 100 Ω reference at 5 V.
  const table: CalibrationPoint[] = [
    { raw: 0, value: 0 },
    { raw: 90, value: 80 },
  ];
  const low: CalibrationSpec = { type: 'resistive', supplyVolts: 5, referenceOhms: 100, senderSide: 'low', points: table };
  const high: CalibrationSpec = { ...low, senderSide: 'high' };
  const lowVolts = (ohms: number): number => (5 * ohms) / (ohms + 100);
  const highVolts = (ohms: number): number => (5 * 100) / (ohms + 100);

  it('turns divider volts back into ohms before the table, for either side', () => {
    for (const ohms of [5, 22.5, 45, 67.5, 89]) {
      close(valueOf(low, lowVolts(ohms)), (ohms * 80) / 90, 1e-9, `low ${ohms} Ω`);
      close(valueOf(high, highVolts(ohms)), (ohms * 80) / 90, 1e-9, `high ${ohms} Ω`);
    }
  });

  it('senderOhms inverts the divider', () => {
    close(senderOhms(5, 100, 'low', lowVolts(33)) as number, 33, 1e-9);
    close(senderOhms(5, 100, 'high', highVolts(33)) as number, 33, 1e-9);
  });

  it('reads a 0 Ω empty sender on the rail (and ADC noise just past it) as empty', () => {
    assert.equal(valueOf(low, 0), 0);
    assert.equal(valueOf(low, -0.002), 0);
    assert.equal(valueOf(high, 5), 0);
    assert.equal(valueOf(high, 5.002), 0);
  });

  it('reports the open-circuit rail and impossible voltages as errors', () => {
    assert.match(errorOf(low, 5), /open/);
    assert.match(errorOf(low, 6), /open/);
    assert.match(errorOf(high, 0), /open/);
    assert.match(errorOf(low, -1), /outside 0–5 V/);
    assert.match(errorOf(high, 6), /outside 0–5 V/);
  });
});

describe('calibrate: mq6', () => {
  const spec: CalibrationSpec = {
    type: 'mq6',
    supplyVolts: 5,
    loadOhms: 20_000,
    r0Ohms: 10_000,
    curve: LPG_CURVE,
    gasMix: { propane: 0.6, butane: 0.4 },
  };
  const voltsAt = (ppm: number): number => voutFromRs(ratioFromPpm(ppm) * 10_000, { supplyVolts: 5, loadOhms: 20_000 });

  it('turns volts into ppm and %LEL of the lowest LEL in the mix (butane 1.9 %)', () => {
    for (const ppm of [200, 1000, 4750, 10_000]) {
      const result = calibrate(spec, voltsAt(ppm));
      assert.ok(!('error' in result));
      close(result.ppm ?? NaN, ppm, ppm * 1e-9, 'ppm');
      close(result.value, (ppm / 19_000) * 100, 1e-6, '%LEL');
    }
    // 25 %LEL of butane = 4750 ppm.
    close(valueOf(spec, voltsAt(4750)), 25, 1e-6);
  });

  it('reports volts at or beyond the rails as errors', () => {
    assert.match(errorOf(spec, 0), /not between 0 and the 5 V supply/);
    assert.match(errorOf(spec, -0.1), /not between/);
    assert.match(errorOf(spec, 5), /not between/);
    assert.match(errorOf(spec, 7), /not between/);
  });

  it('reports a gas mix with no gas in it as an error instead of throwing', () => {
    assert.match(errorOf({ ...spec, gasMix: {} }, 1), /no gas/);
  });
});
