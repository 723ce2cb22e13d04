import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GROUND_PINS,
  HEADER_PINS,
  PINS_3V3,
  PINS_5V,
  bcmForHeaderPin,
  describeLine,
  headerPinForBcm,
  lineConflictWarning,
  specialFunctionsOf,
} from './header-pins.js';

describe('40-pin header map', () => {
  it('lists pins 1…40 in order', () => {
    assert.deepEqual(
      HEADER_PINS.map((p) => p.pin),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  it('maps the pins every Pi pinout shows', () => {
    const known: [number, number][] = [
      [3, 2], [5, 3], [7, 4], [8, 14], [10, 15], [11, 17], [12, 18], [13, 27], [15, 22], [16, 23],
      [18, 24], [19, 10], [21, 9], [22, 25], [23, 11], [24, 8], [26, 7], [27, 0], [28, 1], [29, 5],
      [31, 6], [32, 12], [33, 13], [35, 19], [36, 16], [37, 26], [38, 20], [40, 21],
    ];
    for (const [pin, bcm] of known) {
      assert.equal(bcmForHeaderPin(pin), bcm, `pin ${pin}`);
      assert.equal(headerPinForBcm(bcm), pin, `GPIO${bcm}`);
    }
  });

  it('has each of GPIO0…27 exactly once', () => {
    const lines = HEADER_PINS.flatMap((p) => (p.kind === 'gpio' ? [p.bcm] : [])).sort((a, b) => a - b);
    assert.deepEqual(lines, Array.from({ length: 28 }, (_, i) => i));
  });

  it('knows the power and ground pins', () => {
    assert.deepEqual(PINS_3V3, [1, 17]);
    assert.deepEqual(PINS_5V, [2, 4]);
    assert.deepEqual(GROUND_PINS, [6, 9, 14, 20, 25, 30, 34, 39]);
    assert.equal(bcmForHeaderPin(1), undefined);
    assert.equal(bcmForHeaderPin(6), undefined);
    assert.equal(bcmForHeaderPin(0), undefined);
    assert.equal(bcmForHeaderPin(41), undefined);
    assert.equal(headerPinForBcm(28), undefined);
  });

  it('names lines by BCM number and pin', () => {
    assert.equal(describeLine(17), 'GPIO17 (pin 11)');
    assert.equal(describeLine(40), 'GPIO40 (not on the header)');
  });

  it('flags the bus pins and leaves the free ones alone', () => {
    assert.deepEqual(specialFunctionsOf(2).map((f) => [f.bus, f.signal]), [['i2c', 'SDA']]);
    assert.deepEqual(specialFunctionsOf(3).map((f) => [f.bus, f.signal]), [['i2c', 'SCL']]);
    assert.deepEqual(specialFunctionsOf(14).map((f) => [f.bus, f.signal]), [['uart', 'TXD']]);
    assert.deepEqual(specialFunctionsOf(15).map((f) => [f.bus, f.signal]), [['uart', 'RXD']]);
    assert.deepEqual(specialFunctionsOf(4).map((f) => f.bus), ['one_wire']);
    assert.match(specialFunctionsOf(4)[0]?.enabledBy ?? '', /w1-gpio/);
    assert.deepEqual(specialFunctionsOf(0).map((f) => f.bus), ['hat_eeprom']);
    assert.deepEqual(specialFunctionsOf(17), []);
  });

  it('words a conflict warning for wiring advice', () => {
    assert.equal(lineConflictWarning(17), undefined);
    assert.equal(lineConflictWarning(27), undefined);
    assert.match(lineConflictWarning(4) ?? '', /^GPIO4 \(pin 7\) is also one_wire DQ when dtoverlay=w1-gpio/);
    assert.match(lineConflictWarning(2) ?? '', /i2c SDA.*dtparam=i2c_arm=on/);
    assert.match(lineConflictWarning(30) ?? '', /not on the 40-pin header/);
  });
});
