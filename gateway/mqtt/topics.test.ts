import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topicMatches } from './topic-filter.js';
import { MqttTopics } from './topics.js';

const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'pi-kitchen', discoveryPrefix: 'homeassistant' });

describe('MqttTopics', () => {
  it('builds every topic under the base and the gateway id', () => {
    assert.equal(topics.status, 'easygas/pi-kitchen/status');
    assert.equal(topics.events, 'easygas/pi-kitchen/events');
    assert.equal(topics.alarmSummary, 'easygas/pi-kitchen/alarm');
    assert.equal(topics.sensorState('lpg'), 'easygas/pi-kitchen/sensors/lpg/state');
    assert.equal(topics.sensorAvailability('lpg'), 'easygas/pi-kitchen/sensors/lpg/availability');
    assert.equal(topics.sensorAlarm('kitchen-gas', 'gas'), 'easygas/pi-kitchen/sensors/kitchen-gas/alarms/gas');
    assert.equal(topics.command('silence'), 'easygas/pi-kitchen/commands/silence');
    assert.equal(topics.discovery('binary_sensor', 'sink_leak'), 'homeassistant/binary_sensor/easygas_pi-kitchen/sink_leak/config');
    assert.equal(topics.haStatus, 'homeassistant/status');
    assert.equal(topics.nodeReading('garage'), 'easygas/nodes/garage/reading');
    assert.equal(topics.nodeReading('garage', 'freezer'), 'easygas/nodes/garage/freezer/reading');
    assert.ok(topicMatches(topics.commandFilter, topics.command('test')));
    assert.ok(topics.nodeFilters.some((f) => topicMatches(f, topics.nodeReading('garage', 'freezer'))));
  });

  it('parses node readings and commands, and nothing else', () => {
    assert.deepEqual(topics.parseNodeReading('easygas/nodes/garage/reading'), { node: 'garage' });
    assert.deepEqual(topics.parseNodeReading('easygas/nodes/garage/freezer/reading'), { node: 'garage', unit: 'freezer' });
    for (const other of ['easygas/nodes/garage/status', 'easygas/nodes/Garage/reading', 'easygas/nodes//reading', 'easygas/nodes/a/b/c/reading', 'other/nodes/garage/reading']) {
      assert.equal(topics.parseNodeReading(other), undefined, other);
    }
    assert.equal(topics.parseCommand('easygas/pi-kitchen/commands/silence'), 'silence');
    assert.equal(topics.parseCommand('easygas/pi-kitchen/commands/test'), 'test');
    assert.equal(topics.parseCommand('easygas/pi-kitchen/commands/reboot'), undefined);
    assert.equal(topics.parseCommand('easygas/other-gw/commands/silence'), undefined, 'another gateway\'s commands');
  });

  it('keeps the Home Assistant node id to the characters discovery allows', () => {
    const odd = new MqttTopics({ baseTopic: 'e', gatewayId: 'gw.1', discoveryPrefix: 'ha' });
    assert.equal(odd.haNodeId, 'easygas_gw_1');
  });
});
