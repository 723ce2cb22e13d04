import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockTime, readingText, rounded, significant, valueText } from './sensor-text.js';
import type { SensorView } from './status-view.js';

// Local times, so the words are the same in every time zone.
const at = (h: number, m: number, day = 6): number => new Date(2026, 11, day, h, m).getTime();
const NOW = at(20, 5);

const lpgOk: SensorView = { id: 'lpg', name: 'LPG cylinder', kind: 'level', health: 'ok', value: 20.14999, unit: '%', percent: 20.14999, litres: 17.41, raw: 1.5971250000000001, quality: 'ok', at: at(20, 4) };

describe('sensor text', () => {
  it('rounds for humans: one decimal, whole litres and ppm, never "-0.0"', () => {
    assert.equal(readingText(lpgOk, NOW), '20.1 % (17 L)');
    assert.equal(valueText('gas', { value: 12.345, unit: '%LEL', ppm: 2345.6, at: NOW }), '12.3 %LEL (2346 ppm)');
    assert.equal(valueText('temperature', { value: -0.04, unit: '°C', at: NOW }), '0.0 °C');
    assert.equal(rounded(-0.04, 1), '0.0');
    assert.equal(valueText('leak', { value: 1, unit: '', at: NOW }), 'WET');
    assert.equal(significant(1.5971250000000001), '1.59713');
    assert.equal(significant(1500), '1500');
  });

  it('a sensor that is not ok shows its state since when, and the last good value only as such', () => {
    const gone: SensorView = {
      id: 'lpg', name: 'LPG cylinder', kind: 'level', health: 'disconnected', since: at(20, 1),
      last: { value: 20.1, unit: '%', percent: 20.1, litres: 17, at: at(19, 58) },
    };
    assert.equal(readingText(gone, NOW), 'disconnected since 20:01 (last 20.1 % (17 L) at 19:58)');
    assert.equal(readingText({ id: 'g', name: 'Gas', kind: 'gas', health: 'warming_up' }, NOW), 'warming up (no good reading yet)');
    // Value fields on a sensor that is not ok are never shown as current.
    assert.equal(readingText({ ...lpgOk, health: 'stuck', since: at(18, 0) }, NOW), 'stuck since 18:00 (no good reading yet)');
  });

  it('a time on another day carries its date', () => {
    assert.equal(clockTime(at(23, 59, 5), NOW), '2026-12-05 23:59');
    assert.equal(clockTime(at(0, 1), NOW), '00:01');
  });

  it('a bound reads as one', () => {
    assert.equal(valueText('gas', { value: 100, unit: '%LEL', at: NOW, overRange: true }), "> 100.0 %LEL (above the sensor's range)");
    assert.equal(valueText('level', { value: 90.91, percent: 90.91, unit: '%', at: NOW, overRange: true }), '≥ 90.9 % (full or over-full)');
  });
});
