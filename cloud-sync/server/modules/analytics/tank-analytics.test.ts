import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, HOUR } from './local-time.js';
import { analyseTank, type TankSettings } from './tank-analytics.js';
import { meals, trace } from './test-traces.js';

const START = Date.UTC(2026, 0, 5);
const WATER: TankSettings = { product: 'water', capacityLitres: 2000, lowPercent: 15, reorderPercent: 30 };

describe('tank analytics', () => {
  it('a water tank losing 0.5 % an hour through the night: a quiet-hours anomaly, with the forecast and usage beside it', () => {
    const hours = 21 * 24;
    const leakFrom = 18 * 24;
    const rows = trace({ start: START, hours, fromPercent: 95, capacityLitres: 2000, perHour: (hod, h) => meals(hod) + (h >= leakFrom ? 0.5 : 0) });
    const now = START + hours * HOUR;
    const result = analyseTank({ now, timeZone: 'UTC', rows, tank: WATER });
    assert.ok(result.anomalies.some((a) => a.type === 'quiet_hours_use'), JSON.stringify(result.anomalies));
    assert.equal(result.forecast.emptyBy.ok, true);
    assert.ok(result.days.length >= 20);
    assert.ok(result.current !== null && result.current.litres !== null);
  });

  it('the same use without the leak raises nothing; an LPG tank is not judged by the water quiet hours', () => {
    const rows = trace({ start: START, hours: 21 * 24, fromPercent: 95, capacityLitres: 2000, perHour: meals });
    const result = analyseTank({ now: START + 21 * DAY, timeZone: 'UTC', rows, tank: WATER });
    assert.deepEqual(result.anomalies, []);
    const nightly = trace({ start: START, hours: 21 * 24, fromPercent: 95, perHour: (hod) => meals(hod) + (hod >= 2 && hod < 5 ? 0.4 : 0) });
    const lpg = analyseTank({ now: START + 21 * DAY, timeZone: 'UTC', rows: nightly, tank: { ...WATER, product: 'lpg' } });
    assert.equal(lpg.anomalies.some((a) => a.type === 'quiet_hours_use'), false);
  });

  it('a refill with no order placed is flagged; one with an order is not', () => {
    const rows = trace({ start: START, hours: 14 * 24, fromPercent: 40, capacityLitres: 2000, perHour: meals, refills: [{ hour: 7 * 24, toPercent: 90 }] });
    const now = START + 14 * DAY;
    const unknown = analyseTank({ now, timeZone: 'UTC', rows, tank: WATER, orders: [] });
    assert.ok(unknown.anomalies.some((a) => a.type === 'refill_without_order'));
    const ordered = analyseTank({ now, timeZone: 'UTC', rows, tank: WATER, orders: [{ at: START + 6 * DAY }] });
    assert.equal(ordered.anomalies.some((a) => a.type === 'refill_without_order'), false);
    assert.equal(ordered.deliveries.length, 1);
  });

  it('stale data: the forecast says why instead of a date', () => {
    const rows = trace({ start: START, hours: 10 * 24, fromPercent: 90, perHour: meals });
    const result = analyseTank({ now: START + 20 * DAY, timeZone: 'UTC', rows, tank: WATER });
    assert.equal(result.forecast.emptyBy.ok, false);
    assert.match(result.forecast.basis, /hours old/);
  });
});
