import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LevelPoint } from '../../storage/types.js';
import { analyseConsumption } from './sensor-consumption.js';
import { DAY } from '../../services/time-range.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 2, 1);
const CAPACITY_L = 40;

/** Hourly points of a tank draining `perDay` percent a day, with ± noise, from `start` percent. */
function drain(days: number, start: number, perDay: number, noise = 0): LevelPoint[] {
  return Array.from({ length: days * 24 }, (_, h) => {
    const percent = start - (perDay * h) / 24 + (h % 2 === 0 ? noise : -noise);
    return { at: DAY0 + h * HOUR, percent, litres: (percent / 100) * CAPACITY_L };
  });
}

describe('consumption analytics', () => {
  it('sums each day’s falls and projects days to empty at the recent rate', () => {
    const points = drain(10, 80, 5);
    const now = DAY0 + 10 * DAY - HOUR;
    const result = analyseConsumption(points, { firstDay: DAY0, days: 10, now });
    assert.equal(result.days.length, 10);
    assert.equal(result.days[0]?.date, '2026-03-01');
    for (const day of result.days.slice(1)) {
      assert.ok(Math.abs((day.percentUsed ?? 0) - 5) < 0.6, `${day.date}: ${day.percentUsed}`);
      assert.ok(Math.abs((day.litresUsed ?? 0) - 2) < 0.25, `${day.date}: ${day.litresUsed} L`);
    }
    assert.ok(Math.abs((result.rate.percentPerDay ?? 0) - 5) < 0.2, String(result.rate.percentPerDay));
    assert.ok(Math.abs((result.rate.litresPerDay ?? 0) - 2) < 0.1);
    assert.ok(Math.abs((result.current?.percent ?? 0) - (80 - 5 * (239 / 24))) < 0.01);
    assert.ok(Math.abs((result.daysToEmpty ?? 0) - (result.current?.percent ?? 0) / 5) < 0.5);
    assert.ok(result.emptyAt !== null && result.emptyAt > now);
  });

  it('ignores a refill (a rise is not negative use) and counts it', () => {
    const before = drain(3, 30, 6);
    const after = drain(3, 90, 6).map((p) => ({ ...p, at: p.at + 3 * DAY }));
    const result = analyseConsumption([...before, ...after], { firstDay: DAY0, days: 6, now: DAY0 + 6 * DAY });
    assert.equal(result.days[3]?.refills, 1);
    assert.equal(result.days.reduce((n, d) => n + d.refills, 0), 1);
    assert.deepEqual(result.refills.map((r) => [r.at, r.toPercent]), [[DAY0 + 3 * DAY, 90]], 'the refill is placed at the hour it showed');
    assert.ok(Math.abs((result.refills[0]?.fromPercent ?? 0) - (30 - (6 * 71) / 24)) < 0.01);
    assert.ok(result.days.every((d) => (d.percentUsed ?? 0) >= 0 && (d.percentUsed ?? 0) < 7), JSON.stringify(result.days));
  });

  it('a refill whose rise straddles two hourly averages is one refill', () => {
    const before = drain(2, 30, 6);
    // The cylinder is swapped at hh:40: that hour's average rises part way, the next the rest.
    const swapHour = before.length;
    const after = drain(2, 90, 6).map((p, i) => ({ ...p, at: p.at + 2 * DAY, percent: i === 0 ? 70 : p.percent }));
    const result = analyseConsumption([...before, ...after], { firstDay: DAY0, days: 4, now: DAY0 + 4 * DAY });
    assert.equal(result.days.reduce((n, d) => n + d.refills, 0), 1);
    assert.equal(result.refills.length, 1);
    assert.deepEqual([result.refills[0]?.at, result.refills[0]?.toPercent], [DAY0 + (swapHour + 1) * HOUR, 90 - 6 / 24]);
  });

  it('does not mistake sensor noise for use', () => {
    const flat = drain(5, 60, 0, 0.2);
    const result = analyseConsumption(flat, { firstDay: DAY0, days: 5, now: DAY0 + 5 * DAY });
    assert.deepEqual(result.days.map((d) => d.percentUsed), [0, 0, 0, 0, 0]);
    assert.equal(result.rate.percentPerDay, 0);
    assert.equal(result.daysToEmpty, null, 'not draining: no date to announce');
    // Noise wider than the dead band costs at most one swing in total, not one per swing.
    const noisy = analyseConsumption(drain(5, 60, 0, 0.4), { firstDay: DAY0, days: 5, now: DAY0 + 5 * DAY });
    assert.ok(noisy.days.reduce((n, d) => n + (d.percentUsed ?? 0), 0) <= 0.8 + 1e-9, JSON.stringify(noisy.days));
  });

  it('says null where there is no data, rather than zero', () => {
    const result = analyseConsumption(drain(1, 50, 4), { firstDay: DAY0 - DAY, days: 3, now: DAY0 + DAY });
    assert.equal(result.days[0]?.percentUsed, null);
    assert.equal(result.days[0]?.samples, 0);
    assert.equal(result.days[2]?.percentUsed, null);
    const empty = analyseConsumption([], { firstDay: DAY0, days: 2, now: DAY0 + DAY });
    assert.deepEqual([empty.current, empty.daysToEmpty, empty.rate.percentPerDay], [null, null, null]);
  });

  it('counts days in the homeowner’s time zone', () => {
    // New York is UTC−5 in January: its day starts at 05:00 UTC.
    const day0 = Date.UTC(2026, 0, 5, 5);
    const points = drain(2, 50, 12).map((p) => ({ ...p, at: p.at - DAY0 + day0 }));
    const local = analyseConsumption(points, { firstDay: day0, days: 2, now: day0 + 2 * DAY, timeZone: 'America/New_York' });
    assert.deepEqual(local.days.map((d) => [d.date, d.samples]), [['2026-01-05', 24], ['2026-01-06', 24]]);
    const utc = analyseConsumption(points, { firstDay: Date.UTC(2026, 0, 5), days: 2, now: day0 + 2 * DAY });
    assert.deepEqual(utc.days.map((d) => d.samples), [19, 24], 'the same hours split differently at UTC midnight');
  });

  it('keeps litres unknown when a level sensor reports percent only', () => {
    const points = drain(2, 50, 10).map((p) => ({ ...p, litres: null }));
    const result = analyseConsumption(points, { firstDay: DAY0, days: 2, now: DAY0 + 2 * DAY });
    assert.equal(result.days[1]?.litresUsed, null);
    assert.equal(result.rate.litresPerDay, null);
    assert.ok((result.rate.percentPerDay ?? 0) > 9);
  });
});
