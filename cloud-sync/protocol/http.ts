/**
 * The HTTP surface the gateway's sync agent talks to, and the answers it must
 * handle. Every route below takes `Authorization: Bearer <credential>` except
 * REGISTER, which takes the claim code in its body.
 */
import { Type, type Static } from 'typebox';

export const SYNC_PATHS = {
  /** POST RegisterDeviceRequest → 201 RegisterDeviceResponse. */
  register: '/api/devices/register',
  /** POST IngestBatch (JSON, optionally Content-Encoding: gzip) → 200 IngestAck. */
  ingest: '/api/sensors/data',
  /** POST Heartbeat → 200 HeartbeatAck. */
  heartbeat: '/api/devices/heartbeat',
  /** GET → 200 DeviceConfig with ETag, or 304 when If-None-Match matches. */
  config: '/api/devices/config',
  /** PUT CalibrationUpload → 200 { version }. */
  calibrations: '/api/devices/calibrations',
} as const;

/** Every error answer: fastify's shape plus a stable code and, for 400s, the issues. */
export const ApiErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    /** Stable, e.g. EASYGAS_VALIDATION; the message may change, the code does not. */
    code: Type.String(),
    error: Type.String(),
    /** Says what is wrong and what to do. */
    message: Type.String(),
    /** Validation problems, one per field. */
    issues: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    /** A 409 on a thing with a state (an order): the state it has now… */
    current: Type.Optional(Type.Object({ status: Type.String() }, { additionalProperties: true })),
    /** …and what the caller may do from it. */
    allowed: Type.Optional(Type.Array(Type.String())),
  },
  { title: 'ApiError' },
);
export type ApiErrorBody = Static<typeof ApiErrorBody>;

/**
 * The codes a sync agent acts on. Anything else in the 4xx range is a bug on the
 * gateway's side: log it, keep the records, and retry later with backoff.
 */
export const SYNC_ERROR_CODES = {
  /** 401: the credential was revoked, rotated or the gateway deleted: stop syncing, keep the data, ask to re-register. */
  credentialInvalid: 'EASYGAS_GATEWAY_CREDENTIAL_INVALID',
  /** 429: wait Retry-After seconds, then resend the same batch. */
  rateLimited: 'EASYGAS_RATE_LIMITED',
  /** 413: the batch is too large: halve batchMaxRecords and resend. */
  bodyTooLarge: 'EASYGAS_BODY_TOO_LARGE',
  /** 400: the batch broke a rule (records outside its range, bad field). */
  validation: 'EASYGAS_VALIDATION',
  /** 400 on register: the claim code is unknown, used or expired: create a new one. */
  claimCodeInvalid: 'EASYGAS_CLAIM_CODE_INVALID',
  /** 503: the cloud's database is down: retry with backoff. */
  unavailable: 'EASYGAS_DB_UNAVAILABLE',
} as const;
