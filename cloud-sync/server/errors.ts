/**
 * The cloud's catalogue of error codes: one code per situation a client can hit,
 * its HTTP status, and a message that says what to do. Every error answer has the
 * fastify shape { statusCode, code, error, message } (+ issues for validation).
 * Codes are stable; clients (the sync agent, the dashboard) branch on them.
 */
import { STATUS_CODES } from 'node:http';
import type { Issue } from '../protocol/index.js';

export interface ApiErrorEntry {
  readonly statusCode: number;
  readonly message: string;
  /** When a client meets it, for the OpenAPI document (one line, no placeholders). */
  readonly when: string;
}

export const API_ERRORS = {
  EASYGAS_VALIDATION: { statusCode: 400, message: '{summary}', when: 'a field, query parameter or path parameter is missing or wrong: `issues` lists each one' },
  EASYGAS_INVALID_JSON: {
    statusCode: 400,
    message: 'the body is not valid JSON ({reason}): send a JSON document with Content-Type: application/json',
    when: 'the body is not valid JSON, or has a "__proto__" or "prototype" key',
  },
  EASYGAS_BAD_REQUEST: { statusCode: 400, message: '{reason}', when: 'the URL is malformed (bad percent-encoding) or a path parameter is longer than 200 characters' },
  EASYGAS_BAD_GZIP: {
    statusCode: 400,
    message: 'the body is not valid gzip ({reason}): compress the whole JSON body, or drop Content-Encoding',
    when: 'Content-Encoding says gzip but the body is not valid gzip',
  },
  EASYGAS_UNSUPPORTED_ENCODING: {
    statusCode: 415,
    message: 'Content-Encoding {encoding} is not supported: send gzip or identity',
    when: 'the body has a Content-Encoding other than gzip or identity',
  },
  EASYGAS_UNSUPPORTED_MEDIA_TYPE: {
    statusCode: 415,
    message: 'Content-Type {type} is not supported here: send application/json',
    when: 'the body is sent with a Content-Type other than application/json',
  },
  EASYGAS_BODY_TOO_LARGE: {
    statusCode: 413,
    message: 'the body is larger than {limit} bytes (after decompression): send smaller batches',
    when: 'the body is larger than the limit after decompression (256 KiB; 5 MiB for an ingest batch)',
  },
  EASYGAS_BAD_CONTENT_LENGTH: { statusCode: 400, message: 'Content-Length does not match the body sent', when: 'Content-Length does not match the body sent' },
  EASYGAS_AUTH_REQUIRED: {
    statusCode: 401,
    message: 'sign in first: send Authorization: Bearer <access token> (POST /api/auth/login)',
    when: 'no `Authorization: Bearer <access token>` header',
  },
  EASYGAS_TOKEN_INVALID: {
    statusCode: 401,
    message: 'the access token is invalid or expired: get a new one with POST /api/auth/refresh-token',
    when: 'the access token is invalid, expired, or older than the last password change: refresh it',
  },
  EASYGAS_BAD_CREDENTIALS: { statusCode: 401, message: 'the email or password is wrong', when: 'the email or password is wrong (it never says which)' },
  EASYGAS_REFRESH_TOKEN_INVALID: {
    statusCode: 401,
    message: 'the refresh token is unknown, expired or revoked: sign in again',
    when: 'the refresh token is unknown, expired or revoked: sign in again',
  },
  EASYGAS_REFRESH_TOKEN_REUSED: {
    statusCode: 401,
    message: 'this refresh token was already used, so it may have been stolen: every session it started is now signed out; sign in again',
    when: 'the refresh token was already spent: every session of its family is signed out',
  },
  EASYGAS_GATEWAY_AUTH_REQUIRED: {
    statusCode: 401,
    message: 'gateway routes need Authorization: Bearer <gateway credential> (from POST /api/devices/register)',
    when: 'no `Authorization: Bearer <gateway credential>` header',
  },
  EASYGAS_GATEWAY_CREDENTIAL_INVALID: {
    statusCode: 401,
    message: 'the gateway credential is unknown or was revoked: register the gateway again with a new claim code',
    when: 'the gateway credential is unknown, rotated or revoked, or its gateway was deleted: stop syncing and register again',
  },
  EASYGAS_TANK_DEVICE_CREDENTIAL_INVALID: {
    statusCode: 401,
    message: 'the tank device credential is missing, unknown or was replaced: send Authorization: Bearer <token from POST /api/tanks/:id/device-credential>',
    when: 'no `Authorization: Bearer <tank device token>`, or the token is unknown or was replaced by a newer one',
  },
  EASYGAS_WEBHOOK_SIGNATURE_INVALID: {
    statusCode: 401,
    message: 'the webhook signature is {reason}: sign "<t>.<raw body>" with HMAC-SHA256 and send X-EasyGas-Signature: t=<unix seconds>,v1=<hex>, within 5 minutes',
    when: 'the `X-EasyGas-Signature` header is missing, malformed, older than 5 minutes, or does not match the body',
  },
  EASYGAS_WRONG_PASSWORD: { statusCode: 403, message: 'the current password is wrong: nothing was changed', when: 'the current password is wrong; nothing was changed' },
  EASYGAS_FORBIDDEN: {
    statusCode: 403,
    message: 'a {role} account may not do this (it needs the permission {permission})',
    when: 'your role may never call this route (a supplier or admin on a customer\'s route, for example); see x-roles on the operation',
  },
  EASYGAS_ROLE_FORBIDDEN: {
    statusCode: 403,
    message: 'the role {role} cannot be chosen here: register as customer or supplier',
    when: 'the role `admin` cannot be chosen at registration',
  },
  EASYGAS_CSRF_REJECTED: {
    statusCode: 403,
    message: 'refused to use the session cookie: {reason} (only the dashboard on this origin may)',
    when: 'a cookie session route was called without `X-EasyGas-CSRF: 1`, or from another site\'s page',
  },
  EASYGAS_ORDER_STATE: {
    statusCode: 409,
    message: 'order {id} is {status}: {action} is not possible now (allowed: {allowed})',
    when: 'the order is not in a state this action is allowed from (or another change got there first): `current` is its state now, `allowed` what you may do',
  },
  EASYGAS_ORDER_OPEN: {
    statusCode: 409,
    message: 'tank {tankId} already has an open order ({number}, {status}): cancel or reschedule that one instead',
    when: 'the tank already has an open order (one at a time): `current` is that order',
  },
  EASYGAS_TANK_HAS_OPEN_ORDER: {
    statusCode: 409,
    message: 'tank {id} has an open order: cancel it (or wait for the delivery) before deleting the tank',
    when: 'the tank has an open order; nothing was deleted',
  },
  EASYGAS_ALREADY_REVIEWED: { statusCode: 409, message: 'order {id} has a review already (one per delivered order)', when: 'the order was reviewed already' },
  EASYGAS_EMAIL_TAKEN: { statusCode: 409, message: 'an account with this email exists: sign in, or use another email', when: 'another account has this email' },
  EASYGAS_CLAIM_CODE_INVALID: {
    statusCode: 400,
    message: 'the claim code is unknown, already used or expired: create a new one in the app (POST /api/devices/claim-codes)',
    when: 'the claim code is unknown, already used or expired',
  },
  EASYGAS_LINK_INVALID: {
    statusCode: 400,
    message: 'the link is unknown, already used or expired: ask for a new one',
    when: 'a verification or password-reset token is unknown, already used or expired',
  },
  EASYGAS_CHANNEL_UNVERIFIED: {
    statusCode: 409,
    message: 'channel address {id} is not verified yet: open the link in its verification email (or add the address again for a new link)',
    when: 'the email address has not been verified by its link yet: nothing is sent to it',
  },
  EASYGAS_CHANNEL_DISABLED: {
    statusCode: 409,
    message: 'channel address {id} was turned off ({reason}): add it again to turn it back on',
    when: 'a provider refused the address (a hard bounce, a number that opted out), so it was turned off: nothing is sent to it',
  },
  EASYGAS_PUSH_NOT_CONFIGURED: {
    statusCode: 404,
    message: "this server sends no web push: its operator has not set VAPID keys (EASYGAS_VAPID_PUBLIC_KEY, EASYGAS_VAPID_PRIVATE_KEY, EASYGAS_VAPID_SUBJECT)",
    when: 'the server has no VAPID keys, so it offers no web push',
  },
  EASYGAS_NOT_FOUND: {
    statusCode: 404,
    message: 'no {what} with id {id} in your account',
    when: 'no such id in your account; another account\'s id answers the same (never 403, which would confirm it exists)',
  },
  EASYGAS_ROUTE_NOT_FOUND: { statusCode: 404, message: 'no route {method} {url}: see /docs for the API', when: 'no route has this method and path' },
  EASYGAS_RULE_SENSOR_MISMATCH: {
    statusCode: 400,
    message: 'a {type} rule cannot watch a {kind} sensor: {hint}',
    when: 'the rule type does not fit the sensor kind (low_level and sudden_drop watch level sensors, gas watches gas sensors)',
  },
  EASYGAS_NOT_A_LEVEL_SENSOR: { statusCode: 400, message: 'analytics needs a level sensor; {id} is a {kind} sensor', when: 'the sensor is not a level sensor' },
  EASYGAS_RANGE_INVALID: { statusCode: 400, message: '{reason}', when: 'from or to is not a time, from is not before to, or the bucket is unknown or makes more than 10 000 points' },
  EASYGAS_RATE_LIMITED: {
    statusCode: 429,
    message: 'too many requests: retry in {after}',
    when: 'too many requests in the window: wait `Retry-After` seconds, then send the same request again',
  },
  EASYGAS_DB_UNAVAILABLE: { statusCode: 503, message: 'the database is unavailable: retry later', when: 'the database does not answer: retry after `Retry-After` seconds' },
  EASYGAS_SHUTTING_DOWN: {
    statusCode: 503,
    message: 'this server is shutting down: retry (another server, or this one after its restart)',
    when: 'this server is shutting down: retry after `Retry-After` seconds (a load balancer sends it elsewhere)',
  },
  EASYGAS_INTERNAL: {
    statusCode: 500,
    message: 'internal error (request {requestId}): the server log has the details',
    when: 'a bug: the server log has it under the request id (`X-Request-Id`)',
  },
  EASYGAS_STORAGE_FULL: {
    statusCode: 507,
    message: "the cloud's disk is full: nothing of this request was stored; retry later (the server's operator must free disk space)",
    when: "the cloud's disk is full: nothing was stored; retry after `Retry-After` seconds",
  },
} as const satisfies Record<string, ApiErrorEntry>;

export type ApiErrorCode = keyof typeof API_ERRORS;

type TemplateParams<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | TemplateParams<Rest> : never;
export type ApiErrorParams<C extends ApiErrorCode> = Readonly<Record<TemplateParams<(typeof API_ERRORS)[C]['message']>, string | number>>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly issues: readonly Issue[] | undefined;
  /** Extra response headers (Retry-After). */
  readonly headers: Readonly<Record<string, string>>;
  /** A conflict's state now and what may be done from it (the 409s of orders). */
  readonly state: ConflictState | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { issues?: readonly Issue[]; headers?: Record<string, string>; cause?: unknown; statusCode?: number; state?: ConflictState } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode ?? API_ERRORS[code].statusCode;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
    this.state = options.state;
  }

  toBody(): { statusCode: number; code: string; error: string; message: string; issues?: Issue[]; current?: ConflictState['current']; allowed?: string[] } {
    return {
      statusCode: this.statusCode,
      code: this.code,
      error: STATUS_CODES[this.statusCode] ?? 'Error',
      message: this.message,
      ...(this.issues === undefined ? {} : { issues: [...this.issues] }),
      ...(this.state === undefined ? {} : { current: this.state.current, allowed: [...this.state.allowed] }),
    };
  }
}

export interface ConflictState {
  readonly current: { readonly status: string } & Readonly<Record<string, unknown>>;
  readonly allowed: readonly string[];
}

/** Builds the catalogue's error with its parameters filled in (checked at compile time). */
export function apiError<C extends ApiErrorCode>(
  code: C,
  params: ApiErrorParams<C>,
  options: { issues?: readonly Issue[]; headers?: Record<string, string>; cause?: unknown; state?: ConflictState } = {},
): ApiError {
  const template: string = API_ERRORS[code].message;
  const values = params as Readonly<Record<string, string | number>>;
  const message = template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
  return new ApiError(code, message, options);
}

export function notFound(what: string, id: string): ApiError {
  return apiError('EASYGAS_NOT_FOUND', { what, id });
}

/** A 400 naming one field ("litres", "window.start"), in the shape schema validation uses. */
export function badField(path: string, message: string): ApiError {
  return apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${path}: ${message}` }, { issues: [{ path, message }] });
}
