import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIVE_TOPICS as SERVER_TOPICS } from '../../../server/events/domain-events.js';
import { CLOSE } from '../../../server/modules/live/live-protocol.js';
import { LIVE_CLOSE, LIVE_TOPICS, parseServerMessage } from './live-protocol.js';

describe('the browser side of the live protocol', () => {
  it('speaks the server’s topics and close codes', () => {
    assert.deepEqual(LIVE_TOPICS, SERVER_TOPICS);
    assert.equal(LIVE_CLOSE.AUTH_FAILED, CLOSE.AUTH_FAILED);
    assert.equal(LIVE_CLOSE.SESSION_REVOKED, CLOSE.SESSION_REVOKED);
  });

  it('reads ready, pong and events; ignores anything else', () => {
    assert.deepEqual(parseServerMessage('{"type":"ready","userId":"u","topics":[]}'), { type: 'ready' });
    assert.equal(parseServerMessage('{"type":"event","topic":"readings","event":{"type":"readings.ingested"}}')?.type, 'event');
    for (const junk of ['nope', '{"type":"event","topic":"weather","event":{}}', '{"type":"event","topic":"readings"}', '7', new ArrayBuffer(2)]) {
      assert.equal(parseServerMessage(junk), undefined, typeof junk === 'string' ? junk : 'binary');
    }
  });
});
