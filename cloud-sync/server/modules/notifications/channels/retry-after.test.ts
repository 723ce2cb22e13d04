import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('Retry-After', () => {
  it('reads seconds and HTTP dates relative to the injected clock', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(['7'], NOW), 7_000);
    assert.equal(parseRetryAfter('Thu, 15 Jan 2026 12:01:30 GMT', NOW), 90_000);
    assert.equal(parseRetryAfter('Thu, 15 Jan 2026 11:00:00 GMT', NOW), 0, 'a date in the past means now');
  });

  it('ignores what it cannot read and caps what is absurd', () => {
    for (const bad of [undefined, '', 'soon', '-5', '1.5', 'Thu, 15 Jan 2026 12:01:30']) assert.equal(parseRetryAfter(bad, NOW), undefined, String(bad));
    assert.equal(parseRetryAfter('999999999', NOW), MAX_RETRY_AFTER_MS);
  });
});
