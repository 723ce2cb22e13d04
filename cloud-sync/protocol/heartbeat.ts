/**
 * The gateway's "I am alive" every minute or so: what it runs, how far behind its
 * sync is, and how its sensors feel. The cloud keeps the latest one per gateway and
 * marks the gateway offline when heartbeats stop (default: 3 missed minutes).
 */
import { Type, type Static } from 'typebox';
import { EpochMs, Health, LocalSensorId, Measurement, SensorKind, SeqCursor, Unit, text } from './primitives.js';

export const MAX_HEARTBEAT_SENSORS = 256;

export const SensorSnapshot = Type.Object(
  {
    id: LocalSensorId,
    /** What the homeowner calls it ("LPG cylinder"). */
    name: text(120, 1),
    kind: SensorKind,
    health: Health,
    lastReadingAt: Type.Optional(EpochMs),
    value: Type.Optional(Measurement),
    unit: Type.Optional(Unit),
  },
  { title: 'SensorSnapshot', additionalProperties: false },
);
export type SensorSnapshot = Static<typeof SensorSnapshot>;

export const Heartbeat = Type.Object(
  {
    /** The easygas version running on the gateway. */
    version: text(64, 1),
    uptimeSeconds: Type.Number({ minimum: 0, maximum: 1e10 }),
    clock: Type.Object({ synced: Type.Boolean() }, { additionalProperties: false }),
    /** What the store holds that the cloud has not acknowledged yet. */
    backlog: Type.Object(
      {
        records: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
        oldestAt: Type.Optional(EpochMs),
      },
      { additionalProperties: false },
    ),
    sensors: Type.Array(SensorSnapshot, { maxItems: MAX_HEARTBEAT_SENSORS }),
  },
  { title: 'Heartbeat', additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

export const HeartbeatAck = Type.Object(
  {
    /** The cloud's contiguous watermark: where the next batch should start. */
    ackedSeq: SeqCursor,
    /** Compare with the config you hold; fetch the config when it differs. */
    configVersion: Type.Integer({ minimum: 0 }),
    /** The cloud's clock (UTC epoch ms): a Pi without NTP can tell how far off it is. */
    serverTime: EpochMs,
  },
  { title: 'HeartbeatAck', additionalProperties: false },
);
export type HeartbeatAck = Static<typeof HeartbeatAck>;
