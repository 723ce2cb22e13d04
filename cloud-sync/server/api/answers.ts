/**
 * How a route declares what it answers: its successes (with a description and
 * any headers) and the catalogue errors only it can raise. The answers every route
 * of its kind shares (validation, auth, body limits, rate limits, 503, 500) are
 * added from the route's shape by docs/route-answers.ts, so they cannot drift.
 */
import { Type, type TSchema } from 'typebox';
import { ApiErrorBody } from '../../protocol/index.js';
import { API_ERRORS, type ApiErrorCode } from '../errors.js';

/** The response headers the API sets, as published under components.headers. */
export const HEADERS = {
  'Retry-After': Type.Integer({ minimum: 1, description: 'Seconds to wait before sending the same request again.' }),
  ETag: Type.String({ description: 'The version of this answer; send it back in `If-None-Match` to get 304 while it is unchanged.' }),
  'Cache-Control': Type.String({ description: '`no-cache`: keep the answer, but ask again (with If-None-Match) before using it.' }),
  'X-Request-Id': Type.String({
    description: 'The id of this request in the server log: the `X-Request-Id` sent (when it is 1–64 of `A-Z a-z 0-9 . _ : -`), else a new UUID.',
  }),
} as const;
export type HeaderName = keyof typeof HEADERS;

export interface JsonAnswer<S extends TSchema> {
  readonly description: string;
  readonly headers?: Readonly<Partial<Record<HeaderName, TSchema>>>;
  readonly content: { readonly 'application/json': { readonly schema: S } };
}


/** Where a failure entry keeps its catalogue codes (invisible to fastify and the document). */
export const ERROR_CODES = Symbol('easygas.errorCodes');

export interface ErrorAnswer extends JsonAnswer<typeof ApiErrorBody> {
  readonly [ERROR_CODES]: readonly ApiErrorCode[];
}

function headerSchemas(names: readonly HeaderName[]): Partial<Record<HeaderName, TSchema>> {
  return Object.fromEntries(names.map((name) => [name, HEADERS[name]]));
}

/** A JSON answer: its schema, what it means, and the headers it always carries. */
export function ok<S extends TSchema>(schema: S, description: string, headers: readonly HeaderName[] = []): JsonAnswer<S> {
  return { description, ...(headers.length === 0 ? {} : { headers: headerSchemas(headers) }), content: { 'application/json': { schema } } };
}

/** A body-less answer (204, 304): `type: 'null'` keeps any content out of the document; handlers send() nothing. */
export function noContent(description: string, headers: readonly HeaderName[] = []) {
  return Type.Unsafe<undefined>({ description, type: 'null', ...(headers.length === 0 ? {} : { headers: headerSchemas(headers) }) });
}

/** The headers each error status carries whatever its code. */
export const ERROR_HEADERS: Readonly<Partial<Record<number, readonly HeaderName[]>>> = { 429: ['Retry-After'], 503: ['Retry-After'], 507: ['Retry-After'] };

const STATUS_LEAD: Readonly<Record<number, string>> = {
  400: 'The request is malformed; nothing was changed.',
  401: 'Not authenticated.',
  403: 'Refused; nothing was changed.',
  404: 'Not found.',
  409: 'Conflict; nothing was changed.',
  413: 'The body is too large; nothing was changed.',
  415: 'The body is not in a form this API reads; nothing was changed.',
  429: 'Rate limited; nothing was done.',
  500: 'Internal error.',
  503: 'Unavailable for now; nothing was done.',
  507: 'The cloud has no room to store this; nothing was stored.',
};

/** One error answer for a status, its description built from the catalogue. */
export function errorAnswer(status: number, codes: readonly ApiErrorCode[]): ErrorAnswer {
  const lines = codes.map((code) => `- \`${code}\`: ${API_ERRORS[code].when}`);
  const headers = ERROR_HEADERS[status] ?? [];
  return {
    description: [`${STATUS_LEAD[status] ?? 'Error.'} The \`code\` says why:`, ...lines].join('\n'),
    ...(headers.length === 0 ? {} : { headers: headerSchemas(headers) }),
    content: { 'application/json': { schema: ApiErrorBody } },
    [ERROR_CODES]: codes,
  };
}

/** The catalogue errors this route raises itself, grouped by their status. */
export function fails(...codes: readonly ApiErrorCode[]): Record<number, ErrorAnswer> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) {
    const status = API_ERRORS[code].statusCode;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [status, errorAnswer(status, list)]));
}
