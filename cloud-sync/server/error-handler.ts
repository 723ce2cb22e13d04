/**
 * Every error leaves as the catalogue's shape, whatever raised it: our ApiErrors,
 * fastify's own (body too large, bad media type), the JSON parser, the database.
 * A 500 is reserved for real bugs; it is logged with the request id and its text
 * never reaches the client.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, apiError } from './errors.js';
import { GatewayGoneError } from './storage/repository.js';

/** The Retry-After (seconds) of a 503: a gateway retries soon (a restart takes about a second); a load balancer moves on anyway. */
export const RETRY_UNAVAILABLE_AFTER_S = 1;

/** Codes that mean "the database cannot answer now": the client retries later (503). 57014 is a read cancelled by its statement timeout. */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '53300', '57014', '08000', '08003', '08006', 'SQLITE_BUSY', 'SQLITE_CANTOPEN']);
/** The same, as pg, pg-pool, Kysely and the SQLite read worker word it without a code. */
const UNAVAILABLE_TEXT =
  /database connection is not open|Connection terminated|pool after calling end|timeout exceeded when trying to connect|driver has already been destroyed|Client was closed and is not queryable|read worker exited/i;
/** The disk under the database is full: nothing of the write was kept (507). */
const FULL = new Set(['SQLITE_FULL', '53100']);

export function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof GatewayGoneError) return apiError('EASYGAS_GATEWAY_CREDENTIAL_INVALID', {});
  const e = (error ?? {}) as Partial<FastifyError> & { code?: unknown; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('EASYGAS_BODY_TOO_LARGE', { limit: request.routeOptions.bodyLimit ?? 0 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiError('EASYGAS_UNSUPPORTED_MEDIA_TYPE', { type: JSON.stringify(String(request.headers['content-type'] ?? 'none').slice(0, 80)) });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return apiError('EASYGAS_BAD_CONTENT_LENGTH', {});
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiError('EASYGAS_INVALID_JSON', { reason: e.message ?? 'unparsable' });
    default:
      break;
  }
  if (typeof e.code === 'string' && FULL.has(e.code)) return apiError('EASYGAS_STORAGE_FULL', {}, { cause: error, headers: { 'retry-after': '60' } });
  if ((typeof e.code === 'string' && UNAVAILABLE.has(e.code)) || UNAVAILABLE_TEXT.test(e.message ?? '')) {
    return apiError('EASYGAS_DB_UNAVAILABLE', {}, { cause: error, headers: { 'retry-after': String(RETRY_UNAVAILABLE_AFTER_S) } });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError('EASYGAS_BAD_REQUEST', e.message ?? 'bad request', { cause: error, statusCode: e.statusCode });
  }
  return apiError('EASYGAS_INTERNAL', { requestId: request.id }, { cause: error });
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const api = toApiError(error, request);
  if (api.statusCode >= 500) request.log.error({ err: error, code: api.code }, 'request failed');
  else request.log.info({ code: api.code, statusCode: api.statusCode }, api.message);
  for (const [name, value] of Object.entries(api.headers)) void reply.header(name, value);
  void reply.status(api.statusCode).send(api.toBody());
}

/** Errors the router raises before any route runs (a malformed URL, an over-long path parameter). */
export function frameworkErrorHandler(error: { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const reason =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is too long: ids are at most 200 characters'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'the URL is malformed (bad percent-encoding?)'
        : 'the request could not be routed';
  const api = apiError('EASYGAS_BAD_REQUEST', { reason });
  void reply.header('x-request-id', request.id).status(api.statusCode).send(api.toBody());
  request.log.info({ code: error.code }, reason);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const api = apiError('EASYGAS_ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0]?.slice(0, 200) ?? '' });
  void reply.status(404).send(api.toBody());
}
