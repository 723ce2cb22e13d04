import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { ok } from '../api/answers.js';
import { startHarness } from '../test-support/harness.js';
import { finishDocument, mapSchema } from './openapi-document.js';
import { RouteAnswers } from './route-answers.js';

/** What a published schema may say: JSON Schema 2020-12 and OpenAPI 3.1's own words, nothing a validator made up. */
const SCHEMA_KEYWORDS = new Set([
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'patternProperties', 'items', 'prefixItems',
  'anyOf', 'oneOf', 'allOf', 'not', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'format', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'title', 'description', 'default',
  'deprecated', 'examples', 'readOnly', 'writeOnly', 'propertyNames',
]);

type Json = Record<string, unknown>;

async function documentOf(): Promise<Json> {
  const h = await startHarness();
  try {
    return JSON.parse(JSON.stringify(h.app.swagger())) as Json;
  } finally {
    await h.close();
  }
}

function everySchema(doc: Json, visit: (node: Json, where: string) => void): void {
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}/${i}`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, sub] of Object.entries(value)) {
        if (key === 'schema' || (where.endsWith('/components/schemas') && typeof sub === 'object')) mapSchema(sub, (node) => (visit(node, `${where}/${key}`), node));
        else walk(sub, `${where}/${key}`);
      }
    }
  };
  walk(doc, '');
}

describe('the OpenAPI document', () => {
  it('publishes only JSON Schema keywords: no errorMessage or other validator-only words', async () => {
    const doc = await documentOf();
    const strays: string[] = [];
    everySchema(doc, (node, where) => {
      for (const key of Object.keys(node)) if (!SCHEMA_KEYWORDS.has(key)) strays.push(`${where}: ${key}`);
    });
    assert.deepEqual(strays, []);
    assert.doesNotMatch(JSON.stringify(doc), /errorMessage/);
  });

  it('describes every operation and answer, names its schemas, and says which operations are public', async () => {
    const doc = await documentOf();
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const publicOps: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        assert.match(String(op.operationId), /^[a-z][A-Za-z]+$/, where);
        assert.ok(String(op.description).length >= 20, where);
        assert.equal((op.tags as string[]).length, 1, where);
        if ((op.security as unknown[]).length === 0) publicOps.push(where);
        for (const [status, answer] of Object.entries(op.responses as Record<string, Json>)) {
          assert.ok(typeof answer.description === 'string' && answer.description !== 'Default Response', `${where} ${status}`);
          assert.deepEqual(Object.keys(answer.headers as Json)[0], 'X-Request-Id', `${where} ${status}`);
          if (status === '204' || status === '304') assert.equal(answer.content, undefined, `${where} ${status} has no body`);
          if (status === '429' || status === '503') assert.ok('Retry-After' in (answer.headers as Json) || path === '/healthz', `${where} ${status}`);
        }
      }
    }
    // GET /api/ws is public over HTTP: the socket authenticates with its first message, never the URL. The browser's
    // session routes carry their proof in the cookie, password reset and email verification in a token by email, an HTTP
    // level device its own token, a payment provider's webhook its signature.
    assert.deepEqual(publicOps.sort(), [
      'get /api/channels/email/verify', 'get /api/ws', 'get /healthz', 'get /metrics', 'post /api/auth/login',
      'post /api/auth/logout', 'post /api/auth/password-reset', 'post /api/auth/password-reset/confirm', 'post /api/auth/refresh-token',
      'post /api/auth/register', 'post /api/auth/session/logout', 'post /api/auth/session/refresh', 'post /api/channels/email/verify',
      'post /api/devices/register', 'post /api/iot/water-level', 'post /api/payments/webhook/{provider}',
    ]);
    const schemas = Object.keys((doc.components as { schemas: Json }).schemas);
    for (const name of ['ApiError', 'Device', 'DeviceStatus', 'Sensor', 'Reading', 'History', 'AlertRule', 'Notification', 'IngestBatch', 'GatewayConfig']) assert.ok(schemas.includes(name), name);
    const config = paths['/api/devices/config']?.get as { parameters: Json[]; responses: Record<string, { headers: Json }> };
    assert.ok(config.parameters.some((p) => p.name === 'if-none-match' && p.in === 'header'));
    assert.ok('ETag' in config.responses['200']!.headers && 'ETag' in config.responses['304']!.headers);
  });

  it('refuses to start a route that does not describe itself', async () => {
    await assert.rejects(
      startHarness({}, { beforeReady: (app) => {
        app.get('/undescribed', { schema: { tags: ['operations'], summary: 'No id', response: { 200: ok(Type.String(), 'text') } } }, () => Promise.resolve('x'));
      } }),
      /GET \/undescribed: needs a camelCase operationId/,
    );
  });

  it('refuses two different schemas under one name', () => {
    const answers = new RouteAnswers();
    const doc = {
      paths: {
        '/a': { get: { responses: { 200: { description: 'a', content: { 'application/json': { schema: { title: 'Thing', type: 'string' } } } } } } },
        '/b': { get: { responses: { 200: { description: 'b', content: { 'application/json': { schema: { title: 'Thing', type: 'integer' } } } } } } },
      },
      components: {},
    };
    assert.throws(() => finishDocument(doc, answers), /two different schemas are titled Thing/);
  });
});
