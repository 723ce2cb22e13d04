/**
 * Where every sample arrives (from bus pollers and Wi-Fi nodes) and becomes a
 * reading: runs the pure pipeline per sensor, keeps one immutable snapshot per
 * sensor, and hands results on in a fixed order — the alarms FIRST and
 * synchronously, then the passive consumers (store, MQTT, API), each isolated so
 * a failing consumer degrades reporting, never protection.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import { lostTimeOf } from '../../hardware/lost-time.js';
import { respecSensor } from '../pipeline/respec.js';
import { initialSensorState, stepSensor, tickSensor, type SensorState } from '../pipeline/sensor-pipeline.js';
import type { SensorPipelineSpec } from '../pipeline/specs.js';
import type { ConditionEvent, Health, RawSample, Reading, SampleFault, SensorKind } from '../pipeline/types.js';
import { LogThrottle } from '../system/log-throttle.js';

export interface SensorSnapshot {
  readonly id: string;
  readonly name: string;
  readonly kind: SensorKind;
  readonly health: Health;
  /** The latest reading, if the sensor has produced one (of whatever quality). */
  readonly reading?: Reading;
  /** The latest reading taken while the sensor was ok: what "last good value" shows. */
  readonly lastGood?: Reading;
  /** Wall-clock ms the sensor entered its current health; absent before the first change. */
  readonly healthSince?: number;
  readonly lastFault?: SampleFault & { readonly at: number };
  readonly lastSampleAt?: number;
  readonly samples: number;
  readonly rejected: number;
}

/** The alarm side: told first, synchronously. */
export interface AlarmSink {
  handleConditions(events: readonly ConditionEvent[]): void;
  /** Sensor health changed (the green LED). */
  refresh(): void;
}

/** Passive consumers: they observe and must not block. */
export interface HubConsumer {
  readonly name: string;
  reading?(reading: Reading): void;
  conditions?(events: readonly ConditionEvent[]): void;
  health?(snapshot: SensorSnapshot, previous: Health): void;
}

export interface SensorHubOptions {
  readonly specs: readonly SensorPipelineSpec[];
  readonly clock: Clock;
  readonly clockSynced: () => boolean;
  readonly alarms: AlarmSink;
  readonly logger: Logger;
  /** How often time-driven health (stale, rule timers) is evaluated. */
  readonly tickMs?: number;
}

/** Mutable per-sensor bookkeeping; consumers only ever see frozen snapshots of it. */
interface Entry {
  spec: SensorPipelineSpec;
  state: SensorState;
  health: Health;
  reading: Reading | undefined;
  lastGood: Reading | undefined;
  healthSince: number | undefined;
  lastFault: (SampleFault & { readonly at: number }) | undefined;
  lastSampleAt: number | undefined;
  samples: number;
  rejected: number;
  /** Built on demand and kept until the entry changes: the per-sample path allocates none. */
  snapshot: SensorSnapshot | undefined;
}

function snapshotOf(entry: Entry): SensorSnapshot {
  entry.snapshot ??= Object.freeze({
    id: entry.spec.sensorId,
    name: entry.spec.name,
    kind: entry.spec.kind,
    health: entry.health,
    ...(entry.reading !== undefined ? { reading: entry.reading } : {}),
    ...(entry.lastGood !== undefined ? { lastGood: entry.lastGood } : {}),
    ...(entry.healthSince !== undefined ? { healthSince: entry.healthSince } : {}),
    ...(entry.lastFault !== undefined ? { lastFault: entry.lastFault } : {}),
    ...(entry.lastSampleAt !== undefined ? { lastSampleAt: entry.lastSampleAt } : {}),
    samples: entry.samples,
    rejected: entry.rejected,
  });
  return entry.snapshot;
}

export class SensorHub {
  readonly #options: SensorHubOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #consumers = new Set<HubConsumer>();
  readonly #throttle: LogThrottle;
  #timer: TimerHandle | undefined;
  /** Holds the clock's lost-time meter while ticking. */
  #releaseMeter: (() => void) | undefined;
  #unknownSamples = 0;

  constructor(options: SensorHubOptions) {
    this.#options = options;
    this.#throttle = new LogThrottle(10 * 60_000, () => options.clock.monotonic());
    const start = options.clock.monotonic();
    for (const spec of options.specs) {
      this.#entries.set(spec.sensorId, {
        spec,
        state: initialSensorState(spec, start),
        health: 'warming_up',
        reading: undefined,
        lastGood: undefined,
        healthSince: undefined,
        lastFault: undefined,
        lastSampleAt: undefined,
        samples: 0,
        rejected: 0,
        snapshot: undefined,
      });
    }
  }

  addConsumer(consumer: HubConsumer): () => void {
    this.#consumers.add(consumer);
    return () => this.#consumers.delete(consumer);
  }

  start(): void {
    if (this.#timer !== undefined) return;
    const { clock, tickMs = 1_000 } = this.#options;
    this.#releaseMeter = lostTimeOf(clock).acquire();
    const loop = (): void => {
      this.tick();
      this.#timer = clock.setTimeout(loop, tickMs);
    };
    this.#timer = clock.setTimeout(loop, tickMs);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#releaseMeter?.();
    this.#releaseMeter = undefined;
  }

  has(sensorId: string): boolean {
    return this.#entries.has(sensorId);
  }

  snapshot(sensorId: string): SensorSnapshot | undefined {
    const entry = this.#entries.get(sensorId);
    return entry === undefined ? undefined : snapshotOf(entry);
  }

  snapshots(): SensorSnapshot[] {
    return [...this.#entries.values()].map(snapshotOf);
  }

  allHealthy(): boolean {
    for (const entry of this.#entries.values()) if (entry.health !== 'ok') return false;
    return true;
  }

  /** Samples for sensors this hub does not know (a misconfigured node): counted, never processed. */
  get unknownSamples(): number {
    return this.#unknownSamples;
  }

  ingest(sample: RawSample): void {
    const entry = this.#entries.get(sample.sensorId);
    if (entry === undefined) {
      this.#unknownSamples++;
      return;
    }
    const step = stepSensor(entry.spec, entry.state, sample);
    const previousHealth = entry.health;
    entry.state = step.state;
    entry.health = step.health;
    if (step.reading !== undefined) entry.reading = step.reading;
    if (step.reading?.quality === 'ok') entry.lastGood = step.reading;
    if (step.health !== previousHealth) entry.healthSince = sample.at;
    if (sample.fault !== undefined) entry.lastFault = { ...sample.fault, at: sample.at };
    entry.lastSampleAt = sample.at;
    entry.samples++;
    if (step.rejected !== undefined) entry.rejected++;
    entry.snapshot = undefined;
    // Protection first: the alarm decision happens before anything is stored or published.
    this.#alarm(step.events);
    if (step.health !== previousHealth) this.#healthChanged(entry, previousHealth);
    if (step.rejected !== undefined) this.#logRejected(entry.spec, step.rejected, step.detail, sample.fault?.hint);
    if (step.reading !== undefined) {
      const reading = step.reading;
      this.#notify((c) => c.reading?.(reading));
    }
    if (step.events.length > 0) this.#notify((c) => c.conditions?.(step.events));
  }

  /** The spec a sensor runs with now (config plus any runtime override). */
  specOf(sensorId: string): SensorPipelineSpec | undefined {
    return this.#entries.get(sensorId)?.spec;
  }

  /**
   * Swaps a running sensor's spec (a new calibration, new thresholds) without a
   * restart. Alarm state carries over; a removed rule clears what it had raised.
   */
  updateSpec(spec: SensorPipelineSpec): void {
    const entry = this.#entries.get(spec.sensorId);
    if (entry === undefined) throw new Error(`no sensor ${spec.sensorId}`);
    const { clock, clockSynced } = this.#options;
    const result = respecSensor(entry.spec, entry.state, spec, clock.now(), clock.monotonic(), clockSynced());
    entry.spec = spec;
    entry.state = result.state;
    entry.snapshot = undefined;
    this.#options.logger.info({ sensor: spec.sensorId }, `${spec.name}: new settings applied`);
    this.#alarm(result.events);
    if (result.events.length > 0) this.#notify((c) => c.conditions?.(result.events));
  }

  /** Time-driven evaluation: stale and disconnected sensors, rule timers. */
  tick(): void {
    const { clock, clockSynced } = this.#options;
    const at = clock.now();
    const mono = clock.monotonic();
    const synced = clockSynced();
    // Silence while the process itself was not running is not the sensor's.
    const meter = lostTimeOf(clock);
    const lostSince = (since: number): number => meter.lostSince(since);
    for (const entry of this.#entries.values()) {
      const result = tickSensor(entry.spec, entry.state, at, mono, synced, lostSince);
      if (result.state === entry.state && result.events.length === 0) continue;
      entry.state = result.state;
      const previousHealth = entry.health;
      if (result.health !== previousHealth) {
        entry.health = result.health;
        entry.healthSince = at;
        entry.snapshot = undefined;
      }
      this.#alarm(result.events);
      if (result.health !== previousHealth) this.#healthChanged(entry, previousHealth);
      if (result.events.length > 0) this.#notify((c) => c.conditions?.(result.events));
    }
  }

  #alarm(events: readonly ConditionEvent[]): void {
    if (events.length === 0) return;
    try {
      this.#options.alarms.handleConditions(events);
    } catch (err) {
      this.#options.logger.error({ err }, 'alarm handling failed');
    }
    for (const e of events) {
      const level = e.state === 'raised' && e.severity !== 'info' ? 'warn' : 'info';
      this.#options.logger[level]({ sensor: e.sensorId, condition: e.condition, state: e.state, severity: e.severity }, e.message);
    }
  }

  #healthChanged(entry: Entry, previous: Health): void {
    const { logger } = this.#options;
    const snapshot = snapshotOf(entry);
    const fields = { sensor: snapshot.id, health: snapshot.health, was: previous };
    if (snapshot.health === 'ok' || snapshot.health === 'warming_up') logger.info(fields, `${snapshot.name}: ${snapshot.health}`);
    else logger.warn({ ...fields, fault: snapshot.lastFault?.message, hint: snapshot.lastFault?.hint }, `${snapshot.name}: ${snapshot.health}`);
    try {
      this.#options.alarms.refresh();
    } catch (err) {
      logger.error({ err }, 'alarm refresh failed');
    }
    this.#notify((c) => c.health?.(snapshot, previous));
  }

  #logRejected(spec: SensorPipelineSpec, rejected: string, detail: string | undefined, hint: string | undefined): void {
    const suppressed = this.#throttle.admit(`${spec.sensorId}:${rejected}`);
    if (suppressed === undefined) return;
    this.#options.logger.warn({ sensor: spec.sensorId, rejected, hint, suppressed }, `${spec.name}: ${detail ?? rejected}`);
  }

  #notify(call: (consumer: HubConsumer) => void): void {
    for (const consumer of this.#consumers) {
      try {
        call(consumer);
      } catch (err) {
        const suppressed = this.#throttle.admit(`consumer:${consumer.name}`);
        if (suppressed !== undefined) this.#options.logger.error({ err, consumer: consumer.name, suppressed }, 'consumer failed');
      }
    }
  }
}
