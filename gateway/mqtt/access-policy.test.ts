import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AclRule } from '../config/schema/mqtt-acl.js';
import { parseAclLine } from '../config/schema/mqtt-acl.js';
import { AccessPolicy, type ClientRights, type Principal } from './access-policy.js';
import { TopicAcl } from './topic-acl.js';
import { MqttTopics } from './topics.js';

const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' });
const policy = new AccessPolicy(topics, ['garage', 'attic']);
const as = (principal: Principal, clientId = 'client'): ClientRights => policy.rightsOf(principal, clientId);
const ha = as({ kind: 'user', username: 'homeassistant', nodes: [] });
const garage = as({ kind: 'user', username: 'garage-node', nodes: ['garage'] });
const anonymous = as({ kind: 'anonymous' });
const pub = (p: ClientRights, topic: string, retain = false): boolean => policy.canPublish(p, topic, retain).allowed;

const rules = (...lines: string[]): AclRule[] =>
  lines.map((line) => {
    const rule = parseAclLine(line, true);
    assert.ok(!('problem' in rule), line);
    return rule;
  });

describe('AccessPolicy', () => {
  it('lets a node publish and read only under its own node', () => {
    assert.ok(pub(garage, 'easygas/nodes/garage/reading'));
    assert.ok(pub(garage, 'easygas/nodes/garage/freezer/reading'));
    assert.ok(pub(garage, 'easygas/nodes/garage/status', true), 'its own retained status');
    assert.equal(pub(garage, 'easygas/nodes/attic/reading'), false);
    assert.equal(pub(garage, 'easygas/nodes/garagex/reading'), false);
    assert.equal(pub(garage, 'easygas/gw/commands/silence'), false);
    assert.equal(pub(garage, 'homeassistant/status'), false);
    assert.ok(policy.canSubscribe(garage, 'easygas/nodes/garage/#'));
    assert.equal(policy.canSubscribe(garage, 'easygas/#'), false);
    assert.equal(policy.canSubscribe(garage, 'easygas/nodes/+/reading'), false);
    const reason = policy.canPublish(garage, 'easygas/nodes/attic/reading', false);
    assert.ok(!reason.allowed && reason.reason.includes('easygas/nodes/garage/#'), 'the refusal says where it may publish');
  });

  it('lets Home Assistant read everything of ours and send commands (never retained) and its status', () => {
    assert.ok(policy.canSubscribe(ha, 'easygas/#'));
    assert.ok(policy.canSubscribe(ha, 'homeassistant/#'));
    assert.ok(policy.canSubscribe(ha, 'easygas/gw/sensors/+/state'));
    assert.equal(policy.canSubscribe(ha, '#'), false);
    assert.equal(policy.canSubscribe(ha, '$SYS/#'), false);
    assert.equal(policy.canSubscribe(ha, 'easygas/#/x'), false, 'not a valid filter');
    assert.ok(pub(ha, 'easygas/gw/commands/silence'));
    assert.ok(pub(ha, 'easygas/gw/commands/test'));
    assert.equal(pub(ha, 'easygas/gw/commands/silence', true), false, 'a retained command would fire at every restart');
    assert.equal(pub(ha, 'easygas/gw/commands/reboot'), false);
    assert.ok(pub(ha, 'homeassistant/status', true));
    assert.equal(pub(ha, 'easygas/gw/sensors/lpg/state'), false, 'only the gateway publishes states');
    assert.equal(pub(ha, 'easygas/gw/status'), false);
    assert.equal(pub(ha, 'homeassistant/sensor/x/y/config'), false);
    assert.equal(pub(ha, 'easygas/nodes/garage/reading'), false);
    assert.equal(pub(ha, '$SYS/x'), false);
  });

  it('gives anonymous clients (when allowed at all) a client\'s rights plus every configured node', () => {
    assert.ok(pub(anonymous, 'easygas/nodes/attic/reading'));
    assert.equal(pub(anonymous, 'easygas/nodes/unknown/reading'), false);
    assert.ok(pub(anonymous, 'easygas/gw/commands/test'));
    assert.ok(policy.canSubscribe(anonymous, 'easygas/#'));
  });

  it('keeps the built-in rules exactly when no ACL is configured', () => {
    assert.equal(pub(ha, 'zigbee2mqtt/bridge/state'), false);
    assert.equal(policy.canSubscribe(ha, 'zigbee2mqtt/#'), false);
    assert.equal(policy.canRead(ha, 'zigbee2mqtt/lamp'), false);
    assert.ok(policy.canRead(ha, 'easygas/gw/status'));
    assert.equal(policy.canRead(garage, 'easygas/gw/status'), false);
  });
});

describe('AccessPolicy with an ACL (Mosquitto acl_file semantics)', () => {
  const acl = new TopicAcl({
    users: new Map([
      ['zigbee2mqtt', rules('readwrite zigbee2mqtt/#', 'write homeassistant/#', 'read homeassistant/status', 'write outbox/#', 'deny zigbee2mqtt/secret/#')],
      ['homeassistant', rules('readwrite zigbee2mqtt/#', 'readwrite #', 'deny easygas/gw/events')],
      ['garage-node', rules('read easygas/gw/sensors/+/state')],
    ]),
    anonymous: rules('read public/#'),
    patterns: rules('readwrite devices/%u/#', 'write clients/%c/status', 'read tasmota/+/tele/#'),
  });
  const withAcl = new AccessPolicy(topics, ['garage', 'attic'], acl);
  const user = (username: string, clientId = 'c1', nodes: string[] = []): ClientRights => withAcl.rightsOf({ kind: 'user', username, nodes }, clientId);
  const z2m = user('zigbee2mqtt', 'z2m-1');
  const haAcl = user('homeassistant');
  const may = (r: ClientRights, topic: string, retain = false): boolean => withAcl.canPublish(r, topic, retain).allowed;

  it('grants read, write and readwrite on topic patterns with + and #', () => {
    assert.ok(may(z2m, 'zigbee2mqtt/bridge/state', true));
    assert.ok(withAcl.canSubscribe(z2m, 'zigbee2mqtt/#'));
    assert.ok(withAcl.canSubscribe(z2m, 'zigbee2mqtt/+/availability'));
    assert.ok(may(z2m, 'homeassistant/light/0x1234/light/config', true), 'Zigbee2MQTT publishes its own discovery');
    assert.ok(may(z2m, 'outbox/1'));
    assert.equal(withAcl.canSubscribe(z2m, 'outbox/#'), false, 'write only');
    assert.equal(withAcl.canRead(z2m, 'outbox/1'), false);
    assert.ok(withAcl.canSubscribe(z2m, 'homeassistant/status'));
    assert.equal(withAcl.canSubscribe(z2m, '#'), false);
    assert.equal(may(z2m, 'tasmota/plug/cmnd/POWER'), false);
  });

  it('lets deny win over a wider grant, for publishing, subscribing and each delivered message', () => {
    assert.equal(may(z2m, 'zigbee2mqtt/secret/key'), false);
    assert.match(JSON.stringify(withAcl.canPublish(z2m, 'zigbee2mqtt/secret/key', false)), /deny rule/);
    assert.equal(withAcl.canSubscribe(z2m, 'zigbee2mqtt/secret/#'), false);
    assert.ok(withAcl.canSubscribe(z2m, 'zigbee2mqtt/#'), 'a wider subscription is allowed…');
    assert.equal(withAcl.canRead(z2m, 'zigbee2mqtt/secret/key'), false, '…but the denied messages never reach it');
    assert.ok(withAcl.canRead(z2m, 'zigbee2mqtt/lamp'));
    assert.equal(withAcl.canRead(haAcl, 'easygas/gw/events'), false, 'deny takes away a built-in right too');
    assert.ok(withAcl.canRead(haAcl, 'easygas/gw/status'));
  });

  it('never gives away what the gateway owns: its states, status and discovery, node readings, $ topics', () => {
    assert.ok(withAcl.canSubscribe(haAcl, '#'), 'readwrite # reads everything…');
    assert.ok(may(haAcl, 'tasmota/plug/cmnd/POWER'), '…and writes the rest of the home');
    for (const topic of ['easygas/gw/sensors/lpg/state', 'easygas/gw/status', 'easygas/gw/alarm', 'easygas/nodes/garage/reading', 'homeassistant/sensor/easygas_gw/lpg_level/config', '$SYS/broker/x']) {
      assert.equal(may(haAcl, topic, true), false, topic);
    }
    assert.match(JSON.stringify(withAcl.canPublish(haAcl, 'easygas/gw/status', true)), /belongs to the gateway/);
    assert.ok(may(haAcl, 'easygas/gw/commands/silence'), 'the built-in rights still hold there');
    assert.equal(may(haAcl, 'easygas/gw/commands/silence', true), false, 'and so do their limits');
    assert.ok(may(haAcl, 'homeassistant/sensor/other_device/x/config', true), 'other devices\' discovery is the home\'s');
    assert.equal(withAcl.canSubscribe(haAcl, '$SYS/#'), false, '# does not cover $ topics');
  });

  it('substitutes %u and %c in patterns, for every client, and only with one safe level', () => {
    const alice = user('alice', 'phone');
    assert.ok(may(alice, 'devices/alice/x'));
    assert.equal(may(alice, 'devices/bob/x'), false);
    assert.ok(may(alice, 'clients/phone/status'));
    assert.equal(may(alice, 'clients/tablet/status'), false);
    assert.ok(withAcl.canSubscribe(alice, 'tasmota/+/tele/#'));
    assert.ok(may(z2m, 'devices/zigbee2mqtt/x'), 'patterns apply to users with their own topics too');
    for (const name of ['a/b', 'a+', '#']) {
      const sneaky = user(name, 'c');
      assert.equal(may(sneaky, `devices/${name}/x`), false, `user ${name}`);
      assert.equal(may(sneaky, 'devices/a/b/x'), false, `user ${name}`);
      assert.equal(withAcl.canSubscribe(sneaky, 'devices/#'), false);
      assert.ok(may(sneaky, 'clients/c/status'), 'its %c patterns still apply');
    }
    for (const id of ['x/y', '+', '#']) {
      const sneaky = user('ok', id);
      assert.equal(may(sneaky, `clients/${id}/status`), false, `client ${id}`);
      assert.equal(may(sneaky, 'clients/x/y/status'), false, `client ${id}`);
      assert.ok(may(sneaky, 'devices/ok/x'), 'its %u patterns still apply');
    }
    const anon = withAcl.rightsOf({ kind: 'anonymous' }, 'anon-1');
    assert.equal(withAcl.canSubscribe(anon, 'devices/+/x'), false, 'no user name: %u patterns do not apply');
    assert.ok(may(anon, 'clients/anon-1/status'));
    assert.ok(withAcl.canSubscribe(anon, 'public/#'), 'anonymousTopics');
    assert.equal(withAcl.canSubscribe(haAcl, 'public/#'), true, 'homeassistant has readwrite #');
    assert.equal(withAcl.canSubscribe(z2m, 'public/#'), false, 'anonymousTopics are for anonymous clients only');
  });

  it('adds to a node user\'s rights without widening what it may publish under the gateway', () => {
    const node = user('garage-node', 'garage-esp', ['garage']);
    assert.ok(withAcl.canSubscribe(node, 'easygas/gw/sensors/+/state'));
    assert.equal(withAcl.canSubscribe(node, 'easygas/#'), false);
    assert.ok(may(node, 'easygas/nodes/garage/reading'));
    assert.equal(may(node, 'easygas/nodes/attic/reading'), false);
  });
});

