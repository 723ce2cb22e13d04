/**
 * The house's alarm state, from the gateways' events: a condition (gas, water leak,
 * low level, sudden drop, sensor fault) is active from its latest "raised" until a
 * "cleared". Gateway presence is not an alarm here: the devices list says it. Words
 * and colours follow the severity, and never say more or less than it.
 */
import type { DeviceEvent, Severity } from '../api/types.js';

export type Tone = 'critical' | 'warning' | 'info';

export interface ActiveAlarm {
  readonly key: string;
  readonly gatewayId: string;
  readonly sensorId: string | null;
  readonly type: string;
  readonly severity: Severity;
  readonly message: string;
  /** When the latest raise (or escalation) happened. */
  readonly at: number;
}

const PRESENCE = new Set(['device_offline', 'device_online']);
const RANK: Readonly<Record<string, number>> = { critical: 2, warning: 1, info: 0 };

/** Events of each gateway, newest first (as the API lists them). */
export function activeAlarms(eventsByGateway: ReadonlyMap<string, readonly DeviceEvent[]>): ActiveAlarm[] {
  const active: ActiveAlarm[] = [];
  for (const [gatewayId, events] of eventsByGateway) {
    const decided = new Set<string>();
    for (const e of events) {
      if (e.state === null || PRESENCE.has(e.type)) continue;
      const key = `${gatewayId}|${e.type}|${e.sensorId ?? ''}`;
      if (decided.has(key)) continue;
      decided.add(key);
      if (e.state === 'raised') {
        active.push({ key, gatewayId, sensorId: e.sensorId, type: e.type, severity: e.severity as Severity, message: e.message, at: e.at });
      }
    }
  }
  return active.sort((a, b) => (RANK[b.severity] ?? 0) - (RANK[a.severity] ?? 0) || b.at - a.at);
}

export interface AlarmWords {
  readonly tone: Tone;
  /** Short: the banner's heading and the page title. */
  readonly headline: string;
  /** What to do, in the severity's voice. */
  readonly advice: string;
}

export function alarmWords(alarm: Pick<ActiveAlarm, 'type' | 'severity'>, sensorName: string): AlarmWords {
  const tone: Tone = alarm.severity;
  switch (alarm.type) {
    case 'gas':
      return alarm.severity === 'critical'
        ? {
            tone,
            headline: 'Gas alarm',
            advice: 'Leave the house now. Do not touch switches or make flames. From outside, close the cylinder valve if safe and call the gas emergency line.',
          }
        : { tone, headline: 'Gas detected', advice: 'Open windows and check the burners and the cylinder valve. The alarm sounds if the level rises.' };
    case 'water_leak':
      return { tone, headline: 'Water leak', advice: `Water at ${sensorName}: turn off the water at the stopcock and find the leak.` };
    case 'low_level':
      return alarm.severity === 'critical'
        ? { tone, headline: `${sensorName} almost empty`, advice: 'Order a refill now.' }
        : { tone, headline: `${sensorName} is low`, advice: 'Plan a refill soon.' };
    case 'sudden_drop':
      return { tone, headline: `Sudden drop in ${sensorName}`, advice: 'The level fell fast: check for a leak or an open tap.' };
    case 'sensor_fault':
      return alarm.severity === 'critical'
        ? { tone, headline: `${sensorName} is not working`, advice: 'It cannot warn you of gas while it is faulty: check it now, and keep your certified detector switched on.' }
        : { tone, headline: `${sensorName} is not working`, advice: 'Its readings are not trusted until it recovers: check its cable and mounting.' };
    default:
      return { tone, headline: alarm.type.replace(/[_.-]+/g, ' '), advice: 'See the event for details.' };
  }
}

/** "⚠ Gas alarm — EasyGas" while anything is active; "<page> — EasyGas" otherwise. */
export function pageTitle(alarms: readonly ActiveAlarm[], offlineGateways: number, page: string, sensorName: (id: string | null) => string): string {
  const top = alarms.find((a) => a.severity !== 'info');
  if (top !== undefined) {
    const more = alarms.filter((a) => a.severity !== 'info').length - 1;
    return `⚠ ${alarmWords(top, sensorName(top.sensorId)).headline}${more > 0 ? ` (+${more})` : ''} — EasyGas`;
  }
  if (offlineGateways > 0) return `⚠ Gateway offline — EasyGas`;
  return `${page} — EasyGas`;
}
