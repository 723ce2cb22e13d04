/**
 * Things in a valid config that still deserve a word: a line that doubles as a bus
 * pin, an MQ-6 (supplementary, not a listed alarm), a Wi-Fi node nobody may publish
 * for. They never stop the daemon; `easygas config check` prints them.
 */
import { lineConflictWarning, specialFunctionsOf } from '../../hardware/gpio/header-pins.js';
import type { RawIssue } from './issues.js';
import { namesSubstitution } from './schema/mqtt-acl.js';
import type { GatewayConfig } from './schema.js';
import type { PathKey } from './schema-walk.js';

interface UsedLine {
  readonly line: number;
  readonly path: readonly PathKey[];
}

function usedLines(config: GatewayConfig): UsedLine[] {
  const used: UsedLine[] = [];
  config.sensors.forEach((sensor, i) => {
    if (sensor.source.driver === 'contact') {
      used.push({ line: sensor.source.gpio, path: ['sensors', i, 'source', sensor.source.headerPin === undefined ? 'gpio' : 'headerPin'] });
    }
  });
  for (const [name, output] of Object.entries(config.outputs)) {
    if (output !== undefined) used.push({ line: output.gpio, path: ['outputs', name, output.headerPin === undefined ? 'gpio' : 'headerPin'] });
  }
  return used;
}

function lineWarnings(config: GatewayConfig, out: RawIssue[]): void {
  // Lines the schema already refused (I2C or UART in use) never reach here.
  const oneWire = config.sensors.some((s) => s.source.driver === 'ds18b20');
  for (const { line, path } of usedLines(config)) {
    if (specialFunctionsOf(line).length === 0) continue;
    if (line === 4 && oneWire) {
      out.push({ path, message: 'GPIO4 (pin 7) is the default 1-Wire pin the DS18B20 sensors use (dtoverlay=w1-gpio): use another line unless you moved 1-Wire' });
      continue;
    }
    const message = lineConflictWarning(line);
    if (message !== undefined) out.push({ path, message });
  }
}

function sensorWarnings(config: GatewayConfig, out: RawIssue[]): void {
  config.sensors.forEach((sensor, i) => {
    if (sensor.source.driver === 'mq6') {
      out.push({
        path: ['sensors', i],
        message:
          'an MQ-6 is a supplementary gas sniffer, not a listed gas alarm (UL 1484 / EN 50194): keep a certified LPG detector in this room too',
      });
    }
    const level = sensor.level;
    if (level?.measures === 'distance_mm' && level.mountHeightMm !== undefined && 'heightMm' in level.tank) {
      const closest = level.mountHeightMm - level.tank.heightMm;
      const blind = level.blindZoneMm ?? 0;
      if (closest < blind) {
        out.push({
          path: ['sensors', i, 'level', 'mountHeightMm'],
          message: `a full tank comes within ${closest} mm of the sensor, inside its ${blind} mm blind zone: levels near full cannot be measured; mount it higher`,
        });
      }
    }
  });
}

function aclWarnings(mqtt: GatewayConfig['mqtt'], out: RawIssue[]): void {
  mqtt.users.forEach((user, u) =>
    user.topics?.forEach((rule, i) => {
      if (namesSubstitution(rule)) {
        out.push({ path: ['mqtt', 'users', u, 'topics', i], message: `"${rule.topic}" is taken literally: %u and %c are substituted only in mqtt.patterns (as in Mosquitto)` });
      }
    }),
  );
  if (!mqtt.allowAnonymous && mqtt.anonymousTopics.length > 0) {
    out.push({ path: ['mqtt', 'anonymousTopics'], message: 'has no effect while allowAnonymous is false: no client connects without a user name' });
  }
}

function mqttWarnings(config: GatewayConfig, out: RawIssue[]): void {
  const { mqtt } = config;
  if (mqtt.mode !== 'embedded') return;
  aclWarnings(mqtt, out);
  if (mqtt.allowAnonymous && !['127.0.0.1', 'localhost', '::1'].includes(mqtt.host)) {
    out.push({
      path: ['mqtt', 'allowAnonymous'],
      message: `anyone who reaches ${mqtt.host}:${mqtt.port} can publish fake sensor values: add users with passwordHash and set this to false`,
    });
    return;
  }
  if (mqtt.allowAnonymous) return;
  const permitted = new Set(mqtt.users.flatMap((u) => u.nodes ?? []));
  config.sensors.forEach((sensor, i) => {
    if (sensor.source.driver === 'mqtt' && !permitted.has(sensor.source.node)) {
      out.push({
        path: ['sensors', i, 'source', 'node'],
        message: `no MQTT user may publish for node "${sensor.source.node}": add it to a user's nodes: list in mqtt.users`,
      });
    }
  });
}

/** Every warning for a config that passed validation, in file order of sections. */
export function configWarnings(config: GatewayConfig): RawIssue[] {
  const out: RawIssue[] = [];
  sensorWarnings(config, out);
  lineWarnings(config, out);
  mqttWarnings(config, out);
  return out;
}
