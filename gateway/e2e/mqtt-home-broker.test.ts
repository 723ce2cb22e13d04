/**
 * The embedded broker as the home's broker, its ACL written in gateway.yaml the way
 * Mosquitto's acl_file is: Zigbee2MQTT and Home Assistant talk through it, while the
 * gateway's own states and discovery stay its own. Real mosquitto clients, and a
 * packet-level client for a SUBSCRIBE mixing granted and refused filters.
 * A refused PUBLISH closes the connection (aedes, as MQTT 3.1.1 allows: MQTT-3.3.5-2)
 * and never reaches anyone; a refused subscription gets 0x80 in its SUBACK.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ATTIC, HA, OBSERVER, startHomeBrokerRig, TESTER, Z2M, type MqttRig } from '../mqtt/test-support/mqtt-rig.js';
import { publish, Subscriber, type Credentials } from '../mqtt/test-support/mosquitto.js';
import { RawMqttClient } from '../mqtt/test-support/raw-mqtt.js';

describe('the embedded broker as the home\'s broker (ACL from gateway.yaml, real clients)', () => {
  let rig: MqttRig;
  const closers: (() => Promise<unknown>)[] = [];
  before(async () => {
    rig = await startHomeBrokerRig();
    await rig.clock.advance(5_000); // states to protect
  });
  after(async () => {
    await Promise.allSettled(closers.map((close) => close()));
    await rig.stop();
  });

  const link = () => rig.daemon.mqtt!.stats().link;
  const subscriber = async (who: Credentials, topics: string[]): Promise<Subscriber> => {
    const sub = new Subscriber({ port: rig.port, topics, qos: 1, ...who });
    closers.push(() => sub.stop());
    await sub.subscribed();
    return sub;
  };
  const pub = (who: Credentials, topic: string, message: string, extra: { retain?: boolean; clientId?: string } = {}) =>
    publish({ port: rig.port, topic, message, qos: 1, ...who, ...extra });

  it('carries Zigbee2MQTT: its state and discovery reach Home Assistant, Home Assistant\'s commands reach it', async () => {
    assert.equal((await pub(Z2M, 'zigbee2mqtt/bridge/state', '{"state":"online"}', { retain: true })).code, 0);
    assert.equal((await pub(Z2M, 'homeassistant/light/0x00124b/light/config', '{"name":"Lamp"}', { retain: true })).code, 0);
    const ha = await subscriber(HA, ['zigbee2mqtt/#', 'homeassistant/#']);
    assert.equal((await ha.message('zigbee2mqtt/bridge/state')).retained, true);
    await ha.message('homeassistant/light/0x00124b/light/config');
    await ha.until('the gateway\'s own discovery too', () => ha.messages.find((m) => m.topic.includes('/easygas_rig/')));

    const z2m = await subscriber(Z2M, ['zigbee2mqtt/+/set', 'homeassistant/status']);
    assert.equal((await pub(HA, 'zigbee2mqtt/lamp/set', '{"state":"ON"}')).code, 0);
    assert.equal((await z2m.message('zigbee2mqtt/lamp/set')).payload, '{"state":"ON"}');
    assert.equal((await pub(HA, 'homeassistant/status', 'online')).code, 0);
    await z2m.message('homeassistant/status');
  });

  it('refuses a publish to the gateway\'s states or discovery whatever the ACL says, and it reaches nobody', async () => {
    const state = 'easygas/rig/sensors/lpg/state';
    const watcher = await subscriber(OBSERVER, [state, 'homeassistant/sensor/easygas_rig/#', 'test/marker']);
    const genuine = await watcher.message(state);
    const denied = link().deniedPublishes ?? 0;
    const forged = await pub(Z2M, state, '{"value":99}', { retain: true });
    assert.notEqual(forged.code, 0, 'the broker closes the connection of a client publishing where it may not');
    const discovery = await pub(Z2M, 'homeassistant/sensor/easygas_rig/lpg_level/config', '', { retain: true });
    assert.notEqual(discovery.code, 0, 'write homeassistant/# does not reach this gateway\'s discovery');
    assert.equal((link().deniedPublishes ?? 0) - denied, 2);
    assert.equal((await pub(TESTER, 'test/marker', 'after')).code, 0);
    await watcher.message('test/marker');
    assert.equal(watcher.messages.filter((m) => m.topic === state && m.payload === '{"value":99}').length, 0);
    assert.equal(watcher.messages.filter((m) => m.topic.startsWith('homeassistant/') && m.payload === '').length, 0);
    const late = await subscriber(OBSERVER, [state]);
    assert.equal((await late.message(state)).payload, genuine.payload, 'the retained state is still the gateway\'s');
    assert.ok(rig.logs.some((l) => String(l.msg).startsWith('MQTT publish refused') && String(l.msg).includes(state)), 'the log says why');
  });

  it('lets a deny rule carve a topic out of a wider grant', async () => {
    const z2m = await subscriber(Z2M, ['zigbee2mqtt/bridge/request/#', 'zigbee2mqtt/marker']);
    const refused = await pub(HA, 'zigbee2mqtt/bridge/request/permit_join', 'true');
    assert.notEqual(refused.code, 0);
    assert.equal((await pub(HA, 'zigbee2mqtt/marker', 'm')).code, 0);
    await z2m.message('zigbee2mqtt/marker');
    assert.equal(z2m.messages.some((m) => m.topic.startsWith('zigbee2mqtt/bridge/request/')), false);
    const snoop = await subscriber(HA, ['zigbee2mqtt/bridge/request/#']);
    assert.deepEqual(snoop.granted, [128]);
  });

  it('answers a refused subscription with 0x80, filter by filter', async () => {
    const deniedBefore = link().deniedSubscriptions ?? 0;
    const z2m = await subscriber(Z2M, ['tasmota/#']);
    assert.deepEqual(z2m.granted, [128]);
    const { client } = await RawMqttClient.connect(rig.port, { clientId: 'z2m-raw', clean: true, username: Z2M.user, password: Buffer.from(Z2M.password) });
    closers.push(() => client.end());
    client.send({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'zigbee2mqtt/#', qos: 1 }, { topic: '#', qos: 1 }, { topic: 'homeassistant/status', qos: 0 }] });
    assert.deepEqual((await client.next('suback')).granted, [1, 128, 0]);
    client.send({ cmd: 'pingreq' });
    await client.next('pingresp');
    assert.equal(client.isClosed, false, 'a refused subscription does not cost the connection');
    const node = await subscriber(ATTIC, ['zigbee2mqtt/#']);
    assert.deepEqual(node.granted, [128], 'a node user keeps its narrow default rights');
    assert.equal((link().deniedSubscriptions ?? 0) - deniedBefore, 3);
  });

  it('substitutes %u and %c in patterns for every client', async () => {
    const own = await subscriber(TESTER, ['devices/tester/#']);
    assert.deepEqual((await subscriber(TESTER, ['devices/observer/#'])).granted, [128]);
    assert.equal((await pub(TESTER, 'devices/tester/temp', '21')).code, 0);
    await own.message('devices/tester/temp');
    assert.notEqual((await pub(TESTER, 'devices/observer/temp', '21')).code, 0);
    assert.equal((await pub(TESTER, 'clients/kitchen-esp/status', 'online', { clientId: 'kitchen-esp' })).code, 0);
    assert.notEqual((await pub(TESTER, 'clients/kitchen-esp/status', 'online', { clientId: 'other-esp' })).code, 0);
  });
});
