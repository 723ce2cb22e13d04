/**
 * The small types every message is made of. Bounds are part of the contract: a
 * value outside them is a bug or an attack, and the cloud answers 400 rather than
 * storing it (JSON's 1e400 is Infinity; a 1e300 "level" would poison every average).
 */
import { Type, type Static } from 'typebox';

/** Highest seq either side handles exactly: 2^53 − 1 (a JS number, a PostgreSQL bigint). */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
/** 9999-12-31T23:59:59.999Z: any wall-clock time a Pi can report, synced or not. */
export const MAX_EPOCH_MS = 253_402_300_799_999;
/** Far beyond any physical quantity here (litres, ppm, %LEL, °C) but still safe to sum. */
export const MAX_MAGNITUDE = 1e9;

/** A record's sequence number: unique and increasing per gateway, not gap-free. */
export const Seq = Type.Integer({ minimum: 1, maximum: MAX_SEQ, description: 'per-gateway sequence number' });
/** A cursor over seqs: 0 means "nothing yet". */
export const SeqCursor = Type.Integer({ minimum: 0, maximum: MAX_SEQ });
/** UTC epoch milliseconds. */
export const EpochMs = Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS, description: 'UTC epoch milliseconds' });
/** A measured or derived quantity. */
export const Measurement = Type.Number({ minimum: -MAX_MAGNITUDE, maximum: MAX_MAGNITUDE });

/** The gateway's own sensor id (its config's slug), e.g. "lpg" or "roof-tank". */
export const LOCAL_SENSOR_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
export const LocalSensorId = Type.String({
  pattern: LOCAL_SENSOR_ID_PATTERN,
  errorMessage: 'must be a sensor id: lowercase letters, digits, "-" and "_", at most 64 characters (e.g. "roof-tank")',
});

export const SensorKind = Type.Union([Type.Literal('level'), Type.Literal('gas'), Type.Literal('leak'), Type.Literal('temperature')]);
export type SensorKind = Static<typeof SensorKind>;

/** A sensor's health (the gateway's Health). */
export const Health = Type.Union([
  Type.Literal('ok'),
  Type.Literal('warming_up'),
  Type.Literal('stale'),
  Type.Literal('disconnected'),
  Type.Literal('out_of_range'),
  Type.Literal('stuck'),
  Type.Literal('noisy'),
]);
export type Health = Static<typeof Health>;

/** The health a reading can carry: the sensor produced a number. */
export const Quality = Type.Union([
  Type.Literal('ok'),
  Type.Literal('warming_up'),
  Type.Literal('out_of_range'),
  Type.Literal('stuck'),
  Type.Literal('noisy'),
]);
export type Quality = Static<typeof Quality>;

export const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
export type Severity = Static<typeof Severity>;

/** Rank of a severity, for "at least warning" comparisons. */
export function severityRank(severity: Severity): number {
  return severity === 'critical' ? 2 : severity === 'warning' ? 1 : 0;
}

export const Unit = Type.String({ minLength: 0, maxLength: 16, errorMessage: 'must be a unit such as "%", "%LEL", "°C", or "" for a contact (at most 16 characters)' });

/** Free text a person reads (event messages, names). */
export function text(maxLength: number, minLength = 0): ReturnType<typeof Type.String> {
  return Type.String({ minLength, maxLength });
}
