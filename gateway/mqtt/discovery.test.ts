import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleConfig } from '../app/test-support/daemon-rig.js';
import { discoveryMessages, discoverySensor, ownedRetainedTopics, type DiscoveryInput } from './discovery.js';
import { MqttTopics } from './topics.js';

const topics = new MqttTopics({ baseTopic: 'easygas', gatewayId: 'gw', discoveryPrefix: 'homeassistant' });
type Config = Record<string, unknown>;

async function input(patch?: (doc: Record<string, unknown>) => void): Promise<DiscoveryInput> {
  const config = await exampleConfig(patch);
  return { topics, gatewayName: 'Home gateway', version: '1.2.3', sensors: config.sensors.map(discoverySensor) };
}

function byObject(messages: ReturnType<typeof discoveryMessages>): Map<string, Config> {
  return new Map(messages.map((m) => [m.topic.split('/')[3]!, m.config as Config]));
}

describe('Home Assistant discovery', () => {
  it('describes each sensor of the example home with the device classes of HARDWARE.md', async () => {
    const entities = byObject(discoveryMessages(await input()));
    const cls = (id: string): unknown => entities.get(id)?.device_class;
    assert.equal(cls('lpg_litres'), 'volume_storage');
    assert.equal(entities.get('lpg_litres')?.unit_of_measurement, 'L');
    assert.equal(cls('lpg_level'), undefined);
    assert.equal(entities.get('lpg_level')?.unit_of_measurement, '%');
    assert.equal(entities.has('lpg_distance'), false, 'a dial has no distance');
    assert.equal(cls('roof-tank_distance'), 'distance');
    assert.equal(cls('kitchen-gas_gas'), undefined);
    assert.equal(entities.get('kitchen-gas_gas')?.unit_of_measurement, '%LEL');
    assert.equal(entities.get('kitchen-gas_ppm')?.unit_of_measurement, 'ppm');
    assert.equal(cls('sink-leak_leak'), 'moisture');
    assert.equal(cls('kitchen-gas_gas_alarm'), 'gas');
    assert.equal(cls('sink-leak_water_leak_alarm'), 'moisture');
    assert.equal(cls('lpg_low_level_alarm'), 'problem');
    assert.equal(cls('roof-tank_sudden_drop_alarm'), 'problem');
    assert.equal(cls('lpg_sensor_fault_alarm'), 'problem');
    assert.equal(entities.get('lpg_health')?.device_class, 'enum');
    assert.equal(cls('alarm'), 'safety');
    assert.equal(entities.get('silence')?.command_topic, 'easygas/gw/commands/silence');
    assert.equal(entities.get('test')?.command_topic, 'easygas/gw/commands/test');
  });

  it('gives every entity a unique id, a device, an origin and availability in mode all', async () => {
    const messages = discoveryMessages(await input());
    const ids = messages.map((m) => m.config.unique_id);
    assert.equal(new Set(ids).size, ids.length);
    for (const { topic, config } of messages) {
      assert.match(topic, /^homeassistant\/(sensor|binary_sensor|button)\/easygas_gw\/[a-z0-9_-]+\/config$/);
      assert.equal(config.availability_mode, 'all', topic);
      const availability = config.availability as Config[];
      assert.equal(availability[0]?.topic, 'easygas/gw/status', topic);
      assert.ok(config.device !== undefined, topic);
      assert.deepEqual(config.origin, { name: 'EasyGas Edge', sw_version: '1.2.3' });
    }
    const level = byObject(messages).get('lpg_level')!;
    assert.deepEqual((level.availability as Config[]).map((a) => a.topic), ['easygas/gw/status', 'easygas/gw/sensors/lpg/availability']);
    assert.deepEqual(level.device, { identifiers: ['easygas_gw_lpg'], name: 'LPG cylinder', manufacturer: 'EasyGas', model: 'ADS1115 0x48 AIN0', via_device: 'easygas_gw' });
  });

  it('has no alarm entity for a rule switched off, and a Wi-Fi node as its own device', async () => {
    const entities = byObject(
      discoveryMessages(
        await input((doc) => {
          const lpg = (doc.sensors as Config[]).find((s) => s.id === 'lpg')!;
          lpg.rules = { suddenDrop: false };
          (doc.sensors as Config[]).push({ id: 'shed', name: 'Shed', kind: 'temperature', source: { driver: 'mqtt', node: 'esp-shed', unit: 'a' } });
        }),
      ),
    );
    assert.equal(entities.has('lpg_sudden_drop_alarm'), false);
    assert.ok(entities.has('lpg_low_level_alarm'));
    assert.equal((entities.get('shed_temperature')?.device as Config).model, 'Wi-Fi node esp-shed/a');
  });

  it('owns every retained topic it publishes, so a later config can clear what it dropped', async () => {
    const before = ownedRetainedTopics(await input());
    const after = ownedRetainedTopics(await input((doc) => (doc.sensors = (doc.sensors as Config[]).filter((s) => s.id !== 'sink-leak'))));
    const gone = before.filter((t) => !after.includes(t));
    assert.ok(gone.includes('easygas/gw/sensors/sink-leak/state'));
    assert.ok(gone.includes('easygas/gw/sensors/sink-leak/alarms/water_leak'));
    assert.ok(gone.includes('homeassistant/binary_sensor/easygas_gw/sink-leak_leak/config'));
    assert.ok(gone.every((t) => t.includes('sink-leak')), 'nothing else is dropped');
  });
});
