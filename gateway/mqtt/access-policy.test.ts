import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessPolicy, type Principal } from './access-policy.js';
import { MqttTopics } from './topics.js';

const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' });
const policy = new AccessPolicy(topics, ['garage', 'attic']);
const ha: Principal = { kind: 'user', username: 'homeassistant', nodes: [] };
const garage: Principal = { kind: 'user', username: 'garage-node', nodes: ['garage'] };
const anonymous: Principal = { kind: 'anonymous' };
const pub = (p: Principal, topic: string, retain = false): boolean => policy.canPublish(p, topic, retain).allowed;

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
});
