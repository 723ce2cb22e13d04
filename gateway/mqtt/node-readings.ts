/**
 * Wi-Fi sensor nodes → the sensor hub. A reading on <base>/nodes/<node>[/<unit>]/reading
 * is validated (size, syntax, finite numbers, a known node, a unit the config
 * names), stamped on the daemon's clock and handed to hub.ingest exactly like a
 * wired poller's sample: calibration, rules, alarms and the store follow. Anything
 * else is counted by reason and logged at a limited rate; it never becomes a reading
 * and never throws. A node that goes quiet is left to the hub's health timing
 * (stale, then disconnected), as a wired sensor is.
 */
import type { Clock } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { RawSample, SensorKind } from '../pipeline/types.js';
import { LogThrottle } from '../system/log-throttle.js';
import { NODE_REJECTIONS, parseNodePayload, type NodeRejection } from './node-payload.js';
import type { MqttTopics } from './topics.js';

export interface NodeSensor {
  readonly sensorId: string;
  readonly kind: SensorKind;
  readonly node: string;
  readonly unit?: string;
}

export interface NodeReadingsOptions {
  readonly sensors: readonly NodeSensor[];
  readonly topics: MqttTopics;
  readonly maxPayloadBytes: number;
  readonly ingest: (sample: RawSample) => void;
  /** The daemon's clock: node samples are stamped on the same clock as wired ones. */
  readonly clock: Clock;
  readonly clockSynced: () => boolean;
  readonly logger: Logger;
  /** One log line per node and reason per window (default 10 min). */
  readonly logWindowMs?: number;
}

export interface NodeReadingStats {
  readonly accepted: number;
  readonly rejected: Readonly<Record<NodeRejection, number>>;
  /** Accepted, but the node's own timestamp was too far off to use. */
  readonly clockSkewed: number;
}

/** A node's timestamp is used when it is this close to the gateway's synced clock. */
export const MAX_NODE_SKEW_MS = 60_000;

const NO_UNIT = '';

export class NodeReadings {
  readonly #options: NodeReadingsOptions;
  readonly #byNode = new Map<string, Map<string, NodeSensor>>();
  readonly #lastMono = new Map<string, number>();
  readonly #throttle: LogThrottle;
  readonly #rejected: Record<NodeRejection, number>;
  #accepted = 0;
  #clockSkewed = 0;

  constructor(options: NodeReadingsOptions) {
    this.#options = options;
    for (const sensor of options.sensors) {
      const units = this.#byNode.get(sensor.node) ?? new Map<string, NodeSensor>();
      units.set(sensor.unit ?? NO_UNIT, sensor);
      this.#byNode.set(sensor.node, units);
    }
    this.#throttle = new LogThrottle(options.logWindowMs ?? 10 * 60_000, () => options.clock.monotonic());
    this.#rejected = Object.fromEntries(NODE_REJECTIONS.map((r) => [r, 0])) as Record<NodeRejection, number>;
  }

  /** The configured node ids (the anonymous ACL lets any of them publish). */
  get nodes(): readonly string[] {
    return [...this.#byNode.keys()];
  }

  stats(): NodeReadingStats {
    return { accepted: this.#accepted, rejected: { ...this.#rejected }, clockSkewed: this.#clockSkewed };
  }

  /**
   * One message from a node topic. `replayed` is a retained message delivered on
   * subscribe: an old value, never a fresh reading.
   */
  handle(topic: string, payload: Uint8Array, replayed: boolean): void {
    try {
      this.#handle(topic, payload, replayed);
    } catch (err) {
      this.#options.logger.error({ err, topic }, 'Wi-Fi node reading failed');
    }
  }

  /** A payload the broker refused before it reached handle() (too large). */
  refusedByBroker(topic: string, reason: NodeRejection, detail: string): void {
    const node = this.#options.topics.parseNodeReading(topic)?.node ?? '?';
    this.#reject(reason, node, topic, detail);
  }

  #handle(topic: string, payload: Uint8Array, replayed: boolean): void {
    const address = this.#options.topics.parseNodeReading(topic);
    if (address === undefined) return;
    const { node } = address;
    if (replayed) {
      this.#reject('stale_retained', node, topic, 'a retained reading is an old value: publish readings without the retain flag');
      return;
    }
    const parsed = parseNodePayload(payload, this.#options.maxPayloadBytes);
    if (!parsed.ok) {
      this.#reject(parsed.reason, node, topic, parsed.detail);
      return;
    }
    const { value, fault, unit: payloadUnit, tsMs, warmingUp } = parsed.payload;
    if (address.unit !== undefined && payloadUnit !== undefined && address.unit !== payloadUnit) {
      this.#reject('unknown_unit', node, topic, `the topic names unit "${address.unit}" but the payload says "${payloadUnit}"`);
      return;
    }
    const sensor = this.#resolve(node, address.unit ?? payloadUnit, topic);
    if (sensor === undefined) return;
    let numeric: number | undefined;
    if (value === undefined) {
      numeric = undefined;
    } else if (typeof value === 'boolean') {
      if (sensor.kind !== 'leak') {
        this.#reject('wrong_type', node, topic, `${sensor.sensorId} is a ${sensor.kind} sensor: send a number, not true/false`);
        return;
      }
      numeric = value ? 1 : 0;
    } else {
      numeric = value;
    }
    const { at, mono } = this.#stamp(sensor, tsMs);
    const sample: RawSample = {
      sensorId: sensor.sensorId,
      at,
      mono,
      clockSynced: this.#options.clockSynced(),
      ...(numeric !== undefined ? { value: numeric } : {}),
      ...(fault !== undefined ? { fault: { code: fault.code, message: `${sensor.sensorId}: node ${node} reports ${fault.code}${fault.message !== undefined ? `: ${fault.message}` : ''}` } } : {}),
      ...(warmingUp === true ? { warmingUp: true } : {}),
    };
    this.#accepted++;
    this.#options.ingest(sample);
  }

  #resolve(node: string, unit: string | undefined, topic: string): NodeSensor | undefined {
    const units = this.#byNode.get(node);
    if (units === undefined) {
      this.#reject('unknown_node', node, topic, `no sensor in the config has source { driver: mqtt, node: ${node} }`);
      return undefined;
    }
    const named = [...units.keys()].filter((u) => u !== NO_UNIT);
    if (unit !== undefined) {
      const sensor = units.get(unit);
      if (sensor === undefined) {
        const known = named.length > 0 ? `its units are ${named.join(', ')}` : 'it has a single sensor without a unit';
        this.#reject('unknown_unit', node, topic, `node ${node} has no unit "${unit}" in the config (${known})`);
      }
      return sensor;
    }
    const sensor = units.get(NO_UNIT) ?? (units.size === 1 ? [...units.values()][0] : undefined);
    if (sensor === undefined) {
      this.#reject('unknown_unit', node, topic, `node ${node} has several sensors (${named.join(', ')}): publish on ${this.#options.topics.nodeReading(node, '<unit>')} or add "unit"`);
    }
    return sensor;
  }

  /** The daemon's clock, or the node's own time when both clocks can be trusted and agree. */
  #stamp(sensor: NodeSensor, tsMs: number | undefined): { at: number; mono: number } {
    const { clock, clockSynced } = this.#options;
    const now = clock.now();
    const nowMono = clock.monotonic();
    let at = now;
    let mono = nowMono;
    if (tsMs !== undefined) {
      const behind = now - tsMs;
      if (Math.abs(behind) > MAX_NODE_SKEW_MS || !clockSynced()) {
        this.#clockSkewed++;
        if (clockSynced()) this.#log('clock', sensor.node, `node ${sensor.node}'s clock is ${Math.round(behind / 1000)} s off the gateway's: its readings are stamped on arrival`);
      } else if (behind > 0) {
        at = tsMs;
        // Never before this sensor's previous sample: the pipeline measures rates on mono.
        mono = Math.max(this.#lastMono.get(sensor.sensorId) ?? -Infinity, nowMono - behind);
      }
    }
    this.#lastMono.set(sensor.sensorId, mono);
    return { at, mono };
  }

  #reject(reason: NodeRejection, node: string, topic: string, detail: string): void {
    this.#rejected[reason]++;
    this.#log(reason, node, `Wi-Fi node ${node}: reading on ${topic} rejected (${reason}): ${detail}`);
  }

  #log(key: string, node: string, message: string): void {
    const suppressed = this.#throttle.admit(`${key}:${node}`);
    if (suppressed !== undefined) this.#options.logger.warn({ node, reason: key, suppressed }, message);
  }
}
