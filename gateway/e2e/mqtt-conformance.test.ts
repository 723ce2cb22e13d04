/**
 * The embedded broker against what an MQTT 3.1.1 conformance suite checks, with real
 * clients: mosquitto_sub/mosquitto_pub, mqtt.js, and a packet-level client for the
 * cases a full client hides (an unacknowledged message, a silent client, a forbidden
 * CONNECT). The spec's statement numbers are in the test names.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { OBSERVER, startHomeBrokerRig, TESTER, type MqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { publish, Subscriber, waitFor, type Credentials } from '../mqtt/test-support/mosquitto.js';
import { RawMqttClient } from '../mqtt/test-support/raw-mqtt.js';

const isPublish = (topic: string, from?: (p: IPublishPacket) => boolean) => (p: Packet): p is IPublishPacket =>
  p.cmd === 'publish' && p.topic === topic && (from?.(p) ?? true);

describe('embedded broker conformance (MQTT 3.1.1, real clients)', () => {
  let rig: MqttRig;
  const closers: (() => Promise<unknown>)[] = [];
  before(async () => {
    rig = await startHomeBrokerRig();
  });
  after(async () => {
    await Promise.allSettled(closers.map((close) => close()));
    await rig.stop();
  });

  const subscriber = async (topics: string[], options: { qos?: 0 | 1 | 2; clientId?: string; persistent?: boolean } & Credentials = {}): Promise<Subscriber> => {
    const sub = new Subscriber({ port: rig.port, topics, ...TESTER, ...options });
    closers.push(() => sub.stop());
    await sub.subscribed();
    return sub;
  };
  const mqttjs = async (options: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${rig.port}`, { username: TESTER.user, password: TESTER.password, reconnectPeriod: 0, ...options });
    closers.push(() => client.endAsync(true));
    return client;
  };
  const raw = async (clientId: string, clean: boolean, extra: { keepalive?: number; will?: { topic: string; payload: Buffer; qos: 0 | 1; retain: boolean } } = {}) => {
    const connected = await RawMqttClient.connect(rig.port, { clientId, clean, username: TESTER.user, password: Buffer.from(TESTER.password), ...extra });
    closers.push(() => Promise.resolve(connected.client.destroy()));
    return connected;
  };
  const send = async (topic: string, message: string, qos: 0 | 1 | 2 = 1, retain = false): Promise<void> => {
    const result = await publish({ port: rig.port, topic, message, qos, retain, ...TESTER });
    assert.equal(result.code, 0, result.stderr);
  };

  it('retained messages: stored, sent with RETAIN=1 on subscribe, live copies with RETAIN=0, cleared by an empty payload (MQTT-3.3.1-5/-9/-10/-12)', async () => {
    await send('test/retained/a', 'first', 1, true);
    await send('test/retained/a', 'second', 1, true);
    await send('test/retained/b', 'kept', 0, true);
    const late = await subscriber(['test/retained/#'], { qos: 1 });
    const a = await late.message('test/retained/a');
    assert.deepEqual([a.payload, a.retained], ['second', true], 'only the last retained message is kept');
    assert.ok((await late.message('test/retained/b')).retained);
    assert.equal(late.messages.filter((m) => m.topic === 'test/retained/a').length, 1);

    const from = late.messages.length;
    await send('test/retained/a', 'live', 1, true);
    const live = await late.message('test/retained/a', (m) => m.payload === 'live', 10_000, from);
    assert.equal(live.retained, false, 'a message matching an established subscription goes out with RETAIN=0');

    await send('test/retained/a', '', 1, true); // clears it
    await send('test/retained/marker', 'm', 1, true);
    const after = await subscriber(['test/retained/#']);
    await after.message('test/retained/marker');
    await after.message('test/retained/b');
    assert.equal(after.messages.some((m) => m.topic === 'test/retained/a'), false, 'a zero-byte retained message removes the stored one');
  });

  it('overlapping subscriptions: the message arrives, at the highest QoS of the matching subscriptions (MQTT-3.3.5-1)', async () => {
    const client = await mqttjs();
    const got: { topic: string; qos: number }[] = [];
    client.on('message', (topic, _payload, packet) => got.push({ topic, qos: packet.qos }));
    const granted = await client.subscribeAsync({ 'test/overlap/#': { qos: 0 }, 'test/overlap/+': { qos: 1 } });
    assert.deepEqual(granted.map((g) => g.qos).sort(), [0, 1]);
    await send('test/overlap/x', 'both', 1);
    await waitFor('the overlapping message', () => got.some((g) => g.qos === 1));
    assert.ok(got.every((g) => g.topic === 'test/overlap/x' && g.qos <= 1), JSON.stringify(got));
    await send('test/overlap/x/y', 'only #', 1);
    await waitFor('the message only # matches', () => got.some((g) => g.topic === 'test/overlap/x/y'));
    assert.deepEqual(got.filter((g) => g.topic === 'test/overlap/x/y').map((g) => g.qos), [0], 'delivered once, at that subscription\'s QoS');
  });

  it('a wildcard subscription caps the QoS: QoS 2 to a `#` subscription granted QoS 1 goes out at QoS 1, live and queued (MQTT-3.8.4-6)', async () => {
    const live = await subscriber(['test/cap/#'], { qos: 1 });
    await send('test/cap/live', 'two', 2);
    assert.equal((await live.message('test/cap/live')).qos, 1);

    const away = await subscriber(['test/capq/#'], { qos: 1, clientId: 'cap-reader', persistent: true });
    await away.stop();
    await send('test/capq/queued', 'two', 2);
    const back = await subscriber(['test/capq/#'], { qos: 1, clientId: 'cap-reader', persistent: true });
    assert.equal((await back.message('test/capq/queued')).qos, 1);
  });

  it('$ topics: not matched by a filter starting with a wildcard, matched by $SYS/# (MQTT-4.7.2-1)', async () => {
    const everything = await subscriber(['#'], OBSERVER);
    const plus = await subscriber(['+/+/new/clients'], OBSERVER);
    const sys = await subscriber(['$SYS/#'], OBSERVER);
    const newcomer = await mqttjs({ clientId: 'dollar-newcomer' });
    await sys.until('the $SYS message for the newcomer', () => sys.messages.find((m) => m.topic.startsWith('$SYS/') && m.payload.includes('dollar-newcomer')));
    await newcomer.publishAsync('test/dollar/marker', 'm', { qos: 1 });
    await everything.message('test/dollar/marker');
    assert.deepEqual(everything.messages.filter((m) => m.topic.startsWith('$')), [], '# never delivers a $ topic');
    assert.deepEqual(plus.messages, [], '+/… never matches a $ topic either');
    assert.equal((await subscriber(['$SYS/#'])).granted[0], 128, 'and $SYS is readable only where an ACL grants it');
  });

  it('a persistent session queues QoS 1 and 2 messages while its client is away and delivers them on reconnect (MQTT-3.1.2-4/-5)', async () => {
    const first = await subscriber(['test/queue/#'], { qos: 2, clientId: 'queue-reader', persistent: true });
    await first.stop(); // a clean DISCONNECT; the session stays
    await send('test/queue/one', 'q1', 1);
    await send('test/queue/two', 'q2', 2);
    const back = new Subscriber({ port: rig.port, topics: ['test/queue/#'], qos: 2, clientId: 'queue-reader', persistent: true, ...TESTER });
    closers.push(() => back.stop());
    const one = await back.message('test/queue/one');
    const two = await back.message('test/queue/two');
    assert.deepEqual([one.payload, one.qos, two.payload, two.qos], ['q1', 1, 'q2', 2]);
    await send('test/queue/three', 'q3', 2);
    await back.message('test/queue/three');
    assert.equal(back.messages.filter((m) => m.topic === 'test/queue/two').length, 1, 'each queued message once');
  });

  it('redelivers an unacknowledged QoS 1 PUBLISH with DUP on reconnect, and nothing once acknowledged (MQTT-4.4.0-1)', async () => {
    const { client } = await raw('redeliver-1', false);
    client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'test/redeliver/one', qos: 1 }] });
    assert.deepEqual((await client.next('suback')).granted, [1]);
    await send('test/redeliver/one', 'unacked', 1);
    const original = await client.until('the PUBLISH', isPublish('test/redeliver/one'));
    assert.equal(original.qos, 1);
    client.destroy(); // gone without a PUBACK

    const again = await raw('redeliver-1', false);
    assert.equal(again.sessionPresent, true);
    const resent = await again.client.until('the redelivered PUBLISH', isPublish('test/redeliver/one'));
    assert.deepEqual([resent.payload.toString(), resent.dup, resent.messageId], ['unacked', true, original.messageId]);
    again.client.send({ cmd: 'puback', messageId: resent.messageId });
    await again.client.end();

    const third = await raw('redeliver-1', false);
    third.client.send({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'test/redeliver/marker', qos: 1 }] });
    await third.client.next('suback');
    await send('test/redeliver/marker', 'm', 1);
    await third.client.until('the marker', isPublish('test/redeliver/marker'));
    assert.equal(third.client.received.some(isPublish('test/redeliver/one')), false, 'an acknowledged message is not sent again');
  });

  it('QoS 2 on reconnect: an unanswered PUBLISH is resent with DUP, a PUBREC\'d one continues with PUBREL, never a second copy (MQTT-4.3.3, 4.4.0-1)', async () => {
    const { client } = await raw('redeliver-2', false);
    client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'test/exactly/+', qos: 2 }] });
    await client.next('suback');
    await send('test/exactly/a', 'first', 2);
    const a = await client.until('PUBLISH a', isPublish('test/exactly/a'));
    client.destroy(); // neither PUBREC nor anything else

    const second = await raw('redeliver-2', false);
    const resentA = await second.client.until('PUBLISH a again', isPublish('test/exactly/a'));
    assert.deepEqual([resentA.dup, resentA.qos, resentA.messageId], [true, 2, a.messageId]);
    second.client.send({ cmd: 'pubrec', messageId: resentA.messageId });
    await second.client.until('PUBREL for a', (p): p is Packet => p.cmd === 'pubrel' && p.messageId === resentA.messageId);
    second.client.destroy(); // PUBREC sent, PUBCOMP not

    const third = await raw('redeliver-2', false);
    const pubrel = await third.client.until('PUBREL again', (p): p is Packet => p.cmd === 'pubrel' && p.messageId === a.messageId);
    third.client.send({ cmd: 'pubcomp', messageId: pubrel.messageId });
    await send('test/exactly/marker', 'm', 2);
    const marker = await third.client.until('the marker', isPublish('test/exactly/marker'));
    third.client.send({ cmd: 'pubrec', messageId: marker.messageId });
    await third.client.until('PUBREL for the marker', (p): p is Packet => p.cmd === 'pubrel' && p.messageId === marker.messageId);
    assert.equal(third.client.received.some(isPublish('test/exactly/a')), false, 'once PUBREC\'d, the message is never published to it again');
  });

  it('keepalive: a silent client is closed after 1.5× its keepalive and its will is published; a pinging one stays (MQTT-3.1.2-24, 3.1.2-8)', async () => {
    const watcher = await subscriber(['test/will/#']);
    const pinging = await raw('keepalive-pinging', true, { keepalive: 2 });
    let pings = 0;
    const timer = setInterval(() => {
      pinging.client.send({ cmd: 'pingreq' });
      pings++;
    }, 200);
    try {
      const silent = await raw('keepalive-silent', true, { keepalive: 1, will: { topic: 'test/will/silent', payload: Buffer.from('gone'), qos: 1, retain: false } });
      await silent.client.waitClosed(15_000);
      assert.equal((await watcher.message('test/will/silent')).payload, 'gone');
      assert.equal(pinging.client.isClosed, false, 'a client that pings within its keepalive is kept');
      assert.ok(pings > 0 && pinging.client.received.some((p) => p.cmd === 'pingresp'), 'PINGREQ is answered with PINGRESP');
    } finally {
      clearInterval(timer);
    }
  });

  it('unsubscribe: UNSUBACK, then no more messages on that filter; an unknown filter is acknowledged too (MQTT-3.10.4-4/-5)', async () => {
    const client = await mqttjs();
    const got: string[] = [];
    client.on('message', (topic, payload) => got.push(`${topic}=${payload.toString()}`));
    await client.subscribeAsync({ 'test/unsub/#': { qos: 1 }, 'test/unsub-marker': { qos: 1 } });
    await send('test/unsub/a', 'before', 1);
    await waitFor('the message before UNSUBSCRIBE', () => got.includes('test/unsub/a=before'));
    await client.unsubscribeAsync('test/unsub/#');
    await send('test/unsub/a', 'after', 1);
    await send('test/unsub-marker', 'm', 1);
    await waitFor('the marker', () => got.includes('test/unsub-marker=m'));
    assert.equal(got.includes('test/unsub/a=after'), false);

    const { client: rawClient } = await raw('unsub-unknown', true);
    rawClient.send({ cmd: 'unsubscribe', messageId: 7, unsubscriptions: ['never/subscribed'] });
    assert.equal((await rawClient.next('unsuback')).messageId, 7);
  });

  it('an empty client id: accepted with clean session 1, refused with CONNACK 2 with clean session 0 (MQTT-3.1.3-7/-8)', async () => {
    const refusedBefore = rig.daemon.mqtt!.stats().link.refusedLogins ?? 0;
    const persistent = await raw('', false);
    assert.equal(persistent.returnCode, 2, 'identifier rejected');
    await persistent.client.waitClosed();
    const clean = await raw('', true);
    assert.equal(clean.returnCode, 0);
    assert.equal(clean.client.isClosed, false);
    assert.equal((rig.daemon.mqtt!.stats().link.refusedLogins ?? 0) - refusedBefore, 1, 'counted as a refused login');
    assert.ok(rig.logs.some((l) => String(l.msg).includes('empty client id with clean session 0')), 'and logged with why');
  });
});
