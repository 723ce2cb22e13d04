/** A gateway's event as the notification policy sees it. */
import type { EventRecord } from '../../protocol/index.js';
import type { PolicyEvent } from './types.js';

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
