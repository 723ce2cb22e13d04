/**
 * What the gateway publishes, as JSON text: a sensor's state, its availability, an
 * alarm, the alarm summary, and the events. Pure: snapshots in, strings out. Every
 * key is always present (null when unknown) so Home Assistant templates never meet
 * an undefined variable.
 */
import type { ActiveAlarm, AlarmChange } from '../alarms/alarm-book.js';
import type { ConditionKind, Health } from '../pipeline/types.js';
import type { SensorSnapshot } from '../sampling/sensor-hub.js';
import type { CommandName } from './topics.js';

export const ONLINE = 'online';
export const OFFLINE = 'offline';

function round(value: number | undefined, decimals: number): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/**
 * Only an ok sensor has a current value. Any other health (warming up, stale,
 * disconnected, out of range, stuck, noisy) makes its value entities unavailable in
 * Home Assistant, never a plausible number; its health and fault entities stay.
 */
export function hasCurrentValue(health: Health): boolean {
  return health === 'ok';
}

export function availabilityPayload(health: Health): string {
  return hasCurrentValue(health) ? ONLINE : OFFLINE;
}

/**
 * The retained state of one sensor. A sensor without a current value publishes
 * nulls, its health since when and why, and its last good value under `last` only
 * (never as `value`, which would look current).
 */
export function sensorStatePayload(snapshot: SensorSnapshot): string {
  const r = hasCurrentValue(snapshot.health) && snapshot.reading?.quality === 'ok' ? snapshot.reading : undefined;
  const fault = snapshot.health === 'ok' ? undefined : snapshot.lastFault;
  const last = r === undefined ? snapshot.lastGood : undefined;
  return JSON.stringify({
    value: round(r?.value, 2),
    unit: r?.unit ?? null,
    percent: round(r?.percent, 2),
    litres: round(r?.litres, 1),
    ppm: round(r?.ppm, 0),
    raw: round(r?.raw, 4),
    quality: r?.quality ?? null,
    overRange: r?.overRange === true,
    health: snapshot.health,
    since: snapshot.healthSince ?? null,
    ts: r?.at ?? null,
    time: r === undefined ? null : new Date(r.at).toISOString(),
    clockSynced: r?.clockSynced ?? null,
    last: last === undefined ? null : { value: round(last.value, 2), unit: last.unit, ts: last.at, time: new Date(last.at).toISOString() },
    fault: fault?.message ?? null,
    hint: fault?.hint ?? null,
  });
}

function alarmFields(alarm: ActiveAlarm) {
  return {
    sensor: alarm.sensorId,
    condition: alarm.condition,
    severity: alarm.severity,
    severe: alarm.severe,
    silenced: alarm.silencedUntil !== undefined,
    message: alarm.message,
    value: alarm.value ?? null,
    unit: alarm.unit ?? null,
    since: alarm.raisedAt,
  };
}

/** Informational conditions are recorded, never sounded: they do not turn an alarm entity on. */
function isAlarming(alarm: ActiveAlarm): boolean {
  return alarm.severity !== 'info';
}

/** One alarm's retained state: ON while it is active (silenced or not). */
export function alarmPayload(sensorId: string, condition: ConditionKind, alarm: ActiveAlarm | undefined): string {
  if (alarm === undefined || !isAlarming(alarm)) {
    return JSON.stringify({
      state: 'OFF', sensor: sensorId, condition, severity: null, severe: false, silenced: false,
      message: null, value: null, unit: null, since: null,
    });
  }
  return JSON.stringify({ state: 'ON', ...alarmFields(alarm) });
}

/** Every active alarm at once; ON while any of them is a warning or worse. */
export function alarmSummaryPayload(active: readonly ActiveAlarm[], testing: boolean): string {
  const alarming = active.filter(isAlarming);
  return JSON.stringify({
    state: alarming.length > 0 ? 'ON' : 'OFF',
    sounding: alarming.filter((a) => a.silencedUntil === undefined).length,
    test: testing,
    alarms: alarming.map(alarmFields),
  });
}

/** Alarm changes worth an event ('updated' is only a new value of the same alarm). */
export function isEventworthy(change: AlarmChange): boolean {
  return change.type !== 'updated';
}

export function alarmEventPayload(change: AlarmChange, at: number): string {
  return JSON.stringify({ type: 'alarm', change: change.type, ...alarmFields(change.alarm), ts: at });
}

export function healthEventPayload(snapshot: SensorSnapshot, previous: Health, at: number): string {
  return JSON.stringify({
    type: 'health',
    sensor: snapshot.id,
    name: snapshot.name,
    health: snapshot.health,
    was: previous,
    fault: snapshot.lastFault?.message ?? null,
    hint: snapshot.lastFault?.hint ?? null,
    ts: at,
  });
}

export type CommandResult = 'silenced' | 'refused' | 'partly_refused' | 'nothing_to_silence' | 'testing' | 'ignored';

export interface CommandOutcome {
  readonly command: CommandName;
  readonly result: CommandResult;
  readonly silenced?: readonly ActiveAlarm[];
  readonly refused?: readonly ActiveAlarm[];
  readonly detail?: string;
}

/** The answer to a command, on the events topic: a refused silence says which alarm and why. */
export function commandEventPayload(outcome: CommandOutcome, at: number): string {
  return JSON.stringify({
    type: 'command',
    command: outcome.command,
    result: outcome.result,
    silenced: (outcome.silenced ?? []).map((a) => ({ sensor: a.sensorId, condition: a.condition })),
    refused: (outcome.refused ?? []).map((a) => ({
      sensor: a.sensorId,
      condition: a.condition,
      message: `${a.message}: too high to silence`,
    })),
    detail: outcome.detail ?? null,
    ts: at,
  });
}
