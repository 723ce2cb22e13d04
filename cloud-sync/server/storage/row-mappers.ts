/**
 * Rows → domain records, shared by both databases. Column names are the same in
 * both schemas; the mappers absorb the differences in representation (0/1 versus
 * booleans, JSON text versus JSONB, bigint strings).
 */
import type { Health, Quality, SensorKind, Severity } from '../../protocol/index.js';
import { bool, numOrNull, parseChannels, parsePreferences } from './rows.js';
import { cloudSensorId } from './sensor-ids.js';
import type { CloudReading, DeviceEvent, Gateway, Notification, Presence, Role, Sensor, User, UserWithSecret } from './types.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  role: string;
  phone: string | null;
  preferences: unknown;
  token_version: number;
  created_at: number;
  updated_at: number;
}

export function userFromRow(row: UserRow): UserWithSecret {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    name: row.name,
    role: row.role as Role,
    phone: row.phone,
    preferences: parsePreferences(row.preferences),
    tokenVersion: Number(row.token_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function publicUser(user: UserWithSecret): User {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

export interface GatewayRow {
  pk: number;
  id: string;
  user_id: string;
  name: string;
  version: string | null;
  credential_active: unknown;
  presence: string;
  last_seen_at: number | null;
  acked_seq: number;
  config_version: number;
  heartbeat: unknown;
  created_at: number;
  updated_at: number;
}

export const GATEWAY_COLUMNS = `g.pk, g.id, g.user_id, g.name, g.version, (g.credential_hash IS NOT NULL) AS credential_active, g.presence,
  g.last_seen_at, g.acked_seq, g.config_version, g.heartbeat, g.created_at, g.updated_at`;

export function gatewayFromRow(row: GatewayRow): Gateway {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    version: row.version,
    credentialActive: bool(row.credential_active),
    presence: row.presence as Presence,
    lastSeenAt: numOrNull(row.last_seen_at),
    ackedSeq: Number(row.acked_seq),
    configVersion: Number(row.config_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface SensorRow {
  pk: number;
  gateway_id: string;
  local_id: string;
  kind: string;
  name: string | null;
  unit: string | null;
  health: string | null;
  last_reading_at: number | null;
  first_seen_at: number;
}

export const SENSOR_COLUMNS = 's.pk, g.id AS gateway_id, s.local_id, s.kind, s.name, s.unit, s.health, s.last_reading_at, s.first_seen_at';

export function sensorFromRow(row: SensorRow): Sensor {
  return {
    id: cloudSensorId(row.gateway_id, row.local_id),
    key: Number(row.pk),
    gatewayId: row.gateway_id,
    sensorId: row.local_id,
    kind: row.kind as SensorKind,
    name: row.name,
    unit: row.unit,
    health: row.health as Health | null,
    lastReadingAt: numOrNull(row.last_reading_at),
    firstSeenAt: Number(row.first_seen_at),
  };
}

export function readingFromRow(row: Record<string, unknown>): CloudReading {
  const seqEnd = numOrNull(row.seq_end);
  return {
    seq: Number(row.seq),
    at: Number(row.ts),
    value: Number(row.value),
    unit: String(row.unit),
    raw: numOrNull(row.raw),
    percent: numOrNull(row.percent),
    litres: numOrNull(row.litres),
    ppm: numOrNull(row.ppm),
    quality: String(row.quality) as Quality,
    clockSynced: bool(row.clock_synced),
    downsampled:
      seqEnd === null ? null : { seqEnd, atEnd: Number(row.ts_end), count: Number(row.cnt), min: Number(row.min), max: Number(row.max) },
  };
}

export function eventFromRow(row: Record<string, unknown>, gatewayId: string): DeviceEvent {
  const local = row.sensor_local_id;
  return {
    id: Number(row.pk),
    seq: numOrNull(row.seq),
    source: row.source === 'cloud' ? 'cloud' : 'gateway',
    at: Number(row.ts),
    type: String(row.type),
    sensorId: typeof local === 'string' ? cloudSensorId(gatewayId, local) : null,
    state: row.state === 'raised' || row.state === 'cleared' ? row.state : null,
    severity: String(row.severity) as Severity,
    message: String(row.message),
    value: numOrNull(row.value),
    unit: typeof row.unit === 'string' ? row.unit : null,
    clockSynced: bool(row.clock_synced),
  };
}

export interface NotificationRow {
  id: string;
  user_id: string;
  gateway_id: string | null;
  sensor_local_id: string | null;
  rule_id: string | null;
  type: string;
  severity: string;
  title: string;
  message: string;
  channels: unknown;
  event_at: number;
  created_at: number;
  read_at: number | null;
}

export const NOTIFICATION_SELECT = `SELECT n.id, n.user_id, g.id AS gateway_id, n.sensor_local_id, n.rule_id, n.type, n.severity, n.title,
  n.message, n.channels, n.event_at, n.created_at, n.read_at FROM notifications n LEFT JOIN gateways g ON g.pk = n.gateway_pk`;

export function notificationFromRow(row: NotificationRow): Notification {
  return {
    id: row.id,
    userId: row.user_id,
    gatewayId: row.gateway_id,
    sensorId: row.gateway_id !== null && row.sensor_local_id !== null ? cloudSensorId(row.gateway_id, row.sensor_local_id) : null,
    ruleId: row.rule_id,
    type: row.type,
    severity: row.severity as Severity,
    title: row.title,
    message: row.message,
    channels: parseChannels(row.channels),
    eventAt: Number(row.event_at),
    createdAt: Number(row.created_at),
    readAt: row.read_at === null ? null : Number(row.read_at),
  };
}
