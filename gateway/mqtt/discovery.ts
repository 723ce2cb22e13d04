/**
 * Home Assistant MQTT discovery (HARDWARE.md): one device for the gateway (its alarm
 * summary and the silence/test buttons) and one per sensor (via the gateway), each
 * entity retained under <prefix>/<component>/easygas_<gw>/<object>/config with a
 * unique_id, its device block and an availability list in mode "all":
 * the gateway's status, plus the sensor's own availability for entities that show
 * a measured value. Alarm, health and fault entities follow the gateway only, so a
 * disconnected sniffer still shows its fault. Pure: config in, messages out.
 */
import type { SensorConfig } from '../config/schema.js';
import type { ConditionKind, SensorKind } from '../pipeline/types.js';
import { ONLINE, OFFLINE } from './payloads.js';
import type { DiscoveryComponent, MqttTopics } from './topics.js';

/** What discovery needs to know about a sensor. */
export interface DiscoverySensor {
  readonly id: string;
  readonly name: string;
  readonly kind: SensorKind;
  /** The device's model line, e.g. "MQ-6 on ADS1115 0x48 AIN1". */
  readonly model: string;
  readonly hasLitres: boolean;
  readonly hasPpm: boolean;
  /** The raw value is a distance in mm (an ultrasonic sensor with no calibration). */
  readonly hasDistance: boolean;
  readonly conditions: readonly ConditionKind[];
}

export interface DiscoveryInput {
  readonly topics: MqttTopics;
  readonly gatewayName: string;
  readonly version: string;
  readonly sensors: readonly DiscoverySensor[];
}

export interface DiscoveryMessage {
  readonly topic: string;
  readonly config: Readonly<Record<string, unknown>>;
}

const RULE_CONDITIONS = [
  ['lowLevel', 'low_level'],
  ['suddenDrop', 'sudden_drop'],
  ['leakWatch', 'possible_leak'],
  ['gas', 'gas'],
  ['leak', 'water_leak'],
  ['sensorFault', 'sensor_fault'],
] as const;

function modelOf(sensor: SensorConfig): string {
  const { source } = sensor;
  const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
  switch (source.driver) {
    case 'ads1115':
      return `ADS1115 ${hex(source.address)} ${source.input}`;
    case 'mq6':
      return `MQ-6 on ADS1115 ${hex(source.address)} ${source.input}`;
    case 'ultrasonic':
      return `${source.model} ultrasonic on ${source.port}`;
    case 'contact':
      return `Leak contact on GPIO${source.gpio}`;
    case 'ds18b20':
      return `DS18B20 ${source.id}`;
    case 'mqtt':
      return `Wi-Fi node ${source.node}${source.unit === undefined ? '' : `/${source.unit}`}`;
  }
}

export function discoverySensor(sensor: SensorConfig): DiscoverySensor {
  return {
    id: sensor.id,
    name: sensor.name,
    kind: sensor.kind,
    model: modelOf(sensor),
    hasLitres: sensor.kind === 'level' && sensor.level !== undefined,
    hasPpm: sensor.calibration.type === 'mq6',
    hasDistance: sensor.level?.measures === 'distance_mm' && sensor.calibration.type === 'identity',
    conditions: RULE_CONDITIONS.filter(([rule]) => sensor.rules[rule] !== undefined).map(([, condition]) => condition),
  };
}

/** Alarm entities: the class that says what kind of danger it is. */
const ALARM_ENTITY: Readonly<Record<ConditionKind, { readonly name: string; readonly deviceClass: string }>> = {
  gas: { name: 'Gas alarm', deviceClass: 'gas' },
  water_leak: { name: 'Leak alarm', deviceClass: 'moisture' },
  low_level: { name: 'Low level', deviceClass: 'problem' },
  sudden_drop: { name: 'Sudden drop (possible leak)', deviceClass: 'problem' },
  possible_leak: { name: 'Possible slow leak', deviceClass: 'problem' },
  sensor_fault: { name: 'Sensor fault', deviceClass: 'problem' },
};

const HEALTH_OPTIONS = ['ok', 'warming_up', 'stale', 'disconnected', 'out_of_range', 'stuck', 'noisy'];

type Entity = { readonly component: DiscoveryComponent; readonly objectId: string; readonly config: Record<string, unknown> };

function measured(
  name: string,
  suffix: string,
  template: string,
  extra: Record<string, unknown>,
): { suffix: string; config: Record<string, unknown> } {
  return { suffix, config: { name, value_template: template, state_class: 'measurement', ...extra } };
}

function valueEntities(sensor: DiscoverySensor): { component: DiscoveryComponent; suffix: string; config: Record<string, unknown> }[] {
  const out: { component: DiscoveryComponent; suffix: string; config: Record<string, unknown> }[] = [];
  const sensorEntity = (e: { suffix: string; config: Record<string, unknown> }): void => void out.push({ component: 'sensor', ...e });
  switch (sensor.kind) {
    case 'level':
      // A percentage has no Home Assistant device class; the litres are volume_storage.
      sensorEntity(measured('Level', 'level', '{{ value_json.percent }}', { unit_of_measurement: '%', icon: 'mdi:gauge', suggested_display_precision: 1 }));
      if (sensor.hasLitres) {
        sensorEntity(measured('Contents', 'litres', '{{ value_json.litres }}', { unit_of_measurement: 'L', device_class: 'volume_storage', suggested_display_precision: 0 }));
      }
      if (sensor.hasDistance) {
        sensorEntity(measured('Distance to surface', 'distance', '{{ value_json.raw }}', { unit_of_measurement: 'mm', device_class: 'distance', entity_category: 'diagnostic', suggested_display_precision: 0 }));
      }
      break;
    case 'gas':
      // %LEL has no device class in Home Assistant: none, and the unit says what it is.
      sensorEntity(measured('Gas', 'gas', '{{ value_json.value }}', { unit_of_measurement: '%LEL', icon: 'mdi:gas-cylinder', suggested_display_precision: 1 }));
      if (sensor.hasPpm) {
        sensorEntity(measured('Gas concentration', 'ppm', '{{ value_json.ppm }}', { unit_of_measurement: 'ppm', icon: 'mdi:molecule', suggested_display_precision: 0 }));
      }
      break;
    case 'temperature':
      sensorEntity(measured('Temperature', 'temperature', '{{ value_json.value }}', { unit_of_measurement: '°C', device_class: 'temperature', suggested_display_precision: 1 }));
      break;
    case 'leak':
      out.push({
        component: 'binary_sensor',
        suffix: 'leak',
        config: {
          name: 'Leak',
          device_class: 'moisture',
          value_template: '{% if value_json.value is none %}None{% elif value_json.value >= 1 %}ON{% else %}OFF{% endif %}',
        },
      });
      break;
  }
  return out;
}

export function discoveryMessages(input: DiscoveryInput): DiscoveryMessage[] {
  const { topics, gatewayName, version } = input;
  const node = topics.haNodeId;
  const origin = { name: 'EasyGas Edge', sw_version: version };
  const gatewayDevice = { identifiers: [node], name: gatewayName, manufacturer: 'EasyGas', model: 'EasyGas Edge gateway', sw_version: version };
  const gatewayOnly = { availability: [{ topic: topics.status, payload_available: ONLINE, payload_not_available: OFFLINE }], availability_mode: 'all' };
  const entities: Entity[] = [];

  for (const sensor of input.sensors) {
    const device = { identifiers: [`${node}_${sensor.id}`], name: sensor.name, manufacturer: 'EasyGas', model: sensor.model, via_device: node };
    const withValue = {
      availability: [...gatewayOnly.availability, { topic: topics.sensorAvailability(sensor.id), payload_available: ONLINE, payload_not_available: OFFLINE }],
      availability_mode: 'all',
    };
    const state = topics.sensorState(sensor.id);
    for (const e of valueEntities(sensor)) {
      entities.push({
        component: e.component,
        objectId: `${sensor.id}_${e.suffix}`,
        config: { ...e.config, state_topic: state, json_attributes_topic: state, device, ...withValue },
      });
    }
    entities.push({
      component: 'sensor',
      objectId: `${sensor.id}_health`,
      config: {
        name: 'Health',
        state_topic: state,
        value_template: '{{ value_json.health }}',
        device_class: 'enum',
        options: HEALTH_OPTIONS,
        entity_category: 'diagnostic',
        icon: 'mdi:heart-pulse',
        device,
        ...gatewayOnly,
      },
    });
    for (const condition of sensor.conditions) {
      const alarm = topics.sensorAlarm(sensor.id, condition);
      const { name, deviceClass } = ALARM_ENTITY[condition];
      entities.push({
        component: 'binary_sensor',
        // "_alarm": a gas sensor has a "gas" value entity and a "gas" alarm entity.
        objectId: `${sensor.id}_${condition}_alarm`,
        config: {
          name,
          device_class: deviceClass,
          state_topic: alarm,
          value_template: '{{ value_json.state }}',
          json_attributes_topic: alarm,
          ...(condition === 'sensor_fault' ? { entity_category: 'diagnostic' } : {}),
          device,
          ...gatewayOnly,
        },
      });
    }
  }

  entities.push(
    {
      component: 'binary_sensor',
      objectId: 'alarm',
      config: {
        name: 'Alarm',
        device_class: 'safety',
        state_topic: topics.alarmSummary,
        value_template: '{{ value_json.state }}',
        json_attributes_topic: topics.alarmSummary,
        device: gatewayDevice,
        ...gatewayOnly,
      },
    },
    {
      component: 'button',
      objectId: 'silence',
      config: { name: 'Silence alarm', command_topic: topics.command('silence'), retain: false, icon: 'mdi:volume-off', device: gatewayDevice, ...gatewayOnly },
    },
    {
      component: 'button',
      objectId: 'test',
      config: { name: 'Test alarm', command_topic: topics.command('test'), retain: false, icon: 'mdi:bullhorn', device: gatewayDevice, ...gatewayOnly },
    },
  );

  return entities.map((e) => ({
    topic: topics.discovery(e.component, e.objectId),
    config: { ...e.config, unique_id: `${node}_${e.objectId}`, origin },
  }));
}

/**
 * Every retained topic this config makes the gateway publish: what must be cleared
 * (an empty retained payload) when a later config no longer has it.
 */
export function ownedRetainedTopics(input: DiscoveryInput): string[] {
  const { topics } = input;
  const owned = [topics.status, topics.alarmSummary];
  for (const sensor of input.sensors) {
    owned.push(topics.sensorState(sensor.id), topics.sensorAvailability(sensor.id));
    for (const condition of sensor.conditions) owned.push(topics.sensorAlarm(sensor.id, condition));
  }
  for (const message of discoveryMessages(input)) owned.push(message.topic);
  return owned;
}
