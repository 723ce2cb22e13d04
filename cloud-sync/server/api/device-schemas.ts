/** Request and response schemas of /api/devices (the user's side). */
import { Type } from 'typebox';
import { Health, SensorKind } from '../../protocol/index.js';
import { Nullable, Timestamp } from './common.js';

export const Presence = Type.Union([Type.Literal('unknown'), Type.Literal('online'), Type.Literal('offline')]);

export const ClaimCodeResponse = Type.Object({
  code: Type.String({ description: 'Type it into the gateway (easygas cloud register CODE); one use.' }),
  expiresAt: Timestamp,
});

export const DeviceView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Nullable(Type.String()),
  online: Type.Boolean(),
  presence: Presence,
  lastSeenAt: Nullable(Timestamp),
  ackedSeq: Type.Integer({ description: 'every record with seq ≤ ackedSeq is stored' }),
  configVersion: Type.Integer(),
  credentialActive: Type.Boolean(),
  createdAt: Timestamp,
});

export const DeviceUpdateBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false });

export const SensorView = Type.Object({
  id: Type.String({ description: '"<gatewayId>:<sensorId>"' }),
  gatewayId: Type.String(),
  sensorId: Type.String({ description: "the gateway's own id for it" }),
  name: Nullable(Type.String()),
  kind: SensorKind,
  unit: Nullable(Type.String()),
  health: Nullable(Health),
  lastReadingAt: Nullable(Timestamp),
  firstSeenAt: Timestamp,
});

export const DeviceStatus = Type.Object({
  id: Type.String(),
  name: Type.String(),
  online: Type.Boolean(),
  presence: Presence,
  lastSeenAt: Nullable(Timestamp),
  offlineAfterMs: Type.Integer({ description: 'silence longer than this marks the gateway offline' }),
  version: Nullable(Type.String()),
  ackedSeq: Type.Integer(),
  configVersion: Type.Integer(),
  heartbeat: Nullable(
    Type.Object({
      receivedAt: Timestamp,
      uptimeSeconds: Type.Number(),
      clockSynced: Type.Boolean(),
      backlog: Type.Object({ records: Type.Integer(), oldestAt: Nullable(Timestamp) }),
    }),
  ),
  sensors: Type.Array(SensorView),
});

export const CredentialResponse = Type.Object({
  gatewayId: Type.String(),
  credential: Type.String({ description: 'Shown once. The previous credential stops working now.' }),
});

export const EventView = Type.Object({
  id: Type.Integer(),
  seq: Nullable(Type.Integer()),
  source: Type.Union([Type.Literal('gateway'), Type.Literal('cloud')]),
  at: Timestamp,
  type: Type.String(),
  sensorId: Nullable(Type.String()),
  state: Nullable(Type.Union([Type.Literal('raised'), Type.Literal('cleared')])),
  severity: Type.String(),
  message: Type.String(),
  value: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  clockSynced: Type.Boolean(),
});

export const EventsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), before: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);

export const CalibrationsResponse = Type.Object({ version: Type.Integer(), changed: Type.Integer() });
