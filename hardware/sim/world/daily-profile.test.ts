import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DailyProfile,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  WindowedRate,
  hourlySteps,
  integrate,
  localDayNumber,
  localInstant,
  localTime,
  nthLocalOccurrence,
  startOfLocalDay,
  timeToAccumulate,
} from './daily-profile.js';

// 2026-01-02 is a Friday, 2026-01-03 a Saturday.
const FRI_UTC = Date.UTC(2026, 0, 2);
const IST = 330; // India, +05:30
const NEG = -210; // Newfoundland standard time, -03:30

const meals = new DailyProfile(
  {
    weekday: [
      { fromHour: 0, perHour: 0 },
      { fromHour: 7, perHour: 2 },
      { fromHour: 8.5, perHour: 0 },
      { fromHour: 19, perHour: 4 },
      { fromHour: 20, perHour: 1 },
    ],
    weekend: [
      { fromHour: 0, perHour: 1 },
      { fromHour: 12, perHour: 3 },
    ],
  },
  IST,
);

describe('local time with a fixed offset', () => {
  it('places an instant in the local calendar, east and west of UTC', () => {
    const t = Date.UTC(2026, 0, 2, 20, 15); // 01:45 on Saturday in India, 16:45 on Friday at -03:30
    assert.deepEqual(localTime(t, IST), {
      dayNumber: localDayNumber(t, IST),
      hour: 1.75,
      weekday: 6,
      month: 1,
      dayOfMonth: 3,
    });
    const west = localTime(t, NEG);
    assert.equal(west.hour, 16.75);
    assert.equal(west.weekday, 5);
    assert.equal(west.dayOfMonth, 2);
  });

  it('is exact at local midnight and one ms before it', () => {
    const day = localDayNumber(FRI_UTC, IST) + 1;
    const midnight = startOfLocalDay(day, IST);
    assert.equal(localDayNumber(midnight, IST), day);
    assert.equal(localDayNumber(midnight - 1, IST), day - 1);
    assert.equal(localDayNumber(midnight - 0.001, IST), day - 1);
    assert.equal(localTime(midnight, IST).hour, 0);
  });

  it('crosses a month and a year boundary in local time', () => {
    const t = Date.UTC(2025, 11, 31, 19, 0); // 00:30 on 1 January in India
    assert.deepEqual([localTime(t, IST).month, localTime(t, IST).dayOfMonth], [1, 1]);
    assert.deepEqual([localTime(t, 0).month, localTime(t, 0).dayOfMonth], [12, 31]);
  });

  it('counts occurrences of a local hour from a start, never before it', () => {
    const start = Date.UTC(2026, 0, 2, 3, 0); // 08:30 on Friday in India
    assert.equal(nthLocalOccurrence(start, 1, 19.5, IST), Date.UTC(2026, 0, 2, 14, 0));
    assert.equal(nthLocalOccurrence(start, 1, 7.25, IST), Date.UTC(2026, 0, 3, 1, 45), 'tomorrow: 07:15 has passed');
    assert.equal(nthLocalOccurrence(start, 3, 7.25, IST), Date.UTC(2026, 0, 5, 1, 45));
    assert.equal(nthLocalOccurrence(start, 1, 8.5, IST), start, 'at the start counts');
  });

  it('builds an instant from a local day and hour', () => {
    const day = localDayNumber(FRI_UTC, IST);
    assert.equal(localInstant(day, 7.5, IST), Date.UTC(2026, 0, 2, 2, 0));
  });
});

describe('DailyProfile', () => {
  const friday = localDayNumber(FRI_UTC + 12 * MS_PER_HOUR, IST);
  const at = (day: number, hour: number): number => localInstant(day, hour, IST);

  it('gives the step in effect, weekday and weekend', () => {
    assert.equal(meals.rateAt(at(friday, 6.99)), 0);
    assert.equal(meals.rateAt(at(friday, 7)), 2);
    assert.equal(meals.rateAt(at(friday, 8.49)), 2);
    assert.equal(meals.rateAt(at(friday, 8.5)), 0);
    assert.equal(meals.rateAt(at(friday, 23.9)), 1);
    assert.equal(meals.rateAt(at(friday + 1, 0)), 1); // Saturday
    assert.equal(meals.rateAt(at(friday + 1, 13)), 3);
  });

  it('names the next change: the next step, else local midnight', () => {
    assert.equal(meals.nextChangeAfter(at(friday, 3)), at(friday, 7));
    assert.equal(meals.nextChangeAfter(at(friday, 7)), at(friday, 8.5));
    assert.equal(meals.nextChangeAfter(at(friday, 21)), at(friday + 1, 0));
    assert.equal(meals.nextChangeAfter(at(friday + 1, 12)), at(friday + 2, 0));
  });

  it('integrates a whole day to its total', () => {
    assert.equal(meals.totalPerDay(false), 2 * 1.5 + 4 + 4);
    assert.equal(meals.totalPerDay(true), 12 + 36);
    assert.equal(integrate(meals, at(friday, 0), at(friday + 1, 0)), 11);
    assert.equal(integrate(meals, at(friday + 1, 0), at(friday + 2, 0)), 48);
  });

  it('integrates the same total in 1-minute steps as in one 3-day step', () => {
    const from = at(friday, 5.123);
    const to = from + 3 * MS_PER_DAY;
    let stepped = 0;
    for (let t = from; t < to; t += MS_PER_MINUTE) stepped += integrate(meals, t, Math.min(to, t + MS_PER_MINUTE));
    const whole = integrate(meals, from, to);
    assert.ok(Math.abs(stepped - whole) < 1e-9, `${stepped} vs ${whole}`);
    assert.ok(whole > 0);
  });

  it('integrates part of a step exactly', () => {
    assert.equal(integrate(meals, at(friday, 7.25), at(friday, 7.75)), 1);
  });

  it('rejects steps that do not start at 0, do not increase, or are negative', () => {
    assert.throws(() => new DailyProfile({ weekday: [{ fromHour: 1, perHour: 1 }] }), /hour 0/);
    assert.throws(
      () => new DailyProfile({ weekday: [{ fromHour: 0, perHour: 1 }, { fromHour: 0, perHour: 2 }] }),
      /weekday\[1\]\.fromHour/,
    );
    assert.throws(() => new DailyProfile({ weekday: [{ fromHour: 0, perHour: -1 }] }), /weekday\[0\]\.perHour/);
  });
});

describe('hourlySteps', () => {
  it('merges equal neighbours and keeps 24 hours of rates', () => {
    const rates = Array.from({ length: 24 }, (_, h) => (h >= 6 && h < 9 ? 90 : 0));
    assert.deepEqual(hourlySteps(rates), [
      { fromHour: 0, perHour: 0 },
      { fromHour: 6, perHour: 90 },
      { fromHour: 9, perHour: 0 },
    ]);
    assert.equal(new DailyProfile({ weekday: hourlySteps(rates) }).totalPerDay(), 270);
    assert.throws(() => hourlySteps([1, 2]), /24 rates/);
  });
});

describe('WindowedRate', () => {
  const leak = new WindowedRate([
    { fromMs: 1000, untilMs: 5000, perHour: 2 },
    { fromMs: 3000, untilMs: 4000, perHour: 1 },
  ]);

  it('sums overlapping windows and is zero outside', () => {
    assert.deepEqual([999, 1000, 3000, 4000, 5000].map((t) => leak.rateAt(t)), [0, 2, 3, 2, 0]);
    assert.equal(leak.activeAt(4999), true);
    assert.equal(leak.activeAt(5000), false);
  });

  it('steps through every edge and then reports no further change', () => {
    assert.deepEqual([0, 1000, 3000, 4000].map((t) => leak.nextChangeAfter(t)), [1000, 3000, 4000, 5000]);
    assert.equal(leak.nextChangeAfter(5000), Number.POSITIVE_INFINITY);
  });
});

describe('timeToAccumulate', () => {
  const friday = localDayNumber(FRI_UTC + 12 * MS_PER_HOUR, IST);
  const at = (hour: number): number => localInstant(friday, hour, IST);

  it('finds the exact instant across zero-rate gaps', () => {
    // 3 units at 2/h from 07:00 → 08:30, then 0 until 19:00, then 4/h: 4 units land at 19:15.
    assert.equal(timeToAccumulate(meals, at(0), at(23), 4), at(19.25));
    assert.equal(timeToAccumulate(meals, at(0), at(23), 1), at(7.5));
  });

  it('returns null when the amount is not reached in time', () => {
    assert.equal(timeToAccumulate(meals, at(0), at(19), 3.5), null);
  });
});
