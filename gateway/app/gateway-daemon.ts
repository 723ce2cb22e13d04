/**
 * The gateway daemon: composes hardware, pollers, the sensor hub, the alarms, the
 * store and MQTT, with zigbee2mqtt's start/stop lifecycle. Start order puts
 * protection first (outputs and alarms before anything can fail on disk or
 * network) and MQTT last, never awaited on the way; stop order publishes MQTT's
 * offline, flushes the open batch and leaves every output off.
 */
import { AlarmController } from '../alarms/alarm-controller.js';
import type { ActiveAlarm, AlarmChange } from '../alarms/alarm-book.js';
import type { GatewayConfig } from '../config/schema.js';
import { toPipelineSpecs } from '../config/pipeline-spec.js';
import type { AppLogger } from '../logging.js';
import type { MqttFactory, MqttService, MqttStats } from '../mqtt/mqtt-service.js';
import { SensorHub, type SensorSnapshot } from '../sampling/sensor-hub.js';
import type { ReadingStore } from '../store/reading-store.js';
import type { SystemEvent } from '../store/records.js';
import type { HardwareKit } from './hardware-kit.js';
import { openOutputs, type OutputStatus, type Outputs } from './outputs.js';
import { buildSensorPollers, type SensorPollers } from './sensor-pollers.js';
import type { SyncComponent, SyncControl, SyncFactory } from './sync-wiring.js';

export interface GatewayDaemonOptions {
  readonly config: GatewayConfig;
  readonly kit: HardwareKit;
  readonly store: ReadingStore;
  readonly logger: AppLogger;
  readonly clockSynced: () => boolean;
  /** This build's version, for the started event and status. */
  readonly version: string;
  /** MQTT reporting (Home Assistant, Wi-Fi nodes), built once the hub and alarms exist; absent: none. */
  readonly mqtt?: MqttFactory;
  /** Cloud sync (sync-wiring.ts), present when cloud.enabled; absent: nothing leaves the Pi. */
  readonly sync?: SyncFactory;
  /** How often the hub checks staleness and rule durations (default 1 s; the demo's fast history uses more). */
  readonly hubTickMs?: number;
  /** Record gateway_started/gateway_stopped (default true; the demo's simulated past has no restarts of its own). */
  readonly lifecycleEvents?: boolean;
}

export interface GatewayStatus {
  readonly version: string;
  readonly hardware: string;
  readonly startedAt: number;
  readonly sensors: readonly SensorSnapshot[];
  readonly alarms: readonly ActiveAlarm[];
  readonly outputs: readonly OutputStatus[];
  readonly clockSynced: boolean;
  readonly mqtt?: MqttStats;
}

export class GatewayDaemon {
  readonly hub: SensorHub;
  readonly alarms: AlarmController;
  readonly store: ReadingStore;
  readonly #options: GatewayDaemonOptions;
  readonly #logger: AppLogger;
  #outputs: Outputs | undefined;
  #pollers: SensorPollers | undefined;
  #mqtt: MqttService | undefined;
  #mqttStarting: Promise<void> = Promise.resolve();
  #sync: SyncComponent | undefined;
  #startedAt = 0;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(options: GatewayDaemonOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.store = options.store;
    const { kit } = options;
    // The annunciator is bound in start(): until then alarms decide but show nothing.
    this.alarms = new AlarmController({
      clock: kit.clock,
      annunciator: { show: (a) => this.#outputs?.annunciator.show(a) },
      hushMs: options.config.alarms.hush,
      testDurationMs: options.config.alarms.testDuration,
      allSensorsHealthy: () => this.hub.allHealthy(),
      logger: options.logger.child({ component: 'alarms' }),
    });
    this.hub = new SensorHub({
      specs: toPipelineSpecs(options.config),
      clock: kit.clock,
      clockSynced: options.clockSynced,
      alarms: this.alarms,
      logger: options.logger.child({ component: 'sensors' }),
      ...(options.hubTickMs !== undefined && { tickMs: options.hubTickMs }),
    });
  }

  get state(): string {
    return this.#state;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`cannot start a daemon that is ${this.#state}`);
    this.#state = 'starting';
    const { config, kit, logger } = { ...this.#options, logger: this.#logger };
    this.#startedAt = kit.clock.now();

    // 1. Protection: outputs and alarms first.
    this.#outputs = await openOutputs(config, kit, logger);
    this.alarms.start();
    this.alarms.onChange((changes) => this.#recordAlarmChanges(changes));
    await this.#outputs.attachButton(this.alarms);

    // 2. Reporting: the store hears every reading and verdict after the alarms did.
    this.hub.addConsumer({
      name: 'store',
      reading: (r) => this.store.appendReading(r),
      conditions: (events) => events.forEach((e) => this.store.recordEvent(e)),
    });

    // 3. Sampling (the kit is started and closed by whoever created it).
    this.hub.start();
    this.#pollers = buildSensorPollers({
      config,
      kit,
      onSample: (s) => this.hub.ingest(s),
      clockSynced: this.#options.clockSynced,
      logger: logger.child({ component: 'sampling' }),
    });
    for (const poller of this.#pollers.pollers) poller.start();

    // 4. MQTT and the cloud last, and not awaited: they degrade reporting only.
    this.#startMqtt();
    this.#startSync();
    this.#state = 'running';
    if (this.#options.lifecycleEvents !== false) this.#system('gateway_started', 'info', `EasyGas gateway ${this.#options.version} started on ${kit.description}`, {
      sensors: config.sensors.length,
      version: this.#options.version,
    });
    logger.info(
      { sensors: config.sensors.map((s) => s.id), buses: this.#pollers.pollers.map((p) => p.name), hardware: kit.description },
      'sampling',
    );
  }

  /** Stops sampling, flushes the open batch, and switches every output off. */
  async stop(reason = 'stop requested'): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    this.#logger.info({ reason }, 'stopping');
    await this.#pollers?.close();
    this.hub.stop();
    this.alarms.stop();
    if (this.#options.lifecycleEvents !== false) this.#system('gateway_stopped', 'info', `gateway stopping: ${reason}`);
    await this.#mqtt?.stop().catch((err: unknown) => this.#logger.error({ err }, 'MQTT did not stop cleanly'));
    // Before the store closes: the agent reads it. Its cursor is already durable.
    await this.#sync?.stop().catch((err: unknown) => this.#logger.error({ err }, 'cloud sync did not stop cleanly'));
    const flushed = await this.store.close().catch((err: unknown) => {
      this.#logger.error({ err }, 'store did not close cleanly');
      return { pending: -1 };
    });
    if (flushed.pending > 0) this.#logger.error({ pending: flushed.pending }, 'records still in memory at shutdown could not be written');
    await this.#outputs?.close();
    this.#state = 'stopped';
    this.#logger.info('stopped: outputs off, store closed');
  }

  /** The MQTT service, when mqtt.mode is not off. */
  get mqtt(): MqttService | undefined {
    return this.#mqtt;
  }

  /** Cloud sync: status() and syncNow() for the control API; undefined when cloud.enabled is false. */
  get sync(): SyncControl | undefined {
    return this.#sync;
  }

  #startSync(): void {
    const factory = this.#options.sync;
    if (factory === undefined) return;
    const { clock } = this.#options.kit;
    const startedAtMono = clock.monotonic();
    try {
      this.#sync = factory({
        store: this.store,
        sensors: () => this.hub.snapshots(),
        clockSynced: this.#options.clockSynced,
        startedAtMono: () => startedAtMono,
        monotonic: () => clock.monotonic(),
      });
      this.#sync.start();
    } catch (err) {
      this.#logger.error({ err }, 'cloud sync could not be set up; readings stay in the store until it can');
    }
  }

  /** Resolves once MQTT's first listen or connect attempt is over (start() does not wait for it). */
  mqttReady(): Promise<void> {
    return this.#mqttStarting;
  }

  #startMqtt(): void {
    const factory = this.#options.mqtt;
    if (factory === undefined) return;
    try {
      this.#mqtt = factory({ hub: this.hub, alarms: this.alarms, clock: this.#options.kit.clock, clockSynced: this.#options.clockSynced });
      this.#mqttStarting = this.#mqtt.start().catch((err: unknown) => this.#logger.error({ err }, 'MQTT did not start; sampling and alarms carry on'));
    } catch (err) {
      this.#logger.error({ err }, 'MQTT could not be set up; sampling and alarms carry on without it');
    }
  }

  /** A live read in the bus's turn (the CLI's `easygas read`). */
  async readNow(sensorId: string) {
    for (const poller of this.#pollers?.pollers ?? []) {
      if (poller.sensorIds.includes(sensorId)) return poller.readNow(sensorId);
    }
    return undefined;
  }

  status(): GatewayStatus {
    return {
      version: this.#options.version,
      hardware: this.#options.kit.description,
      startedAt: this.#startedAt,
      sensors: this.hub.snapshots(),
      alarms: this.alarms.active.slice(),
      outputs: this.#outputs?.status ?? [],
      clockSynced: this.#options.clockSynced(),
      ...(this.#mqtt !== undefined ? { mqtt: this.#mqtt.stats() } : {}),
    };
  }

  /**
   * The watchdog's health check: undefined while every bus poller is doing its job,
   * else why not (a poller whose loop died or hangs past its read timeout).
   */
  samplingProblem(): string | undefined {
    if (this.#state !== 'running') return `the daemon is ${this.#state}`;
    const stuck = (this.#pollers?.pollers ?? []).filter((p) => !p.isAlive());
    if (stuck.length === 0) return undefined;
    return `sampling is stuck on ${stuck.map((p) => p.name).join(', ')}`;
  }

  /** Sampling liveness for the watchdog: the oldest progress of any poller (monotonic ms). */
  oldestPollerProgress(): number | undefined {
    const pollers = this.#pollers?.pollers ?? [];
    if (pollers.length === 0) return undefined;
    return Math.min(...pollers.map((p) => p.lastProgress));
  }

  #recordAlarmChanges(changes: readonly AlarmChange[]): void {
    for (const change of changes) {
      if (change.type !== 'silenced' && change.type !== 'resounded' && change.type !== 'silence_refused') continue;
      const { alarm } = change;
      const message =
        change.type === 'silenced'
          ? `${alarm.message}: silenced`
          : change.type === 'resounded'
            ? `${alarm.message}: sounding again after the hush`
            : `${alarm.message}: silence refused (too high to silence)`;
      this.#logger.warn({ alarm: alarm.key, change: change.type }, message);
      this.#system(`alarm_${change.type}`, alarm.severity, message, { alarm: alarm.key }, alarm.sensorId);
    }
  }

  #system(type: string, severity: SystemEvent['severity'], message: string, data?: Record<string, unknown>, sensorId?: string): void {
    const { clock } = this.#options.kit;
    // The store promises not to throw; the daemon does not bet protection on that promise.
    try {
      this.#recordSystem(clock.now(), type, severity, message, data, sensorId);
    } catch (err) {
      this.#logger.error({ err, type }, 'could not record an event');
    }
  }

  #recordSystem(at: number, type: string, severity: SystemEvent['severity'], message: string, data?: Record<string, unknown>, sensorId?: string): void {
    this.store.recordEvent({
      type,
      at,
      clockSynced: this.#options.clockSynced(),
      severity,
      message,
      ...(sensorId !== undefined ? { sensorId } : {}),
      ...(data !== undefined ? { data } : {}),
    });
  }
}
