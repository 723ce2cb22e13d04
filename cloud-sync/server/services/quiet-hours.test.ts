import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quietUntil } from './quiet-hours.js';

const at = (iso: string) => Date.parse(iso);

describe('quiet hours', () => {
  const night = { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' };

  it('holds a message sent inside a window that crosses midnight until its local end', () => {
    // 23:30 in Berlin (CET, UTC+1) is 22:30 UTC; the window ends at 07:00 CET = 06:00 UTC.
    assert.equal(quietUntil(at('2026-01-15T22:30:00Z'), night), at('2026-01-16T06:00:00Z'));
    assert.equal(quietUntil(at('2026-01-16T05:59:00Z'), night), at('2026-01-16T06:00:00Z'));
  });

  it('lets a message outside the window (or with none) go at once', () => {
    assert.equal(quietUntil(at('2026-01-16T06:00:00Z'), night), at('2026-01-16T06:00:00Z'));
    assert.equal(quietUntil(at('2026-01-15T12:00:00Z'), night), at('2026-01-15T12:00:00Z'));
    assert.equal(quietUntil(at('2026-01-15T23:00:00Z'), null), at('2026-01-15T23:00:00Z'));
  });

  it('follows the time zone: the same instant is quiet in Berlin and not in New York', () => {
    const instant = at('2026-07-15T21:30:00Z'); // 23:30 CEST, 17:30 EDT
    assert.equal(quietUntil(instant, night), at('2026-07-16T05:00:00Z'));
    assert.equal(quietUntil(instant, { ...night, timeZone: 'America/New_York' }), instant);
  });

  it('handles a window within one day', () => {
    const lunch = { start: '12:00', end: '13:30', timeZone: 'UTC' };
    assert.equal(quietUntil(at('2026-01-15T12:15:20Z'), lunch), at('2026-01-15T13:30:00Z'));
  });
});
