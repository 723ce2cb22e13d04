import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiFailure, failureFrom } from '../api/api-failure.js';
import { failureWords, fieldIssues } from './error-words.js';

describe('API failures in words', () => {
  it('a known code gets its words', () => {
    assert.equal(failureWords(new ApiFailure('EASYGAS_EMAIL_TAKEN', 409, 'x')).title, 'An account with this email already exists');
  });

  it('no answer and server trouble say the gateway keeps working', () => {
    assert.match(failureWords(new ApiFailure('NETWORK', 0, 'x')).action, /gateway keeps alarming/);
    assert.equal(failureWords(failureFrom(502, '<html>Bad gateway</html>', null)).title, 'The cloud is having trouble');
  });

  it('validation issues land on their fields', () => {
    const failure = failureFrom(400, { code: 'EASYGAS_VALIDATION', message: 'm', issues: [{ path: 'password', message: 'must be 10 to 256 characters' }, { path: 'params.alarmLel', message: 'must be above warningLel' }] }, null);
    assert.deepEqual(fieldIssues(failure), { password: 'must be 10 to 256 characters', params: 'must be above warningLel' });
  });

  it('reads Retry-After seconds', () => {
    assert.equal(failureFrom(429, { code: 'EASYGAS_RATE_LIMITED' }, '30').retryAfterMs, 30_000);
  });
});
