import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEnvOverrides, RESERVED_ENV, screamingSnake } from './env-overrides.js';
import { formatPath } from './issues.js';
import { gatewayConfigSchema } from './schema.js';
import { configDoc, sensor } from './test-support/configs.js';

const doc = configDoc({ sensors: [sensor('lpg'), sensor('tank'), sensor('gas')], mqtt: { users: [] } });

function apply(env: Record<string, string>, base = doc) {
  return applyEnvOverrides(base, env, gatewayConfigSchema);
}

describe('environment overrides', () => {
  it('spells keys in SCREAMING_SNAKE_CASE', () => {
    assert.equal(screamingSnake('batchMaxRows'), 'BATCH_MAX_ROWS');
    assert.equal(screamingSnake('i2cBus'), 'I2C_BUS');
    assert.equal(screamingSnake('w1Root'), 'W1_ROOT');
    assert.equal(screamingSnake('roof-tank'), 'ROOF_TANK');
  });

  it('sets nested keys, reading numbers and booleans as YAML does', () => {
    const result = apply({
      EASYGAS_MQTT_PORT: '1884',
      EASYGAS_STORE_BATCH_MAX_ROWS: '100',
      EASYGAS_CLOUD_ENABLED: 'true',
      EASYGAS_LOG_PRETTY: 'auto',
      EASYGAS_HARDWARE_I2C_BUS: '3',
    });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.doc.mqtt, { users: [], port: 1884 });
    assert.deepEqual(result.doc.store, { batchMaxRows: 100 });
    assert.deepEqual(result.doc.cloud, { enabled: true });
    assert.deepEqual(result.doc.log, { pretty: 'auto' });
    assert.deepEqual(result.doc.hardware, { i2cBus: 3 });
    assert.deepEqual(
      result.applied.map((o) => [o.name, formatPath(o.path)]),
      [
        ['EASYGAS_CLOUD_ENABLED', 'cloud.enabled'],
        ['EASYGAS_HARDWARE_I2C_BUS', 'hardware.i2cBus'],
        ['EASYGAS_LOG_PRETTY', 'log.pretty'],
        ['EASYGAS_MQTT_PORT', 'mqtt.port'],
        ['EASYGAS_STORE_BATCH_MAX_ROWS', 'store.batchMaxRows'],
      ],
    );
  });

  it('leaves the document it was given untouched', () => {
    const before = structuredClone(doc);
    apply({ EASYGAS_MQTT_PORT: '1884', EASYGAS_SENSORS_LPG_INTERVAL: '5s' });
    assert.deepEqual(doc, before);
  });

  it('finds list items by id (dashes as underscores) or by index', () => {
    const result = apply({ EASYGAS_SENSORS_LPG_INTERVAL: '5s', EASYGAS_SENSORS_ROOF_TANK_NAME: 'Tank', EASYGAS_SENSORS_2_INTERVAL: '1s' });
    assert.deepEqual(result.issues, []);
    const sensors = result.doc.sensors as Record<string, unknown>[];
    assert.equal(sensors[0]?.interval, '5s');
    assert.equal(sensors[1]?.name, 'Tank');
    assert.equal(sensors[2]?.interval, '1s');
  });

  it('reaches into the driver’s own keys and into blocks the file leaves out', () => {
    const result = apply({
      EASYGAS_SENSORS_LPG_SOURCE_ADDRESS: '0x49',
      EASYGAS_SENSORS_ROOF_TANK_SOURCE_BAUD_RATE: '19200',
      EASYGAS_SENSORS_KITCHEN_GAS_RULES_GAS_ALARM_LEL: '20',
      EASYGAS_OUTPUTS_LED_GREEN_GPIO: '23',
    });
    assert.deepEqual(result.issues, []);
    const sensors = result.doc.sensors as { source: Record<string, unknown>; rules?: unknown }[];
    assert.equal(sensors[0]?.source.address, 0x49);
    assert.equal(sensors[1]?.source.baudRate, 19200);
    assert.deepEqual(sensors[2]?.rules, { gas: { alarmLel: 20 } });
    assert.deepEqual(result.doc.outputs, { ledGreen: { gpio: 23 } });
  });

  it('keeps text as text for keys that take text', () => {
    const result = apply({ EASYGAS_API_PASSWORD: '01234567', EASYGAS_GATEWAY_NAME: 'true: home', EASYGAS_SENSORS_LPG_SOURCE_INPUT: 'AIN1' });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.doc.api, { password: '01234567' });
    assert.deepEqual(result.doc.gateway, { name: 'true: home' });
  });

  it('takes a flow YAML value for a whole block or list', () => {
    const result = apply({ EASYGAS_SENSORS_LPG_RULES_SUDDEN_DROP: 'false', EASYGAS_MQTT_USERS: '[{ username: ha, passwordHash: x }]' });
    assert.deepEqual(result.issues, []);
    assert.equal((result.doc.sensors as { rules?: { suddenDrop?: unknown } }[])[0]?.rules?.suddenDrop, false);
    assert.deepEqual((result.doc.mqtt as { users: unknown }).users, [{ username: 'ha', passwordHash: 'x' }]);
  });

  it('lists every variable that names nothing, with a suggestion', () => {
    const result = apply({ EASYGAS_MQTT_PROT: '1884', EASYGAS_TELEMETRY: 'on', EASYGAS_SENSORS_NOPE_INTERVAL: '1s', EASYGAS_SENSORS_7_INTERVAL: '1s' });
    assert.equal(result.applied.length, 0);
    const messages = result.issues.map((i) => `${i.envVar ?? ''} | ${i.path} | ${i.message}`);
    assert.deepEqual(messages, [
      'EASYGAS_MQTT_PROT |  | environment variable EASYGAS_MQTT_PROT matches no config setting — did you mean EASYGAS_MQTT_PORT?',
      'EASYGAS_SENSORS_7_INTERVAL | sensors[7].interval | there is no sensors[7]: the file lists 3 (from EASYGAS_SENSORS_7_INTERVAL)',
      'EASYGAS_SENSORS_NOPE_INTERVAL |  | environment variable EASYGAS_SENSORS_NOPE_INTERVAL matches no config setting — did you mean EASYGAS_SENSORS_LPG_INTERVAL?',
      'EASYGAS_TELEMETRY |  | environment variable EASYGAS_TELEMETRY matches no config setting',
    ]);
    assert.ok(result.issues.every((i) => i.code === 'EASYGAS_ENV_OVERRIDE_UNKNOWN'));
  });

  it('leaves the CLI’s own variables and other programs’ variables alone', () => {
    const result = apply({ EASYGAS_CONFIG: '/tmp/x.yaml', EASYGAS_DATA_DIR: '/tmp/data', PATH: '/usr/bin', HOME: '/root' });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.applied, []);
    assert.deepEqual(RESERVED_ENV, ['EASYGAS_CONFIG', 'EASYGAS_DATA_DIR']);
  });

  it('calls a name that could mean two keys ambiguous rather than guess', () => {
    // A sensor whose id spells another sensor's key path: "lpg-name" vs lpg + name.
    const tricky = configDoc({ sensors: [sensor('lpg'), sensor('leak', { id: 'lpg-name' })] });
    const result = apply({ EASYGAS_SENSORS_LPG_NAME: 'x' }, tricky);
    assert.equal(result.applied.length, 0);
    assert.match(result.issues[0]?.message ?? '', /ambiguous: it could set sensors\[0\]\.name or sensors\[1\]/);
  });
});
