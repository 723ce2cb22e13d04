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
}

export const API_ERRORS = {
  EASYGAS_VALIDATION: { statusCode: 400, message: '{summary}' },
  EASYGAS_INVALID_JSON: { statusCode: 400, message: 'the body is not valid JSON ({reason}): send a JSON document with Content-Type: application/json' },
  EASYGAS_BAD_REQUEST: { statusCode: 400, message: '{reason}' },
  EASYGAS_BAD_GZIP: { statusCode: 400, message: 'the body is not valid gzip ({reason}): compress the whole JSON body, or drop Content-Encoding' },
  EASYGAS_UNSUPPORTED_ENCODING: { statusCode: 415, message: 'Content-Encoding {encoding} is not supported: send gzip or identity' },
  EASYGAS_UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, message: 'Content-Type {type} is not supported here: send application/json' },
  EASYGAS_BODY_TOO_LARGE: { statusCode: 413, message: 'the body is larger than {limit} bytes (after decompression): send smaller batches' },
  EASYGAS_BAD_CONTENT_LENGTH: { statusCode: 400, message: 'Content-Length does not match the body sent' },
  EASYGAS_AUTH_REQUIRED: { statusCode: 401, message: 'sign in first: send Authorization: Bearer <access token> (POST /api/auth/login)' },
  EASYGAS_TOKEN_INVALID: { statusCode: 401, message: 'the access token is invalid or expired: get a new one with POST /api/auth/refresh-token' },
  EASYGAS_BAD_CREDENTIALS: { statusCode: 401, message: 'the email or password is wrong' },
  EASYGAS_REFRESH_TOKEN_INVALID: { statusCode: 401, message: 'the refresh token is unknown, expired or revoked: sign in again' },
  EASYGAS_REFRESH_TOKEN_REUSED: {
    statusCode: 401,
    message: 'this refresh token was already used, so it may have been stolen: every session it started is now signed out; sign in again',
  },
  EASYGAS_GATEWAY_AUTH_REQUIRED: { statusCode: 401, message: 'gateway routes need Authorization: Bearer <gateway credential> (from POST /api/devices/register)' },
  EASYGAS_GATEWAY_CREDENTIAL_INVALID: {
    statusCode: 401,
    message: 'the gateway credential is unknown or was revoked: register the gateway again with a new claim code',
  },
  EASYGAS_WRONG_PASSWORD: { statusCode: 403, message: 'the current password is wrong: nothing was changed' },
  EASYGAS_ROLE_FORBIDDEN: { statusCode: 403, message: 'the role {role} cannot be chosen here: register as customer or supplier' },
  EASYGAS_EMAIL_TAKEN: { statusCode: 409, message: 'an account with this email exists: sign in, or use another email' },
  EASYGAS_CLAIM_CODE_INVALID: {
    statusCode: 400,
    message: 'the claim code is unknown, already used or expired: create a new one in the app (POST /api/devices/claim-codes)',
  },
  EASYGAS_NOT_FOUND: { statusCode: 404, message: 'no {what} with id {id} in your account' },
  EASYGAS_ROUTE_NOT_FOUND: { statusCode: 404, message: 'no route {method} {url}: see /docs for the API' },
  EASYGAS_RULE_SENSOR_MISMATCH: { statusCode: 400, message: 'a {type} rule cannot watch a {kind} sensor: {hint}' },
  EASYGAS_NOT_A_LEVEL_SENSOR: { statusCode: 400, message: 'analytics needs a level sensor; {id} is a {kind} sensor' },
  EASYGAS_RANGE_INVALID: { statusCode: 400, message: '{reason}' },
  EASYGAS_RATE_LIMITED: { statusCode: 429, message: 'too many requests: retry in {after}' },
  EASYGAS_DB_UNAVAILABLE: { statusCode: 503, message: 'the database is unavailable: retry later' },
  EASYGAS_STORAGE_FULL: {
    statusCode: 507,
    message: "the cloud's disk is full: nothing of this request was stored; retry later (the server's operator must free disk space)",
  },
  EASYGAS_INTERNAL: { statusCode: 500, message: 'internal error (request {requestId}): the server log has the details' },
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

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { issues?: readonly Issue[]; headers?: Record<string, string>; cause?: unknown; statusCode?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode ?? API_ERRORS[code].statusCode;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  toBody(): { statusCode: number; code: string; error: string; message: string; issues?: Issue[] } {
    return {
      statusCode: this.statusCode,
      code: this.code,
      error: STATUS_CODES[this.statusCode] ?? 'Error',
      message: this.message,
      ...(this.issues === undefined ? {} : { issues: [...this.issues] }),
    };
  }
}

/** Builds the catalogue's error with its parameters filled in (checked at compile time). */
export function apiError<C extends ApiErrorCode>(
  code: C,
  params: ApiErrorParams<C>,
  options: { issues?: readonly Issue[]; headers?: Record<string, string>; cause?: unknown } = {},
): ApiError {
  const template: string = API_ERRORS[code].message;
  const values = params as Readonly<Record<string, string | number>>;
  const message = template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
  return new ApiError(code, message, options);
}

export function notFound(what: string, id: string): ApiError {
  return apiError('EASYGAS_NOT_FOUND', { what, id });
}
