/**
 * The daemon rig (the simulated home on a manual clock) with MQTT on: the example
 * config plus Wi-Fi node sensors and three users — Home Assistant, and two node
 * users — on an ephemeral port. For scenario tests with the real mosquitto clients.
 */
import { startRig, sensorDoc, type Rig, type RigOptions } from '../../app/test-support/daemon-rig.js';
import { hashPassword } from '../password-hash.js';
import { MqttTopics } from '../topics.js';

export const HA = { user: 'homeassistant', password: 'ha-secret' } as const;
export const GARAGE = { user: 'garage-node', password: 'garage-secret' } as const;
export const ATTIC = { user: 'attic-node', password: 'attic-secret' } as const;

/** Cheap hashes for tests (2^10); production hashes use 2^15. */
const FAST = { ln: 10, r: 8, p: 1 };

/** Wi-Fi node sensors added to the example config. */
export const NODE_SENSORS = [
  { id: 'garage-temp', name: 'Garage thermometer', kind: 'temperature', interval: '10s', source: { driver: 'mqtt', node: 'garage' } },
  // A node with two sensors, told apart by unit.
  { id: 'garage-leak', name: 'Garage floor', kind: 'leak', interval: '10s', source: { driver: 'mqtt', node: 'garage', unit: 'floor' } },
  { id: 'garage-freezer', name: 'Garage freezer', kind: 'temperature', interval: '10s', source: { driver: 'mqtt', node: 'garage', unit: 'freezer' } },
  // A gas node that sends %LEL itself (no calibration).
  { id: 'attic-gas', name: 'Attic gas', kind: 'gas', interval: '10s', source: { driver: 'mqtt', node: 'attic' } },
] as const;

export async function mqttUsers(): Promise<Record<string, unknown>[]> {
  return [
    { username: HA.user, passwordHash: await hashPassword(HA.password, FAST), nodes: [] },
    { username: GARAGE.user, passwordHash: await hashPassword(GARAGE.password, FAST), nodes: ['garage'] },
    { username: ATTIC.user, passwordHash: await hashPassword(ATTIC.password, FAST), nodes: ['attic'] },
  ];
}

export interface MqttRig extends Rig {
  readonly port: number;
  readonly topics: MqttTopics;
}

export interface MqttRigOptions extends RigOptions {
  /** Extra edits after the MQTT ones. */
  readonly patchMore?: (doc: Record<string, unknown>) => void;
  readonly users?: Record<string, unknown>[];
  /** The whole mqtt section instead of the example's with the test users (external mode). */
  readonly mqttSection?: Record<string, unknown>;
}

export async function startMqttRig(options: MqttRigOptions = {}): Promise<MqttRig> {
  const users = options.mqttSection !== undefined ? [] : (options.users ?? (await mqttUsers()));
  const rig = await startRig({
    mqtt: {},
    ...options,
    patch: (doc) => {
      options.patch?.(doc);
      (doc.sensors as unknown[]).push(...NODE_SENSORS.map((s) => structuredClone(s)));
      doc.mqtt = options.mqttSection ?? { ...(doc.mqtt as Record<string, unknown>), users };
      options.patchMore?.(doc);
    },
  });
  await rig.daemon.mqttReady();
  const url = rig.daemon.mqtt?.stats().link.url;
  const port = url === undefined ? 0 : Number(new URL(url).port);
  const topics = new MqttTopics({ baseTopic: rig.config.mqtt.baseTopic, gatewayId: options.mqtt?.gatewayId ?? 'rig', discoveryPrefix: rig.config.mqtt.discoveryPrefix });
  return Object.assign(rig, { port, topics });
}

export { sensorDoc };

/** Users of the home broker tests: the rig's, plus ACL users with Mosquitto-style topic rights. */
export const Z2M = { user: 'zigbee2mqtt', password: 'z2m-secret' } as const;
export const TESTER = { user: 'tester', password: 'tester-secret' } as const;
export const OBSERVER = { user: 'observer', password: 'observer-secret' } as const;

/**
 * The rig with the embedded broker as a home's broker: Zigbee2MQTT's user, Home
 * Assistant allowed its topics, a `tester` owning test/#, an `observer` reading
 * everything ($SYS included), and patterns for every client.
 */
export async function startHomeBrokerRig(): Promise<MqttRig> {
  const users = await mqttUsers();
  const ha = users.find((u) => u.username === HA.user);
  if (ha !== undefined) ha.topics = ['readwrite zigbee2mqtt/#', 'deny zigbee2mqtt/bridge/request/#'];
  users.push(
    { username: Z2M.user, passwordHash: await hashPassword(Z2M.password, FAST), topics: ['readwrite zigbee2mqtt/#', 'write homeassistant/#', 'read homeassistant/status'] },
    { username: TESTER.user, passwordHash: await hashPassword(TESTER.password, FAST), topics: ['readwrite test/#'] },
    { username: OBSERVER.user, passwordHash: await hashPassword(OBSERVER.password, FAST), topics: ['read #', 'read $SYS/#'] },
  );
  return startMqttRig({
    users,
    patchMore: (doc) => {
      (doc.mqtt as Record<string, unknown>).patterns = ['readwrite devices/%u/#', 'write clients/%c/status'];
    },
  });
}
