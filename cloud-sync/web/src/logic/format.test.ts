import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeFormats } from './format.js';

const AT = Date.UTC(2026, 2, 3, 13, 5); // Tue 3 March 2026, 13:05 UTC

describe('formats in the browser’s locale and time zone', () => {
  it('British English in London', () => {
    const f = makeFormats('en-GB', 'Europe/London');
    assert.equal(f.percent(62.4), '62%');
    assert.equal(f.litres(12.34), '12.3 l');
    assert.equal(f.time(AT), '13:05');
    assert.equal(f.dateTime(AT, AT), 'Tue 3 Mar, 13:05');
    assert.equal(f.dateTime(AT, Date.UTC(2027, 0, 1)), '3 Mar 2026, 13:05', 'another year says which');
    assert.equal(f.date(AT), 'Tuesday 3 March');
    assert.equal(f.quantity(12.5, '%LEL'), '12.5 %LEL');
    assert.equal(f.quantity(1, ''), '1');
  });

  it('German in Berlin: a decimal comma and the local hour', () => {
    const f = makeFormats('de-DE', 'Europe/Berlin');
    assert.equal(f.litres(12.34), '12,3 l');
    assert.equal(f.percent(62.4), '62\u00a0%', 'a no-break space before the sign');
    assert.equal(f.time(AT), '14:05');
  });

  it('American English in New York: 12-hour clock, the previous day late at night', () => {
    const f = makeFormats('en-US', 'America/New_York');
    const late = Date.UTC(2026, 2, 3, 3, 30);
    assert.equal(f.time(late), '10:30 PM');
    assert.equal(f.date(late), 'Monday, March 2');
  });

  it('relative times and durations read naturally', () => {
    const f = makeFormats('en-GB', 'UTC');
    assert.equal(f.relative(AT - 10_000, AT), 'now');
    assert.equal(f.relative(AT - 5 * 60_000, AT), '5 minutes ago');
    assert.equal(f.relative(AT - 3 * 3_600_000, AT), '3 hours ago');
    assert.equal(f.relative(AT + 4 * 86_400_000, AT), 'in 4 days');
    assert.equal(f.duration(90 * 60_000), '2 hours');
    assert.equal(f.duration(12 * 86_400_000), '12 days');
    assert.equal(f.dayLabel('2026-03-09'), 'Mon 9 Mar');
  });
});
