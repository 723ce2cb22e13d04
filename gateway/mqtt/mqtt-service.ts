/**
 * What the daemon composes: an MQTT service it starts after protection is running
 * and stops before the store closes. Two implementations sit behind it (the
 * embedded aedes broker, an external broker over mqtt.js) — the same service over a
 * different MqttLink. The daemon hands it narrow views of the hub and the alarms.
 */
import type { Clock } from '../../hardware/clock.js';
import type { ActiveAlarm, AlarmBook, AlarmChange } from '../alarms/alarm-book.js';
import type { RawSample } from '../pipeline/types.js';
import type { HubConsumer, SensorSnapshot } from '../sampling/sensor-hub.js';
import type { LinkStatus } from './mqtt-link.js';
import type { NodeReadingStats } from './node-readings.js';
import type { PublishQueueStats } from './publish-queue.js';
import type { CommandName } from './topics.js';

/** The sensor hub as MQTT sees it (SensorHub satisfies it). */
export interface GatewayFeed {
  snapshots(): readonly SensorSnapshot[];
  snapshot(sensorId: string): SensorSnapshot | undefined;
  addConsumer(consumer: HubConsumer): () => void;
  /** Wi-Fi node samples go in exactly like a poller's. */
  ingest(sample: RawSample): void;
}

/** The alarms as MQTT sees them (AlarmController satisfies it). */
export interface AlarmControl {
  readonly book: AlarmBook;
  onChange(listener: (changes: readonly AlarmChange[]) => void): () => void;
  silence(): { readonly silenced: readonly ActiveAlarm[]; readonly refused: readonly ActiveAlarm[] };
  test(): void;
}

export interface MqttStats {
  readonly mode: 'embedded' | 'external';
  readonly link: LinkStatus;
  readonly publish: PublishQueueStats;
  readonly nodes: NodeReadingStats;
  readonly commands: Readonly<Record<CommandName | 'ignored', number>>;
  readonly discovery: {
    /** Discovery configs handed to the broker (every entity, each time). */
    readonly published: number;
    /** Topics cleared because their entity or sensor left the config. */
    readonly removed: number;
    /** Times Home Assistant announced itself and got discovery again. */
    readonly homeAssistantOnline: number;
  };
}

export interface MqttService {
  readonly mode: 'embedded' | 'external';
  /** Never rejects; resolves once the first listen or connect attempt is over. */
  start(): Promise<void>;
  /** Publishes offline (a clean stop) and closes; bounded in time. */
  stop(): Promise<void>;
  stats(): MqttStats;
}

/** What the daemon hands to the MQTT side once its hub and alarms exist. */
export interface MqttParts {
  readonly hub: GatewayFeed;
  readonly alarms: AlarmControl;
  /** The daemon's clock: Wi-Fi node samples are stamped on it, like wired ones. */
  readonly clock: Clock;
  readonly clockSynced: () => boolean;
}

/** Builds the service (a composition root decides embedded or external). */
export type MqttFactory = (parts: MqttParts) => MqttService;
