/** Domain records → the API's JSON views (what the response schemas describe). */
import type { Static } from 'typebox';
import type { AlertView } from '../modules/alerts/schemas.js';
import type { UserView } from '../modules/accounts/schemas.js';
import type { DeviceStatus, DeviceView, EventView, SensorView } from '../modules/devices/schemas.js';
import type { NotificationView } from '../modules/notifications/schemas.js';
import type { ReadingView } from '../modules/sensors/schemas.js';
import type { AlertRule, CloudReading, DeviceEvent, Gateway, GatewayStatus, Notification, Presence, Sensor, User } from '../storage/types.js';

/**
 * Where a gateway stands now. The stored presence flips to offline only when the
 * sweeper next runs (every 30 s), so a gateway silent past the window is offline
 * here already: `presence` and `online` are one answer, never two.
 */
export function presenceNow(gateway: Gateway, now: number, offlineAfterMs: number): Presence {
  if (gateway.presence !== 'online') return gateway.presence;
  return gateway.lastSeenAt !== null && now - gateway.lastSeenAt <= offlineAfterMs ? 'online' : 'offline';
}

/** `online` is kept for older clients: it is always `presence === 'online'`. */
function presenceFields(g: Gateway, now: number, offlineAfterMs: number): { online: boolean; presence: Presence } {
  const presence = presenceNow(g, now, offlineAfterMs);
  return { online: presence === 'online', presence };
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    phone: user.phone,
    notificationPreferences: user.preferences,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function deviceView(g: Gateway, now: number, offlineAfterMs: number): Static<typeof DeviceView> {
  return {
    id: g.id,
    name: g.name,
    version: g.version,
    ...presenceFields(g, now, offlineAfterMs),
    lastSeenAt: g.lastSeenAt,
    ackedSeq: g.ackedSeq,
    configVersion: g.configVersion,
    credentialActive: g.credentialActive,
    createdAt: g.createdAt,
  };
}

export function sensorView(s: Sensor): Static<typeof SensorView> {
  return {
    id: s.id,
    gatewayId: s.gatewayId,
    sensorId: s.sensorId,
    name: s.name,
    kind: s.kind,
    unit: s.unit,
    health: s.health,
    lastReadingAt: s.lastReadingAt,
    firstSeenAt: s.firstSeenAt,
  };
}

export function statusView(status: GatewayStatus, now: number, offlineAfterMs: number): Static<typeof DeviceStatus> {
  const g = status.gateway;
  return {
    id: g.id,
    name: g.name,
    ...presenceFields(g, now, offlineAfterMs),
    lastSeenAt: g.lastSeenAt,
    offlineAfterMs,
    version: g.version,
    ackedSeq: g.ackedSeq,
    configVersion: g.configVersion,
    heartbeat:
      status.heartbeat === null
        ? null
        : {
            receivedAt: status.heartbeat.receivedAt,
            uptimeSeconds: status.heartbeat.uptimeSeconds,
            clockSynced: status.heartbeat.clockSynced,
            backlog: status.heartbeat.backlog,
          },
    sensors: status.sensors.map(sensorView),
  };
}

export function readingView(r: CloudReading): Static<typeof ReadingView> {
  return { ...r, downsampled: r.downsampled === null ? null : { ...r.downsampled } };
}

export function eventView(e: DeviceEvent): Static<typeof EventView> {
  return { ...e };
}

export function alertView(r: AlertRule): Static<typeof AlertView> {
  return {
    id: r.id,
    sensorId: r.sensorId,
    gatewayId: r.gatewayId,
    name: r.name,
    type: r.type,
    params: { ...(r.params as Record<string, number>) },
    enabled: r.enabled,
    notify: [...r.notify],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function notificationView(n: Notification): Static<typeof NotificationView> {
  return {
    id: n.id,
    gatewayId: n.gatewayId,
    sensorId: n.sensorId,
    ruleId: n.ruleId,
    type: n.type,
    severity: n.severity,
    title: n.title,
    message: n.message,
    channels: [...n.channels],
    eventAt: n.eventAt,
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}
