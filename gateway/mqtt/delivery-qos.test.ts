import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atDeliveryQos, deliveryQos, respectSubscriptionQos } from './delivery-qos.js';

describe('deliveryQos', () => {
  it('is the published QoS capped by the highest matching subscription (MQTT-3.3.5-1, 3.8.4-6)', () => {
    const subs = { 'a/#': { qos: 0 }, 'a/+': { qos: 1 }, 'b/#': { qos: 1 }, '#': { qos: 0 } };
    assert.equal(deliveryQos(subs, 'a/x', 2), 1, 'the highest of a/# (0) and a/+ (1)');
    assert.equal(deliveryQos(subs, 'a/x/y', 2), 0, 'only a/# and # match');
    assert.equal(deliveryQos(subs, 'b/x', 2), 1);
    assert.equal(deliveryQos(subs, 'b/x', 0), 0);
    assert.equal(deliveryQos(new Map(Object.entries(subs)), 'a/x', 1), 1, 'a Map too');
    assert.equal(deliveryQos(subs, '$SYS/x', 2), 2, '# does not match a $ topic: nothing to cap by');
  });

  it('lets a QoS 0 delivery stand aside for the same client\'s higher-QoS subscription, and copies a packet it changes', async () => {
    const delivered: string[] = [];
    const client = {
      subscriptions: { 'a/#': { qos: 0 }, 'a/+': { qos: 1 } } as Record<string, { qos: number }>,
      deliver0: (packet: { topic: string; qos: number }, done: () => void) => {
        delivered.push(`${packet.topic}@0`);
        done();
      },
    };
    respectSubscriptionQos(client);
    await new Promise<void>((resolve) => client.deliver0({ topic: 'a/x', qos: 1 }, resolve));
    assert.deepEqual(delivered, [], 'a/+ at QoS 1 delivers it instead');
    await new Promise<void>((resolve) => client.deliver0({ topic: 'a/x/y', qos: 1 }, resolve));
    await new Promise<void>((resolve) => client.deliver0({ topic: 'a/x', qos: 0 }, resolve));
    assert.deepEqual(delivered, ['a/x/y@0', 'a/x@0']);

    const packet = { topic: 'a/x/y', qos: 2 };
    const copy = atDeliveryQos(client, packet);
    assert.deepEqual([copy.qos, packet.qos], [0, 2], 'the shared packet is left alone');
    assert.equal(atDeliveryQos(client, { topic: 'a/x', qos: 1 }).qos, 1);
  });
});
