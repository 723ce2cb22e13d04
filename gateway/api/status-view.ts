/**
 * The gateway's status as one JSON-safe document: what `GET /api/status`,
 * `easygas status` and the status page show. Monotonic alarm deadlines become
 * "seconds left", which mean something outside this process.
 */
import type { Backlog } from '../store/records.js';
import type { ControlTarget, GatewayIdentity } from './control-target.js';
import type { SyncStatus } from './sync-control.js';

export interface SensorView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly health: string;
  readonly value?: number;
  readonly unit?: string;
  readonly percent?: number;
  readonly litres?: number;
  readonly ppm?: number;
  readonly raw?: number;
  readonly quality?: string;
  readonly at?: number;
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

export async function statusView(target: ControlTarget, identity: GatewayIdentity, clock: ViewClock): Promise<StatusView> {
  const status = target.status();
  const mono = clock.monotonic();
  const sensors = status.sensors.map((s): SensorView => {
    const r = s.reading;
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      health: s.health,
      ...(r !== undefined
        ? {
            value: r.value,
            unit: r.unit,
            raw: r.raw,
            quality: r.quality,
            at: r.at,
            ...(r.percent !== undefined ? { percent: r.percent } : {}),
            ...(r.litres !== undefined ? { litres: r.litres } : {}),
            ...(r.ppm !== undefined ? { ppm: r.ppm } : {}),
          }
        : {}),
      ...(s.health !== 'ok' && s.lastFault !== undefined
        ? { fault: s.lastFault.message, ...(s.lastFault.hint !== undefined ? { hint: s.lastFault.hint } : {}) }
        : {}),
    };
  });
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
