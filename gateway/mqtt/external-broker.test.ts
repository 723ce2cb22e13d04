import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { silentLogger } from '../../hardware/logger.js';
import { backoffDelay, ExternalBroker, publicUrl } from './external-broker.js';

describe('external broker link', () => {
  it('backs off exponentially, with jitter, up to the maximum', () => {
    const top = (attempt: number): number => backoffDelay(attempt, 1_000, 60_000, () => 0.999_999);
    const bottom = (attempt: number): number => backoffDelay(attempt, 1_000, 60_000, () => 0);
    assert.deepEqual([0, 1, 2, 3, 6, 7, 50].map(top), [1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000]);
    assert.deepEqual([0, 1, 6].map(bottom), [500, 1_000, 30_000], 'jitter: never less than half');
  });

  it('never shows credentials in logs or status', () => {
    assert.equal(publicUrl('mqtt://gateway:s3cret@192.168.1.10:1883'), 'mqtt://192.168.1.10:1883');
    assert.equal(publicUrl('not a url'), '(invalid URL)');
  });

  it('fails a publish (never throws) while it has no broker, and stops cleanly before connecting', async () => {
    const link = new ExternalBroker({
      url: 'mqtt://127.0.0.1:9', clientId: 'x', will: { topic: 'a', payload: 'offline' }, subscriptions: [],
      clock: new ManualClock(), logger: silentLogger,
    });
    let error: Error | null | undefined;
    link.send({ topic: 't', payload: 'p', retain: false, qos: 1 }, (err) => (error = err));
    assert.match(String(error?.message), /not connected/);
    await link.stop();
    assert.equal(link.status().state, 'stopped');
  });
});
