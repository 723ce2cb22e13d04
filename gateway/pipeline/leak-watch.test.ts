import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialLeakWatch, minuteOfDay, stepLeakWatch, type LeakChange, type LeakWatchSpec } from './leak-watch.js';
import { waterTrace, type TraceOptions, type TracePoint } from './test-support/water-trace.js';

const START = Date.UTC(2026, 5, 1); // a Monday, 00:00 UTC
const HOUR = 3_600_000;
const QUIET = { fromMinute: 120, toMinute: 300, minLossPercent: 0.6 };
const STEADY = { windowMs: 4 * HOUR, minPercentPerHour: 0.15 };
const BOTH: LeakWatchSpec = { type: 'leak_watch', timeZone: 'UTC', quietHours: QUIET, steadyDecline: STEADY };
const QUIET_ONLY: LeakWatchSpec = { type: 'leak_watch', timeZone: 'UTC', quietHours: QUIET };
const STEADY_ONLY: LeakWatchSpec = { type: 'leak_watch', timeZone: 'UTC', steadyDecline: STEADY };

interface Found extends LeakChange {
  readonly at: number;
  /** Hours from START. */
  readonly hour: number;
}

function watch(spec: LeakWatchSpec, points: readonly TracePoint[]): Found[] {
  let state = initialLeakWatch;
  const found: Found[] = [];
  for (const p of points) {
    const seen = p.trusted ? { kind: 'level' as const, at: p.at, percent: p.percent, litres: p.litres } : { kind: 'untrusted' as const, at: p.at };
    const step = stepLeakWatch(spec, 'Water tank', state, seen);
    state = step.state;
    if (step.change !== undefined) found.push({ ...step.change, at: p.at, hour: (p.at - START) / HOUR });
  }
  return found;
}

const trace = (o: Omit<TraceOptions, 'startMs'>): TracePoint[] => waterTrace({ startMs: START, ...o });
/** A 10 L/h leak (0.5 % of the 2,000 L tank an hour) from 08:00 on day 0. */
const LEAK = { litresPerHour: 10, fromHour: 8 };

describe('leak watch: quiet hours', () => {
  it('notices a 10 L/h leak in a 2,000 L tank when the first night\'s quiet hours end, in a family\'s bursty use', () => {
    const found = watch(QUIET_ONLY, trace({ hours: 48, leak: LEAK }));
    const first = found[0];
    assert.ok(first !== undefined, 'the leak must be noticed');
    assert.equal(first.state, 'raised');
    assert.equal(first.hour, 29, 'at 05:00 on the first night');
    assert.ok(first.hour - LEAK.fromHour < 24, `noticed ${first.hour - LEAK.fromHour} h after it started (54 h before)`);
    assert.match(first.message, /^Water tank: possible leak — the tank lost (2[89]|3\d)(\.\d)? L between 02:00 and 05:00 while nothing should run/);
    assert.match(first.message, /check taps, the float valve, pipes/);
    assert.equal(found.filter((f) => f.state === 'raised').length, 1, 'one warning, not one per night');
  });

  it('stays quiet for a household with no leak over a week, under ±1 cm of noise', () => {
    assert.deepEqual(watch(QUIET_ONLY, trace({ hours: 7 * 24, initialLitres: 2000, days: [], seed: 3 })), []);
    assert.deepEqual(watch(QUIET_ONLY, trace({ hours: 3 * 24, seed: 11 })), []);
  });

  it('does not take a night with a toilet cistern refilling (one flush, or two) for a leak', () => {
    const flushes = [
      { hour: 24 + 3 + 10 / 60, litres: 9, minutes: 1 },
      { hour: 48 + 2 + 40 / 60, litres: 9, minutes: 1 },
      { hour: 48 + 4 + 20 / 60, litres: 9, minutes: 1 },
    ];
    assert.deepEqual(watch(QUIET_ONLY, trace({ hours: 60, extra: flushes })), []);
    assert.deepEqual(watch(STEADY_ONLY, trace({ hours: 60, extra: flushes })), []);
  });

  it('does not judge a night with a gap in the readings', () => {
    assert.deepEqual(watch(QUIET_ONLY, trace({ hours: 30, leak: LEAK, gaps: [{ from: 27, to: 27.7 }] })), []);
  });

  it('does not judge a night with a sensor fault in it', () => {
    assert.deepEqual(watch(QUIET_ONLY, trace({ hours: 30, leak: LEAK, faults: [{ from: 27.2, to: 27.4 }] })), []);
  });

  it('does not take a float valve refilling the tank at night for use', () => {
    assert.deepEqual(watch(QUIET_ONLY, trace({ hours: 30, initialLitres: 1000, refills: [{ hour: 27.5, litres: 800, minutes: 40 }] })), []);
  });

  it('clears once a quiet window passes with no loss (the leak was fixed)', () => {
    const fixed = trace({ hours: 56, leak: LEAK, extra: [{ hour: 30, litres: -10 * 22, minutes: 1 }] });
    // From 30 h on, the leak's loss is handed back: the level is as if it stopped (fixed at 06:00).
    const untilFix = fixed.map((p) => (p.at - START >= 30 * HOUR ? { ...p, percent: p.percent + (10 * ((p.at - START) / HOUR - 30) * 100) / 2000 } : p));
    const found = watch(QUIET_ONLY, untilFix);
    assert.deepEqual(found.map((f) => [f.state, f.hour]), [['raised', 29], ['cleared', 53]]);
    assert.match(found[1]?.message ?? '', /held steady between 02:00 and 05:00/);
  });
});

describe('leak watch: steady decline', () => {
  it('notices a steady 10 L/h decline at night within 4–5 hours of it starting', () => {
    // A day of history first: the same hours yesterday are what normal looks like.
    const found = watch(STEADY_ONLY, trace({ hours: 60, leak: { litresPerHour: 10, fromHour: 47.5 } }));
    const first = found[0];
    assert.ok(first !== undefined);
    assert.ok(first.hour - 47.5 <= 5, `noticed after ${first.hour - 47.5} h`);
    assert.match(first.message, /possible leak — the level has fallen a steady \d+(\.\d)? L an hour for 4 h, unlike the bursts of normal use/);
  });

  it('takes a family\'s bursty use for what it is, over three days', () => {
    assert.deepEqual(watch(STEADY_ONLY, trace({ hours: 72, seed: 5 })), []);
    assert.deepEqual(watch(STEADY_ONLY, trace({ hours: 72, seed: 9, noiseCm: 0 })), []);
  });

  it('starts afresh after a refill: the run before the rise does not count', () => {
    const leak = { litresPerHour: 10, fromHour: 44 };
    const unbroken = watch(STEADY_ONLY, trace({ hours: 54, days: [], leak }))[0];
    assert.ok(unbroken !== undefined && unbroken.hour <= 48.5, 'without the refill, noticed 4 h after it started');
    const found = watch(STEADY_ONLY, trace({ hours: 54, days: [], initialLitres: 1400, leak, refills: [{ hour: 46, litres: 400, minutes: 20 }] }));
    const first = found[0];
    assert.ok(first !== undefined);
    assert.ok(first.hour >= 46 + 20 / 60 + 4, `raised at ${first.hour} h, before 4 h had passed since the refill`);
  });

  it('ignores a decline below its floor (0.15 %/h)', () => {
    assert.deepEqual(watch(STEADY_ONLY, trace({ hours: 54, days: [], leak: { litresPerHour: 2, fromHour: 24 } })), []);
  });

  it('takes a smooth draw that repeats every day for a use pattern, not a leak', () => {
    const smooth = [{ hour: 11, litres: 60, minutes: 360 }];
    assert.deepEqual(watch(STEADY_ONLY, trace({ hours: 72, days: smooth })), []);
    // The same draw on its first day, with no yesterday to compare with, is not judged either.
    assert.deepEqual(watch(STEADY_ONLY, trace({ hours: 20, days: smooth })), []);
  });
});

describe('leak watch: both detectors, the headline figure', () => {
  it('a 10 L/h leak in a 2,000 L tank is noticed the first night, well under 24 h (54 h before)', () => {
    // The gateway has watched the tank for a day when the leak starts, at 08:00 on day 1.
    const leak = { litresPerHour: 10, fromHour: 32 };
    const found = watch(BOTH, trace({ hours: 72, leak }));
    const first = found[0];
    assert.ok(first !== undefined);
    const hours = first.hour - leak.fromHour;
    // The figure in the report: 18.5 h (the steady decline at 02:30, before the quiet hours end at 05:00).
    assert.equal(hours, 18.5);
    assert.equal(found.filter((f) => f.state === 'raised').length, 1);
    // On a gateway started at midnight before the leak (08:00): 20 h, by the steady decline at 04:00,
    // the first run with a yesterday to compare with.
    assert.equal((watch(BOTH, trace({ hours: 48, leak: LEAK }))[0]?.hour ?? NaN) - LEAK.fromHour, 20);
  });
});

describe('minuteOfDay', () => {
  it('reads the local clock of the zone', () => {
    assert.equal(minuteOfDay(Date.UTC(2026, 0, 1, 2, 30), 'UTC'), 150);
    assert.equal(minuteOfDay(Date.UTC(2026, 6, 1, 1, 0), 'Europe/London'), 120);
    assert.equal(minuteOfDay(Date.UTC(2026, 0, 1, 23, 45), 'Asia/Kolkata'), 5 * 60 + 15);
  });
});
