import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PublishQueue, type OutgoingMessage } from './publish-queue.js';

/** A link whose acknowledgements the test hands out one by one. */
function manualLink() {
  const sent: { message: OutgoingMessage; done: (err?: Error | null) => void }[] = [];
  return {
    sent,
    send: (message: OutgoingMessage, done: (err?: Error | null) => void) => void sent.push({ message, done }),
    ack(i = 0, err?: Error) {
      sent.splice(i, 1)[0]?.done(err);
    },
  };
}

const state = (topic: string, payload: string): OutgoingMessage => ({ topic, payload, retain: true, qos: 1 });
const event = (payload: string): OutgoingMessage => ({ topic: 'easygas/gw/events', payload, retain: false, qos: 1 });

describe('PublishQueue', () => {
  it('never has more than maxInFlight publishes awaiting their acknowledgement', () => {
    const link = manualLink();
    const q = new PublishQueue({ send: link.send, maxInFlight: 3 });
    q.open();
    for (let i = 0; i < 10; i++) q.push(state(`t/${i}`, `${i}`));
    assert.equal(link.sent.length, 3);
    assert.deepEqual(q.stats(), { published: 0, failed: 0, dropped: 0, coalesced: 0, inFlight: 3, peakInFlight: 3, queued: 7 });
    link.ack();
    assert.equal(link.sent.length, 3, 'one acknowledged, one more sent');
    let maxSeen = 0;
    while (link.sent.length > 0) {
      maxSeen = Math.max(maxSeen, q.stats().inFlight);
      link.ack();
    }
    assert.equal(maxSeen, 3);
    assert.equal(q.stats().peakInFlight, 3);
    assert.equal(q.stats().published, 10);
  });

  it('keeps only the latest state per topic while it waits, in its first place in line', () => {
    const link = manualLink();
    const q = new PublishQueue({ send: link.send, maxInFlight: 1 });
    q.push(state('a', '1'));
    q.push(event('e1'));
    q.push(state('b', '1'));
    q.push(state('a', '2'));
    q.open();
    const order: string[] = [];
    while (link.sent.length > 0) {
      const { message } = link.sent[0]!;
      order.push(`${message.topic}=${String(message.payload)}`);
      link.ack();
    }
    assert.deepEqual(order, ['a=2', 'easygas/gw/events=e1', 'b=1']);
    assert.equal(q.stats().coalesced, 1);
  });

  it('drops the oldest events beyond maxEvents, and counts them', () => {
    const link = manualLink();
    const q = new PublishQueue({ send: link.send, maxEvents: 2 });
    for (const e of ['e1', 'e2', 'e3', 'e4']) q.push(event(e));
    q.push(state('s', 'x'));
    q.open();
    assert.deepEqual(link.sent.map((s) => s.message.payload), ['e3', 'e4', 'x']);
    assert.equal(q.stats().dropped, 2);
  });

  it('on close forgets what was in flight and ignores its late callbacks; sends again on open', () => {
    const link = manualLink();
    const q = new PublishQueue({ send: link.send, maxInFlight: 2 });
    q.open();
    q.push(state('a', '1'));
    q.push(state('b', '1'));
    q.push(state('c', '1'));
    const stale = link.sent.splice(0);
    q.close();
    assert.equal(q.stats().inFlight, 0);
    stale.forEach((s) => s.done()); // the old connection's acknowledgements arrive late
    assert.equal(q.stats().published, 0);
    assert.equal(link.sent.length, 0, 'nothing is sent while closed');
    q.open();
    assert.deepEqual(link.sent.map((s) => s.message.topic), ['c']);
  });

  it('counts failures and a throwing send, and keeps going', () => {
    const failures: string[] = [];
    let calls = 0;
    const q = new PublishQueue({
      send: (m, done) => {
        calls++;
        if (m.topic === 'boom') throw new Error('socket gone');
        done(m.topic === 'bad' ? new Error('refused') : null);
      },
      onFailure: (err) => failures.push(err.message),
    });
    q.open();
    q.push(state('boom', '1'));
    q.push(state('bad', '1'));
    q.push(state('good', '1'));
    assert.equal(calls, 3);
    assert.deepEqual(failures, ['socket gone', 'refused']);
    assert.equal(q.stats().published, 1);
    assert.equal(q.stats().failed, 2);
  });

  it('idle() resolves once everything was acknowledged', async () => {
    const link = manualLink();
    const q = new PublishQueue({ send: link.send });
    q.open();
    q.push(state('a', '1'));
    let idle = false;
    const waiting = q.idle().then(() => (idle = true));
    await Promise.resolve();
    assert.equal(idle, false);
    link.ack();
    await waiting;
    assert.equal(idle, true);
  });
});
