/**
 * Completes every route's declared answers with the ones its shape implies, as a
 * fastify onRoute hook, so the OpenAPI document lists every status a route can
 * answer and fastify serializes each error with the published schema:
 *
 * - a body-reading method (POST, PUT, PATCH, DELETE): 400 bad JSON / gzip /
 *   Content-Length, 413, 415;
 * - a params, query or body schema: 400 validation; path params: 400 malformed URL;
 * - the auth scope the route sits in (auth/scopes.ts): 401, and `security` to
 *   match (public routes get `security: []`); a user route's permission: 403 when
 *   some role lacks it, and `x-roles` naming the roles that hold it;
 * - a rate limit: 429 with Retry-After;
 * - every route: 503 (shutting down; the database unless `noDatabase`) and 500.
 *
 * It refuses to start a route without an operationId, a summary, a description
 * and a description of each answer, so the document cannot regress silently.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ERROR_CODES, errorAnswer, type ErrorAnswer } from '../api/answers.js';
import { rolesWith } from '../auth/permissions.js';
import { ROLES, type Role } from '../storage/types.js';
import type { ApiErrorCode } from '../errors.js';
import { API_ERRORS } from '../errors.js';

export const TAGS = {
  auth: 'Accounts: register, sign in, refresh tokens, change the password.',
  users: 'The signed-in user: profile and notification preferences.',
  devices: "Your gateways: claim codes, names, status, events and credentials (the owner's side).",
  sync: "What a gateway's sync agent calls with its own credential: registration, ingest, heartbeat, config, calibrations.",
  sensors: 'Sensors of your gateways: latest reading, history and consumption analytics.',
  alerts: 'Alert rules on your sensors, delivered to the gateway with its config.',
  notifications: 'What the cloud told you (alarms, offline gateways, tests), and where each was delivered.',
  channels: 'Where you are told: email addresses (verified by a link), SMS numbers, webhooks, push subscriptions.',
  operations: 'Health and metrics for operators and load balancers.',
  live: 'Live push: a WebSocket that carries your new readings, events, notifications and gateway presence as they are committed.',
  tanks: 'Your tanks: capacity, thresholds, auto-order, the linked level sensor, and levels (sensor, manual).',
  suppliers: 'The suppliers serving your address, with their volume prices, lead time and rating.',
  orders: 'Your refill orders: place, follow, cancel, reschedule, review; statistics.',
  supplier: "A supplier's side of the orders placed with it: acknowledge, schedule, dispatch, deliver, reject.",
} as const;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BODY_ERRORS: readonly ApiErrorCode[] = [
  'EASYGAS_INVALID_JSON',
  'EASYGAS_BAD_GZIP',
  'EASYGAS_BAD_CONTENT_LENGTH',
  'EASYGAS_BODY_TOO_LARGE',
  'EASYGAS_UNSUPPORTED_MEDIA_TYPE',
  'EASYGAS_UNSUPPORTED_ENCODING',
];

export type Guard = 'user' | 'gateway' | 'none';

/** What a route's options say about the answers it can give. */
export interface RouteShape {
  readonly method: string;
  readonly guard: Guard;
  /** A user route: some role may never call it. */
  readonly forbidsSomeRole: boolean;
  readonly hasParams: boolean;
  readonly validates: boolean;
  readonly rateLimited: boolean;
  readonly usesDatabase: boolean;
  /** It answers its own 503 (with its own body), shutdown included. */
  readonly ownUnavailable: boolean;
}

/** The catalogue codes a route of this shape can answer whatever its handler does. */
export function sharedErrors(shape: RouteShape): ApiErrorCode[] {
  const codes: ApiErrorCode[] = [];
  if (shape.validates) codes.push('EASYGAS_VALIDATION');
  if (shape.hasParams) codes.push('EASYGAS_BAD_REQUEST');
  if (BODY_METHODS.has(shape.method)) codes.push(...BODY_ERRORS);
  if (shape.guard === 'user') codes.push('EASYGAS_AUTH_REQUIRED', 'EASYGAS_TOKEN_INVALID');
  if (shape.forbidsSomeRole) codes.push('EASYGAS_FORBIDDEN');
  if (shape.guard === 'gateway') codes.push('EASYGAS_GATEWAY_AUTH_REQUIRED', 'EASYGAS_GATEWAY_CREDENTIAL_INVALID');
  if (shape.rateLimited) codes.push('EASYGAS_RATE_LIMITED');
  if (!shape.ownUnavailable) {
    if (shape.usesDatabase) codes.push('EASYGAS_DB_UNAVAILABLE');
    codes.push('EASYGAS_SHUTTING_DOWN');
  }
  codes.push('EASYGAS_INTERNAL');
  return codes;
}

const SECURITY: Readonly<Record<Guard, readonly Record<string, string[]>[]>> = { user: [{ user: [] }], gateway: [{ gateway: [] }], none: [] };

/** '/api/devices/:id' → '/api/devices/{id}', as the document writes paths. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

type Answer = Record<string, unknown> & { description?: unknown; [ERROR_CODES]?: readonly ApiErrorCode[] };

export class RouteAnswers {
  /** Catalogue codes per operation ("GET /api/devices/{id}") and status: the document's x-error-codes. */
  readonly codes = new Map<string, Map<number, readonly ApiErrorCode[]>>();
  /** The roles that may call each user route ("GET /api/devices/{id}"): the document's x-roles. */
  readonly roles = new Map<string, readonly Role[]>();
  readonly #operationIds = new Set<string>();

  /** The onRoute hook; `this` is the instance the route is added to, whose scope names its guard. */
  get hook(): (this: FastifyInstance, route: RouteOptions) => void {
    const complete = (route: RouteOptions, guard: Guard): void => this.complete(route, guard);
    return function (route) {
      complete(route, this.authScheme ?? 'none');
    };
  }

  complete(route: RouteOptions, guard: Guard): void {
    const schema = route.schema;
    if (route.method === 'HEAD' || schema?.hide === true) return;
    const method = String(route.method);
    const where = `${method} ${route.url}`;
    if (schema === undefined) throw new Error(`${where}: every route declares a schema (operationId, summary, description, answers)`);
    this.#checkDescribed(where, schema);
    const config = route.config ?? {};
    const roles = this.#roles(where, guard, config.permission);
    const shape: RouteShape = {
      method,
      guard,
      forbidsSomeRole: roles !== undefined && roles.length < ROLES.length,
      hasParams: schema.params !== undefined,
      validates: schema.params !== undefined || schema.querystring !== undefined || schema.body !== undefined,
      rateLimited: config.rateLimit !== undefined,
      usesDatabase: config.noDatabase !== true,
      ownUnavailable: config.ownUnavailable === true,
    };
    schema.security = [...SECURITY[guard]];
    const declared = (schema.response ?? {}) as Record<string, Answer>;
    const byStatus = new Map<number, ApiErrorCode[]>();
    for (const [status, answer] of Object.entries(declared)) {
      const own = answer[ERROR_CODES];
      if (own !== undefined) byStatus.set(Number(status), [...own]);
    }
    for (const code of sharedErrors(shape)) {
      const status = API_ERRORS[code].statusCode;
      if (declared[status] !== undefined && declared[status][ERROR_CODES] === undefined) {
        throw new Error(`${where}: answers its own ${status} body, yet its shape implies ${code}`);
      }
      const list = byStatus.get(status) ?? [];
      if (!list.includes(code)) list.push(code);
      byStatus.set(status, list);
    }
    const response: Record<string, Answer | ErrorAnswer> = { ...declared };
    for (const [status, list] of byStatus) response[status] = errorAnswer(status, list);
    schema.response = response;
    this.codes.set(`${method} ${openApiPath(route.url)}`, byStatus);
    if (roles !== undefined) this.roles.set(`${method} ${openApiPath(route.url)}`, roles);
  }

  /** A user route declares who may call it; no other route may. */
  #roles(where: string, guard: Guard, permission: Parameters<typeof rolesWith>[0] | undefined): readonly Role[] | undefined {
    if (guard !== 'user') {
      if (permission !== undefined) throw new Error(`${where}: declares a permission outside a user scope (auth/scopes.ts)`);
      return undefined;
    }
    if (permission === undefined) throw new Error(`${where}: a user route declares who may call it: config: requirePermission(…)`);
    return rolesWith(permission);
  }

  #checkDescribed(where: string, schema: NonNullable<RouteOptions['schema']>): void {
    const { operationId, summary, description, tags } = schema;
    if (typeof operationId !== 'string' || !/^[a-z][A-Za-z]+$/.test(operationId)) throw new Error(`${where}: needs a camelCase operationId`);
    if (this.#operationIds.has(operationId)) throw new Error(`${where}: operationId ${operationId} is taken`);
    this.#operationIds.add(operationId);
    if (typeof summary !== 'string' || summary === '') throw new Error(`${where}: needs a summary`);
    if (typeof description !== 'string' || description.length < 20 || description === summary) throw new Error(`${where}: needs a description beyond its summary`);
    if (tags?.length !== 1 || !Object.hasOwn(TAGS, tags[0] ?? '')) throw new Error(`${where}: needs one tag of ${Object.keys(TAGS).join(', ')}`);
    if (schema.security !== undefined) throw new Error(`${where}: security follows from the route's guard; do not declare it`);
    const answers = Object.entries((schema.response ?? {}) as Record<string, Answer>);
    if (!answers.some(([status]) => status.startsWith('2') || status === '304')) throw new Error(`${where}: declares no success answer`);
    for (const [status, answer] of answers) {
      if (typeof answer.description !== 'string' || answer.description === '') throw new Error(`${where}: answer ${status} needs a description`);
      if (!('content' in answer) && answer.type !== 'null') throw new Error(`${where}: answer ${status} is declared with ok(), noContent() or fails()`);
    }
  }
}
