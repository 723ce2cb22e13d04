import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPath } from './issues.js';
import { configDoc, scryptHash, sensor, SENSORS, valid } from './test-support/configs.js';
import { configWarnings } from './warnings.js';

function warnings(doc: Record<string, unknown>): string[] {
  return configWarnings(valid(doc)).map((w) => `${formatPath(w.path)}: ${w.message}`);
}

describe('config warnings', () => {
  it('has nothing to say about a plain setup', () => {
    assert.deepEqual(warnings(configDoc({ sensors: [sensor('lpg'), sensor('tank'), sensor('leak')], outputs: { buzzer: { gpio: 18 } } })), []);
  });

  it('says an MQ-6 is supplementary, not a listed gas alarm', () => {
    const [only, ...rest] = warnings(configDoc({ sensors: [sensor('gas')] }));
    assert.deepEqual(rest, []);
    assert.match(only ?? '', /^sensors\[0\]: an MQ-6 is a supplementary gas sniffer, not a listed gas alarm \(UL 1484 \/ EN 50194\)/);
  });

  it('warns about a line that doubles as a bus pin the config does not use', () => {
    const [only] = warnings(configDoc({ sensors: [sensor('leak', { source: { driver: 'contact', gpio: 2 } })] }));
    assert.match(only ?? '', /^sensors\[0\]\.source\.gpio: GPIO2 \(pin 3\) is also i2c SDA/);
    const [pin] = warnings(configDoc({ outputs: { ledRed: { headerPin: 10 } } }));
    assert.match(pin ?? '', /^outputs\.ledRed\.headerPin: GPIO15 \(pin 10\) is also uart RXD/);
  });

  it('warns about GPIO4 when DS18B20 thermometers use 1-Wire', () => {
    const lines = warnings(configDoc({ sensors: [sensor('temperature')], outputs: { buzzer: { gpio: 4 } } }));
    assert.deepEqual(lines, [
      'outputs.buzzer.gpio: GPIO4 (pin 7) is the default 1-Wire pin the DS18B20 sensors use (dtoverlay=w1-gpio): use another line unless you moved 1-Wire',
    ]);
  });

  it('warns when a full tank would be inside the ultrasonic blind zone', () => {
    const level = { ...SENSORS.tank.level, mountHeightMm: 1110 };
    const [only] = warnings(configDoc({ sensors: [sensor('tank', { level })] }));
    assert.match(only ?? '', /^sensors\[0\]\.level\.mountHeightMm: a full tank comes within 10 mm of the sensor, inside its 30 mm blind zone/);
  });

  it('warns about a Wi-Fi node no MQTT user may publish for, and about an open broker', () => {
    assert.match(warnings(configDoc({ sensors: [sensor('wifi')] }))[0] ?? '', /no MQTT user may publish for node "garden-node"/);
    const users = [{ username: 'node', passwordHash: scryptHash('pw'), nodes: ['garden-node'] }];
    assert.deepEqual(warnings(configDoc({ sensors: [sensor('wifi')], mqtt: { users } })), []);
    assert.match(warnings(configDoc({ mqtt: { allowAnonymous: true } }))[0] ?? '', /^mqtt\.allowAnonymous: anyone who reaches 0\.0\.0\.0:1883 can publish fake sensor values/);
    assert.deepEqual(warnings(configDoc({ mqtt: { allowAnonymous: true, host: '127.0.0.1' } })), []);
  });

  it('warns about ACL rules that cannot do what they seem to', () => {
    const users = [{ username: 'z', passwordHash: scryptHash('pw'), topics: ['readwrite devices/%u/#', 'read zigbee2mqtt/#'] }];
    assert.deepEqual(warnings(configDoc({ mqtt: { users, anonymousTopics: ['read public/#'] } })), [
      'mqtt.users[0].topics[0]: "devices/%u/#" is taken literally: %u and %c are substituted only in mqtt.patterns (as in Mosquitto)',
      'mqtt.anonymousTopics: has no effect while allowAnonymous is false: no client connects without a user name',
    ]);
    assert.deepEqual(warnings(configDoc({ mqtt: { users: [], patterns: ['readwrite devices/%u/#'], allowAnonymous: true, host: '127.0.0.1', anonymousTopics: ['read public/#'] } })), []);
  });
});
