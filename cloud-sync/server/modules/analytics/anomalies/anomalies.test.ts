import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prng } from '../../../test-support/prng.js';
import { cleanLevels, type LevelRow } from '../level-series.js';
import { DAY, HOUR } from '../local-time.js';
import { meals, trace } from '../test-traces.js';
import { analyseUsage } from '../usage.js';
import { detectQuietHoursUse } from './quiet-hours.js';
import { detectRapidDrop } from './rapid-drop.js';
import { detectRefillsWithoutOrder } from './refill-without-order.js';
import { detectSlowDrift } from './slow-drift.js';
import { detectSuspectSensor } from './suspect-sensor.js';

const START = Date.UTC(2026, 0, 5);
const TANK_L = 2000;
/** A family's water draw, litres per hour of the day (nothing 23:00–05:00, a steady 10 L/h 11:00–17:00). */
const DRAW = [0, 0, 0, 0, 0, 20, 90, 90, 90, 30, 30, 10, 10, 10, 10, 10, 10, 25, 25, 40, 40, 40, 10, 0];

/** A 2,000 L water tank for `days`, each hour's draw ±20 %, hourly averages ±0.03 %; `leakFrom`: 10 L/h from then on. */
function waterTank(days: number, seed: number, leakFrom?: number): LevelRow[] {
  const random = prng(seed);
  const perHour = (hod: number, h: number): number => {
    const draw = (DRAW[hod] ?? 0) * (1 + 0.4 * (random() - 0.5));
    const leak = leakFrom !== undefined && START + h * HOUR >= leakFrom ? 10 : 0;
    return ((draw + leak) / TANK_L) * 100;
  };
  const refills = Array.from({ length: Math.floor(days / 2) }, (_, i) => ({ hour: 48 * i + 47, toPercent: 95 }));
  return trace({ start: START, hours: days * 24, fromPercent: 95, perHour, refills, noise: () => 0.06 * (random() - 0.5), capacityLitres: TANK_L });
}

describe('anomaly detectors', () => {
  it('slow drift: a 10 L/h leak in a 2,000 L tank is seen within hours; a normal fortnight never triggers', () => {
    const leakFrom = START + 14 * DAY + 9 * HOUR;
    const leaking = cleanLevels(waterTank(16, 3, leakFrom));
    const first = leaking.findIndex((l, i) => l.at >= leakFrom && detectSlowDrift(leaking.slice(0, i + 1)) !== null);
    assert.ok(first >= 0, 'the leak was never seen');
    const hoursAfter = ((leaking[first]?.at ?? 0) - leakFrom) / HOUR;
    assert.ok(hoursAfter <= 8, `seen ${hoursAfter} h after the leak began`);
    assert.match(detectSlowDrift(leaking.slice(0, first + 1), { capacityLitres: TANK_L })?.seen ?? '', /steady 1\d L/);
    const normal = cleanLevels(waterTank(16, 3));
    for (let i = 14 * 24; i < normal.length; i++) assert.equal(detectSlowDrift(normal.slice(0, i + 1)), null, `false alarm at hour ${i}`);
  });

  it('quiet hours: water used between 02:00 and 05:00 triggers; a sleeping household does not', () => {
    const leakFrom = START + 3 * DAY;
    const leaking = cleanLevels(waterTank(4, 5, leakFrom)).filter((l) => l.at < START + 3 * DAY + 6 * HOUR);
    const seen = detectQuietHoursUse(leaking, { capacityLitres: TANK_L });
    assert.equal(seen?.type, 'quiet_hours_use');
    assert.match(seen?.check ?? '', /toilet|tap/);
    const quiet = cleanLevels(waterTank(4, 5)).filter((l) => l.at < START + 3 * DAY + 6 * HOUR);
    assert.equal(detectQuietHoursUse(quiet), null);
    assert.equal(detectQuietHoursUse(quiet.slice(0, 3)), null, 'no complete window');
  });

  it('rapid drop: 12 % within an hour, or a day at three times the usual, triggers; an ordinary day does not', () => {
    const rows = trace({ start: START, hours: 20 * 24, fromPercent: 95, perHour: meals });
    const now = START + 20 * DAY;
    assert.equal(detectRapidDrop(analyseUsage(rows), { now }), null);
    const cracked = rows.map((r, i) => (i >= 20 * 24 - 5 ? { ...r, percent: (r.percent ?? 0) - 12 } : r));
    assert.match(detectRapidDrop(analyseUsage(cracked), { now, capacityLitres: 1000 })?.seen ?? '', /fell 12\d L \(12\.\d %\) within one hour/);
    const heavy = trace({ start: START, hours: 20 * 24, fromPercent: 95, perHour: (hod, h) => meals(hod) * (h >= 18 * 24 ? 3 : 1) });
    const day = detectRapidDrop(analyseUsage(heavy), { now: START + 20 * DAY });
    assert.equal(day?.severity, 'warning');
    assert.match(day?.seen ?? '', /× the usual/);
  });

  it('refill without order: a delivery with no order before it triggers; an ordered one does not', () => {
    const rows = trace({ start: START, hours: 6 * 24, fromPercent: 30, perHour: meals, refills: [{ hour: 60, toPercent: 85 }] });
    const { deliveries } = analyseUsage(rows);
    assert.equal(detectRefillsWithoutOrder(deliveries, []).length, 1);
    assert.equal(detectRefillsWithoutOrder(deliveries, [{ at: START + 40 * HOUR }]).length, 0);
    assert.equal(detectRefillsWithoutOrder(deliveries, [{ at: START - 30 * DAY }]).length, 1, 'an old order does not explain it');
  });

  it('suspect sensor: jumps that come straight back, or a level stuck flat on a tank in use; a healthy sensor passes', () => {
    const rows = trace({ start: START, hours: 10 * 24, fromPercent: 95, perHour: meals });
    const now = START + 10 * DAY;
    assert.equal(detectSuspectSensor(analyseUsage(rows), { now }), null);
    const jumpy = rows.map((r, i) => (i % 5 === 0 && i > 9 * 24 ? { ...r, percent: 3 } : r));
    assert.match(detectSuspectSensor(analyseUsage(jumpy), { now })?.seen ?? '', /jumped and came straight back/);
    const stuck = rows.map((r, i) => (i >= 8 * 24 ? { ...r, percent: rows[8 * 24]?.percent ?? 0 } : r));
    assert.match(detectSuspectSensor(analyseUsage(stuck), { now })?.seen ?? '', /has not moved for 48 hours/);
  });
});
