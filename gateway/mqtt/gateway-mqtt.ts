/**
 * The gateway's MQTT service over either link: it listens to the hub (after the
 * alarms have been told) and to the alarm book, and publishes retained states,
 * availability, alarms and Home Assistant discovery, plus events; it takes commands
 * and Wi-Fi node readings in. Every hub callback only queues work, so nothing on
 * the alarm path ever waits for MQTT.
 *
 * After a restart the retained states of the previous run stay as they were until
 * a sensor's first fresh result (no "unavailable" flash in Home Assistant), and a
 * sensor's alarm entities are published only once fresh data has decided them.
 */
import type { Clock } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { AlarmChange } from '../alarms/alarm-book.js';
import { alarmKey } from '../alarms/alarm-book.js';
import type { Health, Reading } from '../pipeline/types.js';
import type { SensorSnapshot } from '../sampling/sensor-hub.js';
import { LogThrottle } from '../system/log-throttle.js';
import { discoveryMessages, ownedRetainedTopics, type DiscoveryInput, type DiscoverySensor } from './discovery.js';
import type { LinkMessage, MqttLink } from './mqtt-link.js';
import type { AlarmControl, GatewayFeed, MqttService, MqttStats } from './mqtt-service.js';
import type { NodeReadings } from './node-readings.js';
import {
  OFFLINE,
  ONLINE,
  alarmEventPayload,
  alarmPayload,
  alarmSummaryPayload,
  availabilityPayload,
  commandEventPayload,
  healthEventPayload,
  isEventworthy,
  sensorStatePayload,
  type CommandOutcome,
} from './payloads.js';
import { PublishQueue } from './publish-queue.js';
import { readLedger, staleTopics, writeLedger } from './retained-ledger.js';
import { StateThrottle } from './state-throttle.js';
import type { CommandName } from './topics.js';

export interface GatewayMqttOptions {
  readonly link: MqttLink;
  readonly discovery: DiscoveryInput;
  readonly nodes: NodeReadings;
  readonly hub: GatewayFeed;
  readonly alarms: AlarmControl;
  /** The daemon's clock: event timestamps. */
  readonly clock: Clock;
  /** Real time for throttles and the stop timeout (the daemon's clock may be simulated). */
  readonly timers: Clock;
  readonly logger: Logger;
  /** <dataDir>/mqtt-topics.json; undefined: nothing is remembered or removed. */
  readonly ledgerPath?: string;
  /** Minimum time between two state publishes of one sensor (default 1 s). */
  readonly stateIntervalMs?: number;
  /** Default: what the link allows. */
  readonly maxInFlight?: number;
  /** How long a stop waits for the offline status to go out (default 3 s). */
  readonly stopTimeoutMs?: number;
}

export class GatewayMqtt implements MqttService {
  readonly mode: 'embedded' | 'external';
  readonly #o: GatewayMqttOptions;
  readonly #queue: PublishQueue;
  readonly #throttle: StateThrottle;
  readonly #log: LogThrottle;
  readonly #sensors: ReadonlyMap<string, DiscoverySensor>;
  /** Sensors whose alarms fresh data has decided since start. */
  readonly #evaluated = new Set<string>();
  readonly #availability = new Map<string, string>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #commands = { silence: 0, test: 0, ignored: 0 };
  readonly #discovery = { published: 0, removed: 0, homeAssistantOnline: 0 };
  #summaryKnown = false;
  #ledgerWritten = false;
  #running = false;

  constructor(options: GatewayMqttOptions) {
    this.#o = options;
    this.mode = options.link.mode;
    this.#sensors = new Map(options.discovery.sensors.map((s) => [s.id, s]));
    this.#log = new LogThrottle(10 * 60_000, () => options.timers.monotonic());
    this.#queue = new PublishQueue({
      send: options.link.send,
      maxInFlight: options.maxInFlight ?? options.link.maxInFlight,
      onFailure: (err, message) => {
        const suppressed = this.#log.admit('publish');
        if (suppressed !== undefined) options.logger.warn({ err: err.message, topic: message.topic, suppressed }, 'MQTT publish failed (reporting only: alarms are unaffected)');
      },
    });
    this.#throttle = new StateThrottle(options.timers, options.stateIntervalMs ?? 1_000, (id) => this.#publishState(id));
  }

  stats(): MqttStats {
    return {
      mode: this.mode,
      link: this.#o.link.status(),
      publish: this.#queue.stats(),
      nodes: this.#o.nodes.stats(),
      commands: { ...this.#commands },
      discovery: { ...this.#discovery },
    };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const { hub, alarms, link, logger } = this.#o;
    this.#unsubscribe.push(
      hub.addConsumer({
        name: 'mqtt',
        reading: (r) => this.#onReading(r),
        health: (s, previous) => this.#onHealth(s, previous),
      }),
      alarms.onChange((changes) => this.#onAlarmChanges(changes)),
    );
    try {
      await link.start({
        connected: () => this.#onConnected(),
        disconnected: () => this.#queue.close(),
        message: (m) => this.#onMessage(m),
      });
    } catch (err) {
      logger.error({ err }, 'MQTT did not start; sampling and alarms carry on without it');
    }
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#throttle.cancelAll();
    if (this.#queue.isOpen) {
      this.#push(this.#o.discovery.topics.status, OFFLINE, true);
      await this.#within(this.#queue.idle(), this.#o.stopTimeoutMs ?? 3_000);
    }
    this.#queue.close();
    await this.#o.link.stop().catch((err: unknown) => this.#o.logger.error({ err }, 'MQTT did not stop cleanly'));
  }

  #within(promise: Promise<void>, ms: number): Promise<void> {
    const { timers } = this.#o;
    return new Promise((resolve) => {
      const timer = timers.setTimeout(resolve, ms);
      void promise.then(() => {
        timers.clearTimeout(timer);
        resolve();
      });
    });
  }

  #push(topic: string, payload: string, retain: boolean): void {
    this.#queue.push({ topic, payload, retain, qos: 1 });
  }

  // --- the link ---------------------------------------------------------------------

  #onConnected(): void {
    const { topics } = this.#o.discovery;
    this.#queue.open();
    this.#push(topics.status, ONLINE, true);
    this.#publishDiscovery();
    this.#removeStaleTopics();
    // After a reconnect: everything current again (retained topics coalesce in the queue).
    for (const snapshot of this.#o.hub.snapshots()) {
      if (snapshot.reading !== undefined || this.#evaluated.has(snapshot.id)) this.#publishState(snapshot.id, true);
      if (this.#evaluated.has(snapshot.id)) this.#publishAlarms(snapshot.id);
    }
    if (this.#summaryKnown) this.#publishSummary();
  }

  #publishDiscovery(): void {
    for (const message of discoveryMessages(this.#o.discovery)) {
      this.#push(message.topic, JSON.stringify(message.config), true);
      this.#discovery.published++;
    }
  }

  /** Once per run: clear what the previous config published and this one does not. */
  #removeStaleTopics(): void {
    const { ledgerPath, logger } = this.#o;
    if (ledgerPath === undefined || this.#ledgerWritten) return;
    const current = ownedRetainedTopics(this.#o.discovery);
    const stale = staleTopics(readLedger(ledgerPath), current);
    for (const topic of stale) this.#push(topic, '', true);
    this.#discovery.removed += stale.length;
    if (stale.length > 0) logger.info({ topics: stale.length }, `MQTT: removing ${stale.length} retained topics of entities no longer in the config`);
    void this.#queue.idle().then(() => {
      if (!this.#queue.isOpen || this.#ledgerWritten) return; // not all sent: try again on the next connect
      try {
        writeLedger(ledgerPath, current);
        this.#ledgerWritten = true;
      } catch (err) {
        logger.warn({ err, path: ledgerPath }, 'could not remember the MQTT topics published (entities removed from the config may linger in Home Assistant)');
      }
    });
  }

  #onMessage(message: LinkMessage): void {
    const { topics } = this.#o.discovery;
    if (message.topic === topics.haStatus) {
      // Home Assistant (re)started: it has forgotten discovery unless the broker retained it.
      if (!message.replayed && message.payload.toString().trim() === 'online') {
        this.#discovery.homeAssistantOnline++;
        this.#o.logger.info({}, 'Home Assistant is online: publishing discovery and states again');
        this.#onConnected();
      }
      return;
    }
    const command = topics.parseCommand(message.topic);
    if (command !== undefined) {
      this.#command(command, message.replayed);
      return;
    }
    this.#o.nodes.handle(message.topic, message.payload, message.replayed);
  }

  // --- commands ---------------------------------------------------------------------

  #command(name: CommandName, replayed: boolean): void {
    const { alarms, logger, clock, discovery } = this.#o;
    let outcome: CommandOutcome;
    if (replayed) {
      // A retained command would fire again at every restart: never act on one.
      this.#commands.ignored++;
      outcome = { command: name, result: 'ignored', detail: 'a retained command is ignored: publish commands without the retain flag' };
    } else if (name === 'test') {
      this.#commands.test++;
      alarms.test();
      outcome = { command: name, result: 'testing' };
      this.#publishSummary();
    } else {
      this.#commands.silence++;
      const testing = alarms.book.testUntil !== undefined;
      const { silenced, refused } = alarms.silence();
      const result =
        refused.length > 0 ? (silenced.length > 0 ? 'partly_refused' : 'refused') : silenced.length > 0 || testing ? 'silenced' : 'nothing_to_silence';
      outcome = { command: name, result, silenced, refused, ...(testing ? { detail: 'the test alarm was stopped' } : {}) };
    }
    logger.info({ command: name, result: outcome.result }, `MQTT command ${name}: ${outcome.result}`);
    this.#push(discovery.topics.events, commandEventPayload(outcome, clock.now()), false);
  }

  // --- the hub and the alarms ---------------------------------------------------------

  #onReading(reading: Reading): void {
    if (reading.quality !== 'warming_up') this.#markEvaluated(reading.sensorId);
    this.#throttle.touch(reading.sensorId);
  }

  #onHealth(snapshot: SensorSnapshot, previous: Health): void {
    this.#throttle.touch(snapshot.id, true);
    this.#push(this.#o.discovery.topics.events, healthEventPayload(snapshot, previous, this.#o.clock.now()), false);
    if (snapshot.health !== 'warming_up') this.#markEvaluated(snapshot.id);
  }

  #markEvaluated(sensorId: string): void {
    if (this.#evaluated.has(sensorId)) return;
    this.#evaluated.add(sensorId);
    this.#publishAlarms(sensorId);
    if (!this.#summaryKnown && this.#evaluated.size >= this.#sensors.size) {
      this.#summaryKnown = true;
      this.#publishSummary();
    }
  }

  #onAlarmChanges(changes: readonly AlarmChange[]): void {
    const { topics } = this.#o.discovery;
    const at = this.#o.clock.now();
    for (const change of changes) {
      if (isEventworthy(change)) this.#push(topics.events, alarmEventPayload(change, at), false);
      const { sensorId, condition } = change.alarm;
      if (this.#sensors.get(sensorId)?.conditions.includes(condition) === true) {
        this.#push(topics.sensorAlarm(sensorId, condition), alarmPayload(sensorId, condition, this.#o.alarms.book.alarms.get(alarmKey(sensorId, condition))), true);
      }
    }
    this.#summaryKnown = true;
    this.#publishSummary();
  }

  #publishState(sensorId: string, replay = false): void {
    const snapshot = this.#o.hub.snapshot(sensorId);
    if (snapshot === undefined) return;
    const { topics } = this.#o.discovery;
    this.#push(topics.sensorState(sensorId), sensorStatePayload(snapshot), true);
    const availability = availabilityPayload(snapshot.health);
    if (replay || this.#availability.get(sensorId) !== availability) {
      this.#availability.set(sensorId, availability);
      this.#push(topics.sensorAvailability(sensorId), availability, true);
    }
  }

  #publishAlarms(sensorId: string): void {
    const sensor = this.#sensors.get(sensorId);
    if (sensor === undefined) return;
    const { topics } = this.#o.discovery;
    const { alarms } = this.#o.alarms.book;
    for (const condition of sensor.conditions) {
      this.#push(topics.sensorAlarm(sensorId, condition), alarmPayload(sensorId, condition, alarms.get(alarmKey(sensorId, condition))), true);
    }
  }

  #publishSummary(): void {
    const { book } = this.#o.alarms;
    this.#push(this.#o.discovery.topics.alarmSummary, alarmSummaryPayload([...book.alarms.values()], book.testUntil !== undefined), true);
  }
}
