/** The events the cloud raises itself when a gateway goes quiet or comes back. */
import type { PolicyEvent } from './types.js';

export function presenceEvent(type: 'device_offline' | 'device_online', gatewayName: string, now: number, lastSeenAt?: number): PolicyEvent {
  return type === 'device_offline'
    ? {
        type,
        at: now,
        severity: 'warning',
        state: 'raised',
        message: `${gatewayName} has not been heard from since ${new Date(lastSeenAt ?? now).toISOString()}: check its power and network`,
      }
    : { type, at: now, severity: 'info', state: 'cleared', message: `${gatewayName} is back online` };
}
