/**
 * The gateway's status as one JSON-safe document: what `GET /api/status`,
 * `easygas status` and the status page show. Monotonic alarm deadlines become
 * "seconds left", which mean something outside this process.
 */
import type { Reading } from '../pipeline/types.js';
import type { SensorSnapshot } from '../sampling/sensor-hub.js';
import type { Backlog } from '../store/records.js';
import type { ControlTarget, GatewayIdentity } from './control-target.js';
import type { SyncStatus } from './sync-control.js';

/** A reading as shown: the value with what goes beside it, and when it was taken. */
export interface ValueView {
  readonly value: number;
  readonly unit: string;
  readonly percent?: number;
  readonly litres?: number;
  readonly ppm?: number;
  readonly raw?: number;
  readonly at: number;
  /** The true value is at least `value` (gas above the sensor's range; a full or over-full tank). */
  readonly overRange?: true;
}

/**
 * One sensor as shown. The value fields are present only while the sensor is `ok`:
 * a sensor in any other health carries its state, since when, and its last good
 * value only as `last` (never a plausible number that looks current).
 */
export interface SensorView extends Partial<ValueView> {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly health: string;
  /** Wall-clock ms the sensor entered this health (absent before the first change). */
  readonly since?: number;
  /** Present with the value fields: always 'ok'. */
  readonly quality?: string;
  /** Not ok: the last reading taken while it was ok, if any. */
  readonly last?: ValueView;
  readonly fault?: string;
  readonly hint?: string;
}

export interface AlarmView {
  readonly key: string;
  readonly sensorId: string;
  readonly condition: string;
  readonly severity: string;
  readonly severe: boolean;
  readonly message: string;
  readonly value?: number;
  readonly unit?: string;
  readonly raisedAt: number;
  /** Seconds until a silenced alarm sounds again; absent when it sounds. */
  readonly silencedForS?: number;
}

export interface StatusView {
  readonly gateway: GatewayIdentity & {
    readonly version: string;
    readonly hardware: string;
    readonly startedAt: number;
    readonly now: number;
    readonly clockSynced: boolean;
  };
  readonly sensors: readonly SensorView[];
  readonly alarms: readonly AlarmView[];
  /** True while an alarm test sounds. */
  readonly testing: boolean;
  readonly sync: SyncStatus;
  readonly mqtt?: { readonly state: string; readonly url?: string };
}

export interface ViewClock {
  now(): number;
  monotonic(): number;
}

/** The sync status, or "disabled" with the store's own backlog when no agent runs. */
export async function syncStatusOf(target: ControlTarget): Promise<SyncStatus> {
  if (target.sync !== undefined) return target.sync.status();
  const backlog: Backlog = await target.store.backlog();
  return { state: 'disabled', backlog: backlog.total, cursor: backlog.ackedSeq };
}

/** One sensor as shown: value fields only while ok, else its state since when and the last good value. */
export function sensorViewOf(s: SensorSnapshot): SensorView {
  const current = s.health === 'ok' && s.reading?.quality === 'ok' ? s.reading : undefined;
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    health: s.health,
    ...(s.healthSince !== undefined ? { since: s.healthSince } : {}),
    ...(current !== undefined ? { ...valueView(current), quality: current.quality } : {}),
    ...(current === undefined && s.lastGood !== undefined ? { last: valueView(s.lastGood) } : {}),
    ...(s.health !== 'ok' && s.lastFault !== undefined
      ? { fault: s.lastFault.message, ...(s.lastFault.hint !== undefined ? { hint: s.lastFault.hint } : {}) }
      : {}),
  };
}

export function valueView(r: Reading): ValueView {
  return {
    value: r.value,
    unit: r.unit,
    raw: r.raw,
    at: r.at,
    ...(r.percent !== undefined ? { percent: r.percent } : {}),
    ...(r.litres !== undefined ? { litres: r.litres } : {}),
    ...(r.ppm !== undefined ? { ppm: r.ppm } : {}),
    ...(r.overRange === true ? { overRange: true as const } : {}),
  };
}

export async function statusView(target: ControlTarget, identity: GatewayIdentity, clock: ViewClock): Promise<StatusView> {
  const status = target.status();
  const mono = clock.monotonic();
  const sensors = status.sensors.map(sensorViewOf);
  const alarms = status.alarms.map((a): AlarmView => ({
    key: a.key,
    sensorId: a.sensorId,
    condition: a.condition,
    severity: a.severity,
    severe: a.severe,
    message: a.message,
    raisedAt: a.raisedAt,
    ...(a.value !== undefined ? { value: a.value } : {}),
    ...(a.unit !== undefined ? { unit: a.unit } : {}),
    ...(a.silencedUntil !== undefined && a.silencedUntil > mono ? { silencedForS: Math.ceil((a.silencedUntil - mono) / 1000) } : {}),
  }));
  const testUntil = target.alarms.book.testUntil;
  const mqtt = status.mqtt;
  return {
    gateway: {
      ...identity,
      version: status.version,
      hardware: status.hardware,
      startedAt: status.startedAt,
      now: clock.now(),
      clockSynced: status.clockSynced,
    },
    sensors,
    alarms,
    testing: testUntil !== undefined && testUntil > mono,
    sync: await syncStatusOf(target),
    ...(mqtt !== undefined ? { mqtt: { state: mqtt.link.state, url: mqtt.link.url } } : {}),
  };
}
