import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_ERRORS } from '../../errors.js';
import { SYNC_ERROR_CODES } from '../../../protocol/index.js';
import { call, claimGateway, signUp, startHarness, type Harness } from '../../test-support/harness.js';

describe('operations', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('GET /healthz checks the database', async () => {
    const health = await call<{ status: string; database: { dialect: string; ok: boolean } }>(h.app, 'GET', '/healthz');
    assert.deepEqual([health.status, health.body.status, health.body.database.dialect, health.body.database.ok], [200, 'ok', 'sqlite', true]);
  });

  it('counts requests by route and status, ingest records, duplicates and database latency', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const body = { afterSeq: 0, lastSeq: 2, records: [1, 2].map((seq) => ({ record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', at: seq, value: 1, unit: '%', quality: 'ok', clockSynced: true })) };
    await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body });
    await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body });
    await call(h.app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token });
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(metrics.body, /easygas_http_requests_total\{method="POST",route="\/api\/sensors\/data",status="200"\} 2/);
    assert.match(metrics.body, /easygas_http_requests_total\{method="GET",route="\/api\/devices\/:id",status="200"\} 1/);
    assert.match(metrics.body, /easygas_ingest_records_total\{kind="reading"\} 2/);
    assert.match(metrics.body, /easygas_ingest_duplicates_total 2/);
    assert.match(metrics.body, /easygas_db_operation_duration_seconds_count\{operation="ingest.ingest"\} 2/);
    assert.match(metrics.body, /easygas_http_request_duration_seconds_bucket\{method="POST",route="\/api\/sensors\/data",le="\+Inf"\} 2/);
  });

  it('serves the OpenAPI document generated from the route schemas, and a self-contained page', async () => {
    const doc = await call<{ openapi: string; paths: Record<string, Record<string, { summary?: string }>> }>(h.app, 'GET', '/docs/openapi.json');
    assert.equal(doc.body.openapi, '3.1.0');
    const expected = [
      'post /api/auth/register', 'post /api/auth/login', 'post /api/auth/refresh-token', 'post /api/auth/change-password',
      'get /api/users/me', 'patch /api/users/me', 'patch /api/users/notification-preferences',
      'post /api/devices/claim-codes', 'post /api/devices/register', 'get /api/devices', 'get /api/devices/{id}', 'put /api/devices/{id}',
      'delete /api/devices/{id}', 'get /api/devices/{id}/status', 'post /api/devices/heartbeat', 'get /api/devices/config',
      'put /api/devices/calibrations', 'post /api/sensors/data', 'get /api/sensors/{id}/latest', 'get /api/sensors/{id}/history',
      'get /api/sensors/analytics', 'get /api/alerts', 'post /api/alerts', 'put /api/alerts/{id}', 'delete /api/alerts/{id}',
      'post /api/alerts/{id}/test', 'get /api/notifications', 'get /healthz', 'get /metrics',
    ];
    for (const entry of expected) {
      const [method, path] = entry.split(' ') as [string, string];
      assert.ok(doc.body.paths[path]?.[method]?.summary, `documented: ${entry}`);
    }
    const page = await h.app.inject({ method: 'GET', url: '/docs' });
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<code>\/api\/sensors\/data<\/code>/);
    assert.doesNotMatch(page.body, /<script/);
  });

  it('tags every answer with a request id, keeping a sane one from the caller', async () => {
    const given = await h.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    assert.equal(given.headers['x-request-id'], 'trace-123');
    const hostile = await h.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': '<script>' } });
    assert.match(String(hostile.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('keeps one catalogue: every code the sync agent handles exists with its status', () => {
    for (const code of Object.values(SYNC_ERROR_CODES)) assert.ok(code in API_ERRORS, code);
    assert.equal(API_ERRORS.EASYGAS_RATE_LIMITED.statusCode, 429);
    assert.equal(API_ERRORS.EASYGAS_BODY_TOO_LARGE.statusCode, 413);
  });
});

describe('operations with the database down', () => {
  it('answers /healthz 503 and other routes 503 with a code, never a bare 500', async () => {
    const h = await startHarness();
    const user = await signUp(h.app);
    await h.repo.close();
    try {
      const health = await call<{ status: string; database: { ok: boolean } }>(h.app, 'GET', '/healthz');
      assert.deepEqual([health.status, health.body.status, health.body.database.ok], [503, 'unavailable', false]);
      const me = await call(h.app, 'GET', '/api/devices', { token: user.token });
      assert.deepEqual([me.status, me.body.code], [503, 'EASYGAS_DB_UNAVAILABLE']);
    } finally {
      await h.app.close();
    }
  });
});
