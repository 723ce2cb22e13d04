/** A gateway's event as the notification policy sees it. */
import type { EventRecord } from '../../protocol/index.js';
import type { NotificationDraft, PolicyEvent } from './types.js';

/**
 * An event that reaches the cloud later than this (a gateway back from days offline,
 * a history upload) is news, not an alert. The default of EASYGAS_LATE_EVENT_HOURS.
 */
export const LATE_AFTER_MS = 24 * 3_600_000;

/**
 * A late event goes to the inbox only: a warning from last month (or its "resolved")
 * must not arrive by email today as if it were happening. A critical one still goes
 * out on its channels — a gas alarm that may still be going on is worth a late email.
 */
export function deliveredWhenLate(draft: NotificationDraft, event: Pick<PolicyEvent, 'at' | 'severity'>, now: number, lateAfterMs = LATE_AFTER_MS): NotificationDraft {
  if (now - event.at <= lateAfterMs || event.severity === 'critical' || draft.severity === 'critical') return draft;
  return { ...draft, channels: [] };
}

/**
 * A condition seen again while its alert is active sends nothing, unless the alert
 * last went out longer ago than the late threshold (the gateway was offline for
 * days): then one reminder, if the event itself would be sent (fresh, or critical).
 */
export function remindsOfActive(notifiedAt: number, event: Pick<PolicyEvent, 'at' | 'severity'>, now: number, lateAfterMs = LATE_AFTER_MS): boolean {
  return now - notifiedAt > lateAfterMs && (now - event.at <= lateAfterMs || event.severity === 'critical');
}

export function toPolicyEvent(e: EventRecord): PolicyEvent {
  return {
    type: e.type,
    at: e.at,
    severity: e.severity,
    message: e.message,
    ...(e.state === undefined ? {} : { state: e.state }),
    ...(e.sensorId === undefined ? {} : { sensorId: e.sensorId }),
  };
}
