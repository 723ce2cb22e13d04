/**
 * The SQLite persistence passes aedes-persistence's own abstract test suite (the
 * conformance run every aedes persistence must pass), and keeps retained messages,
 * sessions, queued messages and wills across a reopen of the file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, describe, it, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqlitePersistence } from './sqlite-persistence.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-mqtt-persistence-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const freshPath = ((): (() => string) => {
  let n = 0;
  return () => join(dir, `mqtt-${++n}.db`);
})();

const require = createRequire(import.meta.url);
const abstractSuite = require('aedes-persistence/abstract.js') as (options: {
  test: typeof test;
  persistence: () => unknown;
  testAsync: boolean;
}) => void;

describe('aedes-persistence abstract suite', () => {
  abstractSuite({ test, persistence: () => SqlitePersistence.open(freshPath()), testAsync: true });
});

async function list<T>(stream: Readable): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item as T);
  return out;
}

const broker = { id: 'broker-before' };

describe('SqlitePersistence across a restart', () => {
  it('keeps retained messages, removes cleared ones', async () => {
    const path = freshPath();
    const first = SqlitePersistence.open(path);
    await first.setup(broker);
    await first.storeRetained({ cmd: 'publish', topic: 'easygas/gw/status', payload: Buffer.from('online'), qos: 1, retain: true });
    await first.storeRetained({ cmd: 'publish', topic: 'easygas/gw/sensors/a/state', payload: Buffer.from('{"value":1}'), qos: 1, retain: true });
    await first.storeRetained({ cmd: 'publish', topic: 'easygas/gw/sensors/a/state', payload: Buffer.from('{"value":2}'), qos: 1, retain: true });
    await first.storeRetained({ cmd: 'publish', topic: 'gone', payload: Buffer.from('x'), qos: 0, retain: true });
    await first.storeRetained({ cmd: 'publish', topic: 'gone', payload: Buffer.alloc(0), qos: 0, retain: true });
    await first.destroy();

    const second = SqlitePersistence.open(path);
    await second.setup({ id: 'broker-after' });
    const all = await list<{ topic: string; payload: Buffer }>(second.createRetainedStreamCombi(['#']));
    assert.deepEqual(
      all.map((p) => [p.topic, p.payload.toString()]),
      [['easygas/gw/status', 'online'], ['easygas/gw/sensors/a/state', '{"value":2}']],
    );
    const some = await list<{ topic: string }>(second.createRetainedStream('easygas/+/sensors/#'));
    assert.deepEqual(some.map((p) => p.topic), ['easygas/gw/sensors/a/state']);
    await second.destroy();
  });

  it('keeps a QoS 1 session: subscriptions, queued messages with their ids, QoS 2 state and the will', async () => {
    const path = freshPath();
    const client = { id: 'homeassistant' };
    const first = SqlitePersistence.open(path);
    await first.setup(broker);
    await first.addSubscriptions(client, [{ topic: 'easygas/#', qos: 1, rh: 0, rap: false, nl: false }, { topic: 'other', qos: 0 }]);
    const packet = { cmd: 'publish', topic: 'easygas/gw/events', payload: Buffer.from('e1'), qos: 1, retain: false, brokerId: broker.id, brokerCounter: 7 };
    await first.outgoingEnqueueCombi(await first.subscriptionsByTopic('easygas/gw/events'), packet);
    await first.outgoingEnqueue({ clientId: client.id }, { ...packet, payload: Buffer.from('e2'), brokerCounter: 8 });
    await first.outgoingUpdate(client, { ...packet, messageId: 41 });
    await first.incomingStorePacket(client, { cmd: 'publish', topic: 'x', payload: Buffer.from('q2'), qos: 2, messageId: 9 });
    await first.putWill(client, { topic: 'homeassistant/status', payload: Buffer.from('offline'), qos: 1, retain: true });
    await first.destroy();

    const second = SqlitePersistence.open(path);
    await second.setup({ id: 'broker-after' });
    assert.deepEqual(await second.subscriptionsByClient(client), [
      { topic: 'easygas/#', qos: 1, rh: 0, rap: false, nl: false },
      { topic: 'other', qos: 0, rh: undefined, rap: undefined, nl: undefined },
    ]);
    assert.deepEqual((await second.subscriptionsByTopic('easygas/gw/status')).map((s) => s.clientId), ['homeassistant']);
    assert.deepEqual(await second.countOffline(), { subsCount: 1, clientsCount: 1 });
    const queued = await list<{ payload: Buffer; messageId?: number }>(second.outgoingStream(client));
    assert.deepEqual(queued.map((p) => [p.payload.toString(), p.messageId]), [['e1', 41], ['e2', undefined]]);
    const acked = await second.outgoingClearMessageId(client, { messageId: 41 });
    assert.equal(acked?.payload?.toString(), 'e1');
    assert.equal((await second.incomingGetPacket(client, { messageId: 9 })).payload?.toString(), 'q2');
    const wills = await list<{ topic: string; brokerId: string }>(second.streamWill({ 'broker-after': Date.now() }));
    assert.deepEqual(wills.map((w) => [w.topic, w.brokerId]), [['homeassistant/status', 'broker-before']], 'the dead broker\'s will is handed out');
    await second.destroy();

    const third = SqlitePersistence.open(path);
    await third.setup({ id: 'broker-third' });
    const left = await list<{ payload: Buffer }>(third.outgoingStream(client));
    assert.deepEqual(left.map((p) => p.payload.toString()), ['e2'], 'an acknowledged message is gone for good');
    await third.destroy();
  });

  it('drops the oldest queued messages of a client that never comes back', async () => {
    const path = freshPath();
    const first = SqlitePersistence.open(path, { maxQueuedPerClient: 3 });
    await first.setup(broker);
    for (let i = 1; i <= 5; i++) {
      await first.outgoingEnqueue({ clientId: 'gone' }, { cmd: 'publish', topic: 't', payload: Buffer.from(`m${i}`), qos: 1, brokerId: broker.id, brokerCounter: i });
    }
    assert.equal(first.stats.droppedQueued, 2);
    await first.destroy();
    const second = SqlitePersistence.open(path);
    const left = await list<{ payload: Buffer }>(second.outgoingStream({ id: 'gone' }));
    assert.deepEqual(left.map((p) => p.payload.toString()), ['m3', 'm4', 'm5']);
    await second.destroy();
  });

  it('reports a failed write and carries on from memory', async () => {
    const errors: string[] = [];
    const p = SqlitePersistence.open(freshPath(), { onWriteError: (_err, what) => errors.push(what) });
    await p.setup(broker);
    // Make every write fail underneath the persistence, as a broken file or disk would.
    const shadow = new Database(p.path);
    shadow.exec('DROP TABLE retained');
    shadow.close();
    await p.storeRetained({ cmd: 'publish', topic: 'a', payload: Buffer.from('1'), qos: 0, retain: true });
    assert.deepEqual(errors, ['retained']);
    assert.equal(p.stats.writeErrors, 1);
    const all = await list<{ topic: string }>(p.createRetainedStream('#'));
    assert.deepEqual(all.map((x) => x.topic), ['a'], 'still served from memory');
    await p.destroy();
  });
});
