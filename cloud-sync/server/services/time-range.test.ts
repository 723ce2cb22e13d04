import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, autoBucket, parseDuration, parseInstant, resolveRange } from './time-range.js';

const NOW = Date.UTC(2026, 5, 1);

describe('time range', () => {
  it('reads instants as epoch ms or ISO 8601', () => {
    assert.equal(parseInstant('1767225600000'), 1_767_225_600_000);
    assert.equal(parseInstant('2026-01-01'), Date.UTC(2026, 0, 1));
    assert.equal(parseInstant('2026-01-01T06:30:00+02:00'), Date.UTC(2026, 0, 1, 4, 30));
    assert.equal(parseInstant('yesterday'), undefined);
    assert.equal(parseInstant('99999999999999999'), undefined);
  });

  it('reads durations', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1d'), DAY);
    assert.equal(parseDuration('2500'), 2500);
    assert.equal(parseDuration('5 m'), undefined);
    assert.equal(parseDuration('999999999999w'), undefined);
  });

  it('picks a bucket so a year fits about 500 points', () => {
    assert.equal(autoBucket(365 * DAY), DAY);
    assert.ok(365 * DAY / autoBucket(365 * DAY) <= 500);
    assert.equal(autoBucket(DAY), 5 * 60_000);
    assert.equal(autoBucket(60 * 60_000), 60_000);
    assert.equal(autoBucket(10 * 365 * DAY), 30 * DAY);
    assert.ok(Math.ceil((100 * 365 * DAY) / autoBucket(100 * 365 * DAY)) <= 500);
  });

  it('defaults to the last day and refuses nonsense precisely', () => {
    assert.deepEqual(resolveRange({}, NOW), { ok: true, from: NOW + 60_000 - DAY, to: NOW + 60_000, bucketMs: 300_000 });
    assert.deepEqual(resolveRange({ from: '2026-01-01', to: '2026-01-02', bucket: '1h' }, NOW), {
      ok: true,
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 2),
      bucketMs: 3_600_000,
    });
    const backwards = resolveRange({ from: '2026-01-02', to: '2026-01-01' }, NOW);
    assert.equal(backwards.ok, false);
    assert.match(!backwards.ok ? backwards.reason : '', /from must be before query.to/);
    const tooFine = resolveRange({ from: '2025-01-01', to: '2026-01-01', bucket: '1m' }, NOW);
    assert.match(!tooFine.ok ? tooFine.reason : '', /525600 points; the most is 10000/);
    assert.match(((r) => (r.ok ? '' : r.reason))(resolveRange({ bucket: '0' }, NOW)), /not a bucket size/);
    assert.match(((r) => (r.ok ? '' : r.reason))(resolveRange({ to: 'soon' }, NOW)), /query.to: "soon" is not a time/);
  });
});
