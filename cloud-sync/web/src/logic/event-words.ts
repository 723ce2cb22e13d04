/** Event types and filters for the timeline. */
import type { DeviceEvent } from '../api/types.js';

export type EventGroup = 'alarms' | 'faults' | 'connectivity' | 'other';

export function eventGroup(type: string): EventGroup {
  if (type === 'gas' || type === 'water_leak' || type === 'low_level' || type === 'sudden_drop' || type === 'possible_leak') return 'alarms';
  if (type === 'sensor_fault') return 'faults';
  if (type === 'device_offline' || type === 'device_online') return 'connectivity';
  return 'other';
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  gas: 'Gas',
  water_leak: 'Water leak',
  low_level: 'Low level',
  sudden_drop: 'Sudden drop',
  possible_leak: 'Possible leak',
  sensor_fault: 'Sensor fault',
  device_offline: 'Gateway offline',
  device_online: 'Gateway back online',
};

export function eventTypeWords(type: string): string {
  return TYPE_WORDS[type] ?? type.replace(/[_.-]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export interface EventFilter {
  readonly group: EventGroup | 'all';
  readonly minSeverity: 'info' | 'warning' | 'critical';
  /** A gateway id, or "all". */
  readonly gatewayId: string;
  /** A cloud sensor id, or "all". */
  readonly sensorId: string;
}

const RANK: Readonly<Record<string, number>> = { info: 0, warning: 1, critical: 2 };

export function filterEvents(events: readonly (DeviceEvent & { readonly gatewayId: string })[], f: EventFilter): (DeviceEvent & { readonly gatewayId: string })[] {
  return events
    .filter(
      (e) =>
        (f.group === 'all' || eventGroup(e.type) === f.group) &&
        (RANK[e.severity] ?? 0) >= (RANK[f.minSeverity] ?? 0) &&
        (f.gatewayId === 'all' || e.gatewayId === f.gatewayId) &&
        (f.sensorId === 'all' || e.sensorId === f.sensorId),
    )
    .sort((a, b) => b.at - a.at || b.id - a.id);
}
