import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countdown, provisionCommand } from './provisioning.js';

describe('adding a gateway', () => {
  it('shows the exact command with this cloud and the code', () => {
    assert.equal(provisionCommand('https://cloud.example', '7KQ4-M2XD'), 'sudo -u easygas easygas provision --cloud https://cloud.example --code 7KQ4-M2XD');
  });

  it('counts down to the code’s expiry and then says it has expired', () => {
    const exp = 1_000_000;
    assert.equal(countdown(exp, exp - 15 * 60_000), '15:00');
    assert.equal(countdown(exp, exp - 5_500), '0:06');
    assert.equal(countdown(exp, exp), undefined);
  });
});
