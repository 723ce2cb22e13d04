/**
 * Who hears about what. Pure and synchronous: the repository runs it inside the
 * transaction that stores the event, so an alarm resent by its gateway never
 * notifies twice, and one stored always has its notification.
 *
 * - Raised alarms and system events at or above the user's minimum severity notify;
 *   cleared conditions do not (device_online is announced only with device_offline on).
 * - An enabled alert rule on the same sensor and type chooses the channels; without
 *   one, the user's default channels apply. A disabled rule mutes its type on that
 *   sensor — except at critical severity: a gas alarm is never muted in the cloud.
 * - The user's email/push switches are global opt-outs over every channel list.
 */
import { severityRank, type AlertRuleType, type NotifyChannel } from '../../protocol/index.js';
import type { NotificationDraft, NotificationPolicy, PolicyContext, PolicyEvent } from '../storage/types.js';

const RULE_FOR_EVENT: Readonly<Record<string, AlertRuleType>> = {
  low_level: 'low_level',
  gas: 'gas',
  sudden_drop: 'sudden_drop',
  device_offline: 'device_offline',
  device_online: 'device_offline',
};

const LABELS: Readonly<Record<string, string>> = {
  low_level: 'low level',
  reorder_level: 'heads-up: reorder level reached',
  gas: 'gas alarm',
  water_leak: 'water leak',
  sudden_drop: 'sudden drop (possible leak)',
  possible_leak: 'possible slow leak',
  sensor_fault: 'sensor fault',
  device_offline: 'gateway offline',
  device_online: 'gateway back online',
};

export const notificationPolicy: NotificationPolicy = (event, context) => {
  const prefs = context.preferences;
  const presence = event.type === 'device_offline' || event.type === 'device_online';
  if (presence && !prefs.deviceOffline) return undefined;
  if (!presence && event.state === 'cleared') return undefined;
  if (severityRank(event.severity) < severityRank(prefs.minSeverity)) return undefined;

  const ruleType = RULE_FOR_EVENT[event.type];
  const matching = ruleType === undefined ? [] : context.rules.filter((r) => r.type === ruleType && (presence || r.sensorId === event.sensorId));
  const enabled = matching.filter((r) => r.enabled);
  if (matching.length > 0 && enabled.length === 0 && event.severity !== 'critical') return undefined;

  const wanted = new Set<NotifyChannel>(enabled.length > 0 ? enabled.flatMap((r) => r.notify) : ['email', 'push']);
  const channels = (['email', 'push'] as const).filter((c) => wanted.has(c) && prefs[c]);
  return {
    type: event.type,
    severity: event.severity,
    title: titleFor(event, context),
    message: event.message,
    channels,
    sensorId: event.sensorId ?? null,
    ruleId: enabled[0]?.id ?? null,
    eventAt: event.at,
  };
};

function titleFor(event: PolicyEvent, context: PolicyContext): string {
  const subject = event.sensorId === undefined ? context.gateway.name : (context.sensorNames.get(event.sensorId) ?? event.sensorId);
  return `${subject}: ${LABELS[event.type] ?? event.type.replace(/_/g, ' ')}`;
}

/** The notification POST /api/alerts/:id/test creates. */
export function testNotification(rule: { id: string; type: AlertRuleType; name: string | null; notify: readonly NotifyChannel[] }, sensorName: string, localSensorId: string, now: number): NotificationDraft {
  return {
    type: 'test',
    severity: 'info',
    title: `Test: ${rule.name ?? `${sensorName}: ${LABELS[rule.type] ?? rule.type}`}`,
    message: `This is a test of your ${LABELS[rule.type] ?? rule.type} alert for ${sensorName}. When it fires for real, it comes like this.`,
    channels: [...rule.notify],
    sensorId: localSensorId,
    ruleId: rule.id,
    eventAt: now,
  };
}
