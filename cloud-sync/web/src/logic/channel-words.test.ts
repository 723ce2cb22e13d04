import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressState, addressTarget, attemptWords, testOutcomeWords } from './channel-words.js';

describe('channel words', () => {
  it('says why an address gets nothing: turned off (with the reason) before unverified', () => {
    const off = addressState({ kind: 'email', verified: true, enabled: false, disabledReason: '550 5.1.1 mailbox unknown' });
    assert.deepEqual([off.label, off.tone], ['Turned off', 'critical']);
    assert.match(off.detail, /550 5\.1\.1 mailbox unknown/);
    assert.equal(addressState({ kind: 'email', verified: false, enabled: true, disabledReason: null }).label, 'Not verified');
    assert.equal(addressState({ kind: 'email', verified: true, enabled: true, disabledReason: null }).label, 'Verified');
    assert.match(addressState({ kind: 'sms', verified: true, enabled: true, disabledReason: null }).detail, /Critical alarms only/);
  });

  it('names a push subscription by its service, not its endpoint', () => {
    assert.equal(addressTarget({ kind: 'push', target: 'https://fcm.googleapis.com/fcm/send/abc' }), 'a browser (via fcm.googleapis.com)');
    assert.equal(addressTarget({ kind: 'email', target: 'ann@example.test' }), 'ann@example.test');
  });

  it('follows a test honestly: queued, retried with the reason, delivered, or failed with the error', () => {
    assert.equal(testOutcomeWords(undefined), 'Test queued: sending…');
    assert.match(testOutcomeWords({ status: 'pending', lastError: '451 try later' }), /not sent yet \(451 try later\)/);
    assert.match(testOutcomeWords({ status: 'delivered', lastError: null }), /^Test delivered/);
    assert.equal(testOutcomeWords({ status: 'failed', lastError: 'SMS is not configured' }), 'Test failed: SMS is not configured');
    assert.equal(attemptWords({ at: 0, outcome: 'retry', providerMessageId: null, errorCode: 'SMTP_BUSY', error: '451 busy' }), 'will be tried again: 451 busy');
  });
});
