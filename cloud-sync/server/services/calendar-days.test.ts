import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarDaysUntil, isTimeZone, startOfLocalDay } from './calendar-days.js';

const HOUR = 3_600_000;

describe('calendar days in a time zone', () => {
  it('UTC days are 24 h from midnight UTC', () => {
    const at = Date.UTC(2026, 2, 10, 15, 30);
    const days = calendarDaysUntil(at, 3);
    assert.deepEqual(days.dates, ['2026-03-08', '2026-03-09', '2026-03-10']);
    assert.deepEqual(days.starts, [Date.UTC(2026, 2, 8), Date.UTC(2026, 2, 9), Date.UTC(2026, 2, 10), Date.UTC(2026, 2, 11)]);
  });

  it('a local day starts at local midnight: Sydney is 11 h ahead in March', () => {
    const at = Date.UTC(2026, 2, 10, 15, 30); // 02:30 on the 11th in Sydney (AEDT, +11)
    assert.equal(startOfLocalDay(at, 'Australia/Sydney'), Date.UTC(2026, 2, 10, 13));
    assert.deepEqual(calendarDaysUntil(at, 1, 'Australia/Sydney').dates, ['2026-03-11']);
  });

  it('the days around a DST change are 23 and 25 hours long', () => {
    // Europe/London springs forward on 29 March 2026 and falls back on 25 October 2026.
    const spring = calendarDaysUntil(Date.UTC(2026, 2, 30, 12), 2, 'Europe/London');
    assert.deepEqual(spring.dates, ['2026-03-29', '2026-03-30']);
    assert.equal((spring.starts[1] ?? 0) - (spring.starts[0] ?? 0), 23 * HOUR);
    assert.equal(spring.starts[1], Date.UTC(2026, 2, 29, 23), 'midnight BST is 23:00 UTC');
    const autumn = calendarDaysUntil(Date.UTC(2026, 9, 26, 12), 2, 'Europe/London');
    assert.equal((autumn.starts[1] ?? 0) - (autumn.starts[0] ?? 0), 25 * HOUR);
  });

  it('knows a time zone name from a made-up one', () => {
    assert.equal(isTimeZone('America/New_York'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
  });
});
