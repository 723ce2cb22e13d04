/**
 * The OpenAPI document's finishing pass (@fastify/swagger's transformObject): what
 * the route schemas cannot say by themselves.
 *
 * - Validator-only keywords (`errorMessage`) are stripped from every published schema.
 * - Every schema with a `title` becomes a named component (`#/components/schemas/Device`),
 *   so a client generator makes one type per concept instead of one per use.
 * - Response headers become references to components.headers; every answer carries
 *   X-Request-Id, and every operation takes it as an optional header.
 * - Each error answer lists the catalogue codes it can carry in `x-error-codes`.
 * - Each user operation names the roles that may call it in `x-roles` (403 for the others).
 */
import type { SwaggerOptions } from '@fastify/swagger';
import { isDeepStrictEqual } from 'node:util';
import { HEADERS, type HeaderName } from '../api/answers.js';
import { TAGS, type RouteAnswers } from './route-answers.js';

/** Keywords our validator reads that are not JSON Schema: kept out of the document. */
export const VALIDATOR_ONLY_KEYWORDS: readonly string[] = ['errorMessage'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The sub-schemas of a JSON Schema 2020-12 schema, by where they sit. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SCHEMA_VALUES = ['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

/** Rebuilds a schema bottom-up: `visit` sees each node after its sub-schemas were rebuilt. */
export function mapSchema(schema: unknown, visit: (node: Json) => Json): unknown {
  if (!isObject(schema)) return schema;
  const node: Json = { ...schema };
  for (const key of SCHEMA_MAPS) {
    const map = node[key];
    if (isObject(map)) node[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, mapSchema(sub, visit)]));
  }
  for (const key of SCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) node[key] = list.map((sub) => mapSchema(sub, visit));
  }
  for (const key of SCHEMA_VALUES) if (isObject(node[key])) node[key] = mapSchema(node[key], visit);
  return visit(node);
}

/** Every schema position of an OpenAPI document (parameters, bodies, answers, headers, components). */
function eachSchemaSlot(doc: Json, rewrite: (schema: unknown) => unknown): void {
  const inContent = (holder: Json | undefined): void => {
    for (const media of Object.values((holder?.content ?? {}) as Record<string, Json>)) {
      if (media.schema !== undefined) media.schema = rewrite(media.schema);
    }
  };
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const op of Object.values(item)) {
      for (const parameter of (op.parameters ?? []) as Json[]) if (parameter.schema !== undefined) parameter.schema = rewrite(parameter.schema);
      inContent(op.requestBody as Json | undefined);
      for (const answer of Object.values((op.responses ?? {}) as Record<string, Json>)) {
        inContent(answer);
        for (const header of Object.values((answer.headers ?? {}) as Record<string, Json>)) if (header.schema !== undefined) header.schema = rewrite(header.schema);
      }
    }
  }
}

function stripValidatorKeywords(node: Json): Json {
  for (const keyword of VALIDATOR_ONLY_KEYWORDS) delete node[keyword];
  return node;
}

/** Moves titled schemas to components.schemas; two different schemas may not share a title. */
function hoister(components: Record<string, unknown>): (node: Json) => Json {
  return (node) => {
    const title = node.title;
    if (typeof title !== 'string') return node;
    const known = components[title];
    if (known !== undefined && !isDeepStrictEqual(known, node)) throw new Error(`two different schemas are titled ${title}`);
    components[title] = node;
    return { $ref: `#/components/schemas/${title}` };
  };
}

const REQUEST_ID_PARAMETER = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description: 'Your id for this request (1–64 of `A-Z a-z 0-9 . _ : -`), kept in the server log and echoed back; anything else is replaced by a new UUID.',
  schema: { type: 'string' },
};

function headerComponents(): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(HEADERS).map(([name, schema]) => {
      const { description, ...rest } = schema as unknown as Json;
      return [name, { description, required: true, schema: stripValidatorKeywords({ ...rest }) }];
    }),
  );
}

function finishOperations(doc: Json, answers: RouteAnswers): void {
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      op.parameters = [...((op.parameters ?? []) as Json[]), { $ref: '#/components/parameters/RequestId' }];
      const codes = answers.codes.get(`${method.toUpperCase()} ${path}`);
      for (const [status, answer] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        const named = Object.keys(answer.headers ?? {}) as HeaderName[];
        answer.headers = Object.fromEntries(['X-Request-Id', ...named].map((name) => [name, { $ref: `#/components/headers/${name}` }]));
        const list = codes?.get(Number(status));
        if (list !== undefined) answer['x-error-codes'] = [...list];
      }
      const roles = answers.roles.get(`${method.toUpperCase()} ${path}`);
      if (roles !== undefined) op['x-roles'] = [...roles];
    }
  }
}

export function finishDocument(doc: Json, answers: RouteAnswers): Json {
  const components = (doc.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, unknown>;
  const hoist = hoister(schemas);
  finishOperations(doc, answers);
  eachSchemaSlot(doc, (schema) => mapSchema(schema, (node) => hoist(stripValidatorKeywords(node))));
  doc.components = {
    ...components,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    headers: headerComponents(),
    parameters: { RequestId: REQUEST_ID_PARAMETER },
  };
  return doc;
}

export const API_VERSION = '1.0.0';

export function swaggerOptions(answers: RouteAnswers): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'EasyGas cloud API',
        version: API_VERSION,
        description: [
          'Accounts, gateway provisioning, lossless ingest, queries, alert rules and notifications.',
          '',
          'User routes take `Authorization: Bearer <access token>`; sync routes take the gateway credential the same way.',
          'Every error has one shape, `ApiError` (`{ statusCode, code, error, message, issues? }`); branch on `code`, which is stable.',
          'Each error answer lists the codes it can carry in `x-error-codes`. Times are UTC epoch milliseconds.',
          'Each user operation lists the roles that may call it in `x-roles` (customer, supplier, admin); another role gets 403 EASYGAS_FORBIDDEN.',
        ].join('\n'),
        license: { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-EasyGas-Proprietary' },
      },
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          user: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /api/auth/login (valid 15 minutes).' },
          gateway: { type: 'http', scheme: 'bearer', description: 'The gateway credential (`egw_…`) from POST /api/devices/register.' },
        },
      },
    },
    transformObject: (document) => {
      if (!('openapiObject' in document)) throw new Error('the cloud API publishes OpenAPI 3.1 only');
      return finishDocument(document.openapiObject, answers);
    },
  };
}
