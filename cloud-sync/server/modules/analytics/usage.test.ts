import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanLevels } from './level-series.js';
import { DAY, HOUR } from './local-time.js';
import { meals, trace } from './test-traces.js';
import { analyseUsage } from './usage.js';

const START = Date.UTC(2026, 0, 5); // a Monday
const near = (a: number | null | undefined, b: number, tol: number, what: string): void => assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b} ± ${tol}`);

describe('analytics usage', () => {
  it('counts use per day, weekday, month and hour of day, in litres when the capacity is known', () => {
    const rows = trace({ start: START, hours: 14 * 24, fromPercent: 95, perHour: meals, capacityLitres: 200, noise: (h) => (h % 2 === 0 ? 0.1 : -0.1) });
    const usage = analyseUsage(rows, { capacityLitres: 200 });
    assert.equal(usage.days.length, 14);
    for (const d of usage.days.slice(1)) near(d.percent, 2.4, 0.6, d.date);
    near(usage.weekdays[1]?.meanPercent, 2.4, 0.6, 'Mondays');
    near(usage.months[0]?.meanLitres, 4.8, 0.6, 'January in litres');
    near(usage.hoursOfDay[3]?.meanPercent, 0, 0.001, '03:00');
    near((usage.hoursOfDay[18]?.meanPercent ?? 0) + (usage.hoursOfDay[19]?.meanPercent ?? 0), 1.2, 0.3, 'dinner at 18–19 h');
    assert.equal(usage.deliveries.length, 0);
  });

  it('records a refill as a delivery with the level before and after and the litres, never as negative use', () => {
    const rows = trace({ start: START, hours: 6 * 24, fromPercent: 30, perHour: meals, refills: [{ hour: 60, toPercent: 85 }], capacityLitres: 200 });
    const usage = analyseUsage(rows, { capacityLitres: 200 });
    assert.equal(usage.deliveries.length, 1);
    const d = usage.deliveries[0];
    assert.equal(d?.at, START + 60 * HOUR);
    near(d?.beforePercent, 30 - 2.4 * 2.5, 0.7, 'before');
    near(d?.afterPercent, 85, 0.01, 'after');
    near(d?.litres, (85 - (30 - 2.4 * 2.5)) * 2, 1.5, 'litres');
    for (const day of usage.days) assert.ok(day.percent >= 0 && day.percent < 3.1, `${day.date}: ${day.percent}`);
  });

  it('a single bad reading (a spike either way) is a glitch, not use nor a delivery', () => {
    const rows = trace({ start: START, hours: 3 * 24, fromPercent: 60, perHour: meals }).map((r, i) => (i === 30 ? { ...r, percent: 5 } : i === 40 ? { ...r, percent: 99 } : r));
    const usage = analyseUsage(rows);
    assert.equal(usage.deliveries.length, 0);
    assert.equal(usage.walk.glitches.length, 2);
    near(usage.days[1]?.percent, 2.4, 0.6, 'day 2 untouched by the spikes');
  });

  it('an outage is a gap: its days are incomplete and its fall is not spread as use', () => {
    const rows = trace({ start: START, hours: 5 * 24, fromPercent: 80, perHour: meals, missing: (h) => h >= 30 && h < 80 });
    const usage = analyseUsage(rows);
    assert.equal(usage.outages.length, 1);
    near(usage.outages[0]?.unattributedPercent, 2.4 * (50 / 24), 1.3, 'fall across the outage');
    assert.deepEqual(
      usage.days.map((d) => d.complete),
      [true, false, false, false, true],
    );
    assert.ok((usage.days[3]?.percent ?? 0) < 2, 'the day after the outage does not take its use');
  });

  it('corrects LPG to 15 °C: a cold night at a constant mass is no use', () => {
    // 50 % at 15 °C; the liquid shrinks 0.27 %/°C as the night cools to −5 °C and swells back.
    const temps = Array.from({ length: 72 }, (_, h) => ({ at: START + h * HOUR, celsius: 15 - 20 * Math.max(0, Math.sin(((h % 24) / 24) * Math.PI * 2)) }));
    const rows = temps.map((t) => ({ at: t.at, percent: 50 * (1 + 0.0027 * (t.celsius - 15)), litres: null }));
    assert.ok(analyseUsage(rows).days.some((d) => d.percent > 1), 'uncorrected, a cold night looks like use');
    const corrected = analyseUsage(rows, { temperatures: temps });
    for (const d of corrected.days) near(d.percent, 0, 0.001, d.date);
    near(cleanLevels(rows, { temperatures: temps })[6]?.percent, 50, 1e-9, 'volume at 15 °C');
  });

  it('drops rows from an unsynchronised clock, sorts, and merges duplicates', () => {
    const rows = trace({ start: START, hours: 48, fromPercent: 80, perHour: meals });
    const jumped = { at: START - 400 * DAY, percent: 10, litres: null, clockSynced: false };
    const shuffled = [...rows].reverse().concat(rows.slice(0, 5), [jumped]);
    const usage = analyseUsage(shuffled);
    assert.equal(usage.walk.levels.length, 48);
    assert.equal(usage.days.length, 2);
    near(usage.days[1]?.percent, 2.4, 0.6, 'day 2');
  });
});
