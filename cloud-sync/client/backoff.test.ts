import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, parseRetryAfter } from './backoff.js';

describe('Backoff', () => {
  it('doubles the ceiling per failure up to the cap (random = just under 1)', () => {
    const b = new Backoff({ baseMs: 500, capMs: 60_000, random: () => 0.999999 });
    const waits = Array.from({ length: 10 }, () => b.next());
    assert.deepEqual(waits.slice(0, 4), [499, 999, 1999, 3999]);
    assert.ok(waits.every((w) => w < 60_000));
    assert.equal(waits.at(-1), 59_999);
  });

  it('is fully jittered: random 0 waits 0', () => {
    const b = new Backoff({ random: () => 0 });
    b.next();
    assert.equal(b.next(), 0);
  });

  it('takes a lower cap for one wait and resets after success', () => {
    const b = new Backoff({ baseMs: 1000, random: () => 0.999999 });
    for (let i = 0; i < 10; i++) b.next();
    assert.ok(b.next(5_000) < 5_000);
    b.reset();
    assert.equal(b.attempt, 0);
    assert.equal(b.next(), 999);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, caps them, and ignores junk', () => {
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter(['2'], 0), 2000);
    assert.equal(parseRetryAfter('86400', 0), 600_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
