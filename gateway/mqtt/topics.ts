/**
 * The gateway's MQTT topic layout, built and parsed in one place (README "MQTT"):
 *
 *   <base>/<gw>/status                          online | offline (retained; the last will)
 *   <base>/<gw>/alarm                           every active alarm, one JSON (retained)
 *   <base>/<gw>/events                          alarm, fault and command events (not retained)
 *   <base>/<gw>/commands/silence | test         commands in (never retained)
 *   <base>/<gw>/sensors/<id>/state              the latest reading, JSON (retained)
 *   <base>/<gw>/sensors/<id>/availability       online | offline: has a current value (retained)
 *   <base>/<gw>/sensors/<id>/alarms/<condition> one alarm, JSON (retained)
 *   <base>/nodes/<node>[/<unit>]/reading        Wi-Fi sensor nodes publish here
 *   <prefix>/<component>/easygas_<gw>/<object>/config   Home Assistant discovery
 *   <prefix>/status                             Home Assistant's birth and last will
 */
import type { ConditionKind } from '../pipeline/types.js';

export const COMMANDS = ['silence', 'test'] as const;
export type CommandName = (typeof COMMANDS)[number];

export type DiscoveryComponent = 'sensor' | 'binary_sensor' | 'button';

export interface TopicOptions {
  readonly baseTopic: string;
  readonly gatewayId: string;
  readonly discoveryPrefix: string;
}

/** Node and unit ids as the config allows them (slugs). */
const ID_RE = /^[a-z0-9][a-z0-9_-]*$/;

export class MqttTopics {
  readonly base: string;
  readonly gatewayId: string;
  readonly discoveryPrefix: string;
  /** <base>/<gw>: everything this gateway publishes lives under it. */
  readonly root: string;
  readonly status: string;
  readonly alarmSummary: string;
  readonly events: string;
  readonly commandFilter: string;
  /** Where every Wi-Fi node publishes: <base>/nodes. */
  readonly nodesRoot: string;
  readonly nodeFilters: readonly string[];
  readonly haStatus: string;
  /** The node_id level of the discovery topics, and the prefix of every unique_id. */
  readonly haNodeId: string;

  constructor(options: TopicOptions) {
    this.base = options.baseTopic;
    this.gatewayId = options.gatewayId;
    this.discoveryPrefix = options.discoveryPrefix;
    this.root = `${this.base}/${this.gatewayId}`;
    this.status = `${this.root}/status`;
    this.alarmSummary = `${this.root}/alarm`;
    this.events = `${this.root}/events`;
    this.commandFilter = `${this.root}/commands/+`;
    this.nodesRoot = `${this.base}/nodes`;
    this.nodeFilters = [`${this.nodesRoot}/+/reading`, `${this.nodesRoot}/+/+/reading`];
    this.haStatus = `${this.discoveryPrefix}/status`;
    this.haNodeId = `easygas_${this.gatewayId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  }

  command(name: CommandName): string {
    return `${this.root}/commands/${name}`;
  }

  sensorState(sensorId: string): string {
    return `${this.root}/sensors/${sensorId}/state`;
  }

  sensorAvailability(sensorId: string): string {
    return `${this.root}/sensors/${sensorId}/availability`;
  }

  sensorAlarm(sensorId: string, condition: ConditionKind): string {
    return `${this.root}/sensors/${sensorId}/alarms/${condition}`;
  }

  /** Everything one node may publish (its ACL). */
  nodeTree(node: string): string {
    return `${this.nodesRoot}/${node}/#`;
  }

  nodeReading(node: string, unit?: string): string {
    return unit === undefined ? `${this.nodesRoot}/${node}/reading` : `${this.nodesRoot}/${node}/${unit}/reading`;
  }

  discovery(component: DiscoveryComponent, objectId: string): string {
    return `${this.discoveryPrefix}/${component}/${this.haNodeId}/${objectId}/config`;
  }

  /** <base>/nodes/<node>[/<unit>]/reading → its node and unit; undefined for any other topic. */
  parseNodeReading(topic: string): { readonly node: string; readonly unit?: string } | undefined {
    const prefix = `${this.nodesRoot}/`;
    if (!topic.startsWith(prefix) || !topic.endsWith('/reading')) return undefined;
    const middle = topic.slice(prefix.length, -'/reading'.length).split('/');
    const [node, unit] = middle;
    if (node === undefined || !ID_RE.test(node) || middle.length > 2) return undefined;
    if (unit === undefined) return { node };
    return ID_RE.test(unit) ? { node, unit } : undefined;
  }

  /** <base>/<gw>/commands/<name> → the command; undefined for anything else. */
  parseCommand(topic: string): CommandName | undefined {
    const prefix = `${this.root}/commands/`;
    if (!topic.startsWith(prefix)) return undefined;
    const name = topic.slice(prefix.length);
    return (COMMANDS as readonly string[]).includes(name) ? (name as CommandName) : undefined;
  }
}
