/**
 * The `mqtt:` section → the MQTT service the daemon composes: the embedded aedes
 * broker or an external broker through mqtt.js (none when mode is off), the topic
 * layout with this gateway's id, Home Assistant discovery for the configured
 * sensors, and the Wi-Fi nodes among them.
 *
 * Simulate mode (`npm start`) must work on a machine where Mosquitto holds 1883: a
 * taken port moves to the next free one, and with no users configured the broker
 * listens on 127.0.0.1 only and lets anyone on this machine in.
 */
import { join } from 'node:path';
import type { Clock } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { GatewayConfig } from '../config/schema.js';
import { AccessPolicy } from '../mqtt/access-policy.js';
import { Authenticator } from '../mqtt/broker-auth.js';
import { discoverySensor } from '../mqtt/discovery.js';
import { GatewayMqtt } from '../mqtt/gateway-mqtt.js';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import type { MqttFactory } from '../mqtt/mqtt-service.js';
import { NodeReadings, type NodeSensor } from '../mqtt/node-readings.js';
import { OFFLINE } from '../mqtt/payloads.js';
import { LEDGER_FILE } from '../mqtt/retained-ledger.js';
import { TopicAcl } from '../mqtt/topic-acl.js';
import { MqttTopics } from '../mqtt/topics.js';

export const MQTT_DB_FILE = 'mqtt.db';

export interface MqttWiringOptions {
  readonly config: GatewayConfig;
  readonly gatewayId: string;
  /** Where mqtt.db and mqtt-topics.json live; undefined keeps the broker's state in memory. */
  readonly dataDir?: string;
  readonly version: string;
  readonly logger: Logger;
  /** Real time for network matters (retries, back-off, throttles), even when the daemon's clock is simulated. */
  readonly timers: Clock;
  readonly simulate?: boolean;
  /** Tests and benchmarks: an ephemeral port, quicker retries. */
  readonly overrides?: {
    readonly port?: number;
    readonly websocketPort?: number;
    readonly retryDelaysMs?: readonly number[];
    readonly stateIntervalMs?: number;
    readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
    /** Fault injection: the link the service will use goes through here first. */
    readonly wrapLink?: (link: MqttLink) => MqttLink;
  };
}

export function nodeSensors(config: GatewayConfig): NodeSensor[] {
  return config.sensors.flatMap((s) =>
    s.source.driver === 'mqtt'
      ? [{ sensorId: s.id, kind: s.kind, node: s.source.node, ...(s.source.unit !== undefined ? { unit: s.source.unit } : {}) }]
      : [],
  );
}

/** The ACL of mqtt.users[].topics, anonymousTopics and patterns. */
export function topicAcl(mqtt: GatewayConfig['mqtt']): TopicAcl {
  const users = new Map(mqtt.users.flatMap((u) => (u.topics !== undefined && u.topics.length > 0 ? [[u.username, u.topics] as const] : [])));
  if (users.size === 0 && mqtt.anonymousTopics.length === 0 && mqtt.patterns.length === 0) return TopicAcl.NONE;
  return new TopicAcl({ users, anonymous: mqtt.anonymousTopics, patterns: mqtt.patterns });
}

/**
 * The factory the daemon calls once its hub and alarms exist; undefined when mqtt.mode is off.
 * Only the chosen link's module is loaded (aedes for embedded, mqtt.js for external): the
 * other one would cost a Pi several MB of RSS for nothing.
 */
export async function mqttFactory(options: MqttWiringOptions): Promise<MqttFactory | undefined> {
  const { config, gatewayId, dataDir, version, logger, timers, simulate = false, overrides = {} } = options;
  const mqtt = config.mqtt;
  if (mqtt.mode === 'off') return undefined;
  const links =
    mqtt.mode === 'external'
      ? ({ mode: 'external', ExternalBroker: (await import('../mqtt/external-broker.js')).ExternalBroker } as const)
      : ({ mode: 'embedded', EmbeddedBroker: (await import('../mqtt/embedded-broker.js')).EmbeddedBroker } as const);
  const topics = new MqttTopics({ baseTopic: mqtt.baseTopic, gatewayId, discoveryPrefix: mqtt.discoveryPrefix });
  const discovery = { topics, gatewayName: config.gateway.name, version, sensors: config.sensors.map(discoverySensor) };
  const subscriptions = [...topics.nodeFilters, topics.commandFilter, topics.haStatus];

  return (parts) => {
    const nodes = new NodeReadings({
      sensors: nodeSensors(config),
      topics,
      maxPayloadBytes: mqtt.maxPayloadBytes,
      ingest: (sample) => parts.hub.ingest(sample),
      clock: parts.clock,
      clockSynced: parts.clockSynced,
      logger,
    });
    let link: MqttLink;
    if (links.mode === 'external') {
      link = new links.ExternalBroker({
        url: mqtt.url ?? 'mqtt://127.0.0.1:1883',
        ...(mqtt.username !== undefined ? { username: mqtt.username } : {}),
        ...(mqtt.password !== undefined ? { password: mqtt.password } : {}),
        clientId: `easygas-${gatewayId}`.slice(0, 64),
        will: { topic: topics.status, payload: OFFLINE },
        subscriptions,
        clock: timers,
        logger,
        ...(overrides.backoff !== undefined ? { backoff: overrides.backoff } : {}),
      });
    } else {
      const openToThisMachine = simulate && mqtt.users.length === 0 && !mqtt.allowAnonymous;
      if (openToThisMachine) {
        logger.info({}, 'simulate mode: no MQTT users in the config, so the broker listens on 127.0.0.1 only and lets anyone on this machine in');
      }
      const policy = new AccessPolicy(topics, nodes.nodes, topicAcl(mqtt));
      link = new links.EmbeddedBroker({
        host: openToThisMachine ? '127.0.0.1' : mqtt.host,
        port: overrides.port ?? mqtt.port,
        ...((overrides.websocketPort ?? mqtt.websocketPort) !== undefined ? { websocketPort: overrides.websocketPort ?? mqtt.websocketPort } : {}),
        portInUse: simulate ? 'next_free' : 'retry',
        ...(dataDir !== undefined ? { persistencePath: join(dataDir, MQTT_DB_FILE) } : {}),
        authenticator: new Authenticator({ users: mqtt.users, allowAnonymous: mqtt.allowAnonymous || openToThisMachine }),
        policy,
        maxPayloadBytes: mqtt.maxPayloadBytes,
        subscriptions,
        isNodeReading: (topic) => topics.parseNodeReading(topic) !== undefined,
        onOversized: (topic, bytes) =>
          nodes.refusedByBroker(topic, 'oversized', `${bytes} bytes, more than mqtt.maxPayloadBytes (${mqtt.maxPayloadBytes}); the broker closed the connection`),
        clock: timers,
        logger,
        ...(overrides.retryDelaysMs !== undefined ? { retryDelaysMs: overrides.retryDelaysMs } : {}),
      });
    }
    return new GatewayMqtt({
      link: overrides.wrapLink?.(link) ?? link,
      discovery,
      nodes,
      hub: parts.hub,
      alarms: parts.alarms,
      clock: parts.clock,
      timers,
      logger,
      ...(dataDir !== undefined ? { ledgerPath: join(dataDir, LEDGER_FILE) } : {}),
      ...(overrides.stateIntervalMs !== undefined ? { stateIntervalMs: overrides.stateIntervalMs } : {}),
    });
  };
}
