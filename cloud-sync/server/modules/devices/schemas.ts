/** Request and response schemas of /api/devices (the user's side). */
import { Type } from 'typebox';
import { Health, SensorKind } from '../../../protocol/index.js';
import { Nullable, Timestamp } from '../../api/common.js';

export const Presence = Type.Union([Type.Literal('unknown'), Type.Literal('online'), Type.Literal('offline')], {
  description: 'online: heard within offlineAfterMs (3 minutes by default); offline: silent longer; unknown: never heard since it was claimed.',
});
/** Kept for clients written before `presence`; it never disagrees with it. */
const Online = Type.Boolean({ description: "Same as `presence == 'online'` (kept for older clients).", deprecated: true });

export const ClaimCodeResponse = Type.Object(
  {
    code: Type.String({ description: 'Type it into the gateway (easygas cloud register CODE); one use.' }),
    expiresAt: Timestamp,
  },
  { title: 'ClaimCode' },
);

export const DeviceView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    version: Nullable(Type.String()),
    online: Online,
    presence: Presence,
    lastSeenAt: Nullable(Timestamp),
    ackedSeq: Type.Integer({ description: 'every record with seq ≤ ackedSeq is stored' }),
    configVersion: Type.Integer(),
    credentialActive: Type.Boolean(),
    createdAt: Timestamp,
  },
  { title: 'Device' },
);

export const DeviceUpdateBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }) }, { title: 'DeviceRename', additionalProperties: false });

export const SensorView = Type.Object(
  {
    id: Type.String({ description: '"<gatewayId>:<sensorId>"' }),
    gatewayId: Type.String(),
    sensorId: Type.String({ description: "the gateway's own id for it" }),
    name: Nullable(Type.String()),
    kind: SensorKind,
    unit: Nullable(Type.String()),
    health: Nullable(Health),
    lastReadingAt: Nullable(Timestamp),
    firstSeenAt: Timestamp,
  },
  { title: 'Sensor' },
);

export const DeviceStatus = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    online: Online,
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
  },
  { title: 'DeviceStatus' },
);

export const CredentialResponse = Type.Object(
  {
    gatewayId: Type.String(),
    credential: Type.String({ description: 'Shown once. The previous credential stops working now.' }),
  },
  { title: 'RotatedCredential' },
);

export const EventView = Type.Object(
  {
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
  },
  { title: 'DeviceEvent' },
);

export const EventsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), before: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);

export const CalibrationsResponse = Type.Object({ version: Type.Integer(), changed: Type.Integer() }, { title: 'CalibrationsStored' });
