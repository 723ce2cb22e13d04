/**
 * The OpenAPI document, held to its word both ways. Every answer below passes the
 * harness's conformance hook (declared status, body fits the schema, code among
 * the answer's x-error-codes, required headers present); and every status the
 * document declares for an operation is provoked here at least once (500 aside:
 * only a bug answers it). The probes are generated from the document itself, so a
 * new route is covered without editing this file, except for its valid request.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createChannels, loadChannelSettings } from '../modules/notifications/channels/index.js';
import { openRepository } from '../storage/open-repository.js';
import { PASSWORD, claimGateway, signUp, startHarness, type Answer, type Harness } from '../test-support/harness.js';
import { T, makeWorld, operations, reading, send, validRequest, type Op, type Request, type World } from '../test-support/operation-requests.js';
import { deliveredOrder, tankBody, windowFrom } from '../test-support/order-world.js';

const BODY_LIMIT = 4096;

/** The same path with each parameter replaced: an unknown id (404) or a malformed one (400). */
function withIds(op: Op, id: 'unknown' | 'malformed'): string {
  return op.path.replace('{id}', () => {
    if (id === 'malformed') return 'not%20an%20id';
    return op.path.startsWith('/api/sensors') ? `${randomUUID()}:lpg` : randomUUID();
  });
}

async function raw(h: Harness, request: Request, payload: string | Buffer, headers: Record<string, string>): Promise<number> {
  const response = await h.app.inject({
    method: request.method as 'POST',
    url: request.url,
    payload,
    headers: { ...headers, ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }) },
  });
  return response.statusCode;
}

function merge(into: Map<string, Set<number>>, from: Harness): void {
  for (const [operation, statuses] of from.conformance.seen) into.set(operation, new Set([...(into.get(operation) ?? []), ...statuses]));
}

const declared = (op: Op): number[] => Object.keys(op.operation.responses).map(Number);
const bodyMethod = (op: Op): boolean => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method);

describe('the OpenAPI document: every answer is declared, every declared status is answered', () => {
  let h: Harness;
  let w: World;
  const seenElsewhere = new Map<string, Set<number>>();
  before(async () => {
    h = await startHarness({ bodyLimitBytes: BODY_LIMIT, ingestBodyLimitBytes: BODY_LIMIT, proofBodyLimitBytes: BODY_LIMIT, authRateLimit: { max: 10_000, windowMs: 60_000 } });
    w = await makeWorld(h);
  });
  after(() => h.close());

  it('answers each operation’s valid request with its declared success', async () => {
    for (const op of operations(h.app)) {
      const answer = await send(h, await validRequest(h, w, op.operation.operationId));
      assert.ok(answer.status < 300, `${op.operation.operationId}: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    const config = await send(h, { method: 'GET', url: '/api/devices/config', token: w.gw.credential });
    const unchanged = await send(h, { method: 'GET', url: '/api/devices/config', token: w.gw.credential, headers: { 'if-none-match': String(config.headers.etag) } });
    assert.equal(unchanged.status, 304);
  });

  it('answers the failures every operation’s shape implies: 400, 401, 403, 404, 413, 415', async () => {
    for (const op of operations(h.app)) {
      const statuses = declared(op);
      const valid = await validRequest(h, w, op.operation.operationId);
      const name = op.operation.operationId;
      if (op.operation.security.length > 0) {
        assert.equal((await send(h, { ...valid, token: undefined })).status, 401, `${name}: no credential`);
        assert.equal((await send(h, { ...valid, token: 'not-a-token' })).status, 401, `${name}: a bad credential`);
      }
      if (statuses.includes(403) && op.operation['x-roles']?.includes('supplier') === false) {
        assert.equal((await send(h, { ...valid, token: w.supplier.token })).status, 403, `${name}: a supplier on a customer's route`);
      }
      if (bodyMethod(op)) {
        assert.equal(await raw(h, valid, 'hello', { 'content-type': 'text/plain' }), 415, `${name}: text/plain`);
        assert.equal(await raw(h, valid, '{}', { 'content-type': 'application/json', 'content-encoding': 'br' }), 415, `${name}: br`);
        assert.equal(await raw(h, valid, JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) }), { 'content-type': 'application/json' }), 413, `${name}: too large`);
        assert.equal(await raw(h, valid, gzipSync(JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT * 4) })), { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 413, `${name}: a gzip bomb`);
        assert.equal(await raw(h, valid, '{"a":', { 'content-type': 'application/json' }), 400, `${name}: broken JSON`);
        assert.equal(await raw(h, valid, 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 400, `${name}: broken gzip`);
      }
      if (op.path.includes('{id}')) {
        assert.equal((await send(h, { ...valid, url: withIds(op, 'malformed'), body: valid.body })).status, 400, `${name}: a malformed id`);
        if (statuses.includes(404)) assert.equal((await send(h, { ...valid, url: withIds(op, 'unknown') })).status, 404, `${name}: an unknown id`);
      } else if (op.operation.parameters?.some((p) => p.in === 'query') === true) {
        const separator = valid.url.includes('?') ? '&' : '?';
        assert.equal((await send(h, { ...valid, url: `${valid.url}${separator}bogus=1` })).status, 400, `${name}: an unknown query parameter`);
      }
    }
  });

  it('answers the failures only some operations have: 403, 404 by a referenced id, 409', async () => {
    const u = w.user.token;
    const stranger = `${randomUUID()}:lpg`;
    const expect = async (request: Request, status: number, code: string) => {
      const answer = await send(h, request);
      assert.deepEqual([answer.status, answer.body.code], [status, code], `${request.method} ${request.url}`);
    };
    await expect({ method: 'POST', url: '/api/auth/register', body: { email: `a-${randomUUID()}@example.com`, password: PASSWORD, name: 'A', role: 'admin' } }, 403, 'EASYGAS_ROLE_FORBIDDEN');
    await expect({ method: 'POST', url: '/api/auth/register', body: { email: w.user.email, password: PASSWORD, name: 'Again' } }, 409, 'EASYGAS_EMAIL_TAKEN');
    await expect({ method: 'POST', url: '/api/auth/change-password', token: u, body: { currentPassword: 'wrong password', newPassword: `${PASSWORD} 3` } }, 403, 'EASYGAS_WRONG_PASSWORD');
    await expect({ method: 'PATCH', url: '/api/users/me', token: u, body: { email: w.other.email } }, 409, 'EASYGAS_EMAIL_TAKEN');
    await expect({ method: 'GET', url: `/api/alerts?sensorId=${stranger}`, token: u }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'GET', url: `/api/sensors/analytics?sensorId=${stranger}`, token: u }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'POST', url: '/api/alerts', token: u, body: { sensorId: stranger, type: 'device_offline', params: {} } }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'GET', url: `/api/sensors/analytics?sensorId=${w.gas}`, token: u }, 400, 'EASYGAS_NOT_A_LEVEL_SENSOR');
    await expect({ method: 'POST', url: '/api/alerts', token: u, body: { sensorId: w.gas, type: 'low_level', params: { warningPercent: 20, criticalPercent: 5 } } }, 400, 'EASYGAS_RULE_SENSOR_MISMATCH');
    await expect({ method: 'GET', url: `/api/sensors/${w.lpg}/history?from=2026-02-01&to=2026-01-01`, token: u }, 400, 'EASYGAS_RANGE_INVALID');
    await expect({ method: 'POST', url: '/api/devices/register', body: { code: 'ABCD-EFGH' } }, 400, 'EASYGAS_CLAIM_CODE_INVALID');
    await expect({ method: 'POST', url: '/api/auth/login', body: { email: w.user.email, password: 'not the password' } }, 401, 'EASYGAS_BAD_CREDENTIALS');
    await expect({ method: 'POST', url: '/api/auth/refresh-token', body: { refreshToken: 'rt_unknown' } }, 401, 'EASYGAS_REFRESH_TOKEN_INVALID');
    const crossSite = { 'x-easygas-csrf': '1', 'sec-fetch-site': 'cross-site' };
    await expect({ method: 'POST', url: '/api/auth/session/refresh', headers: crossSite }, 403, 'EASYGAS_CSRF_REJECTED');
    await expect({ method: 'POST', url: '/api/auth/session/logout', headers: crossSite }, 403, 'EASYGAS_CSRF_REJECTED');
    // Tanks and orders: a stranger's ids, an open order, a delivered order, a customer on the supplier's routes.
    await expect({ method: 'POST', url: '/api/tanks', token: u, body: tankBody(null, { sensorId: stranger }) }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'DELETE', url: `/api/tanks/${w.tankId}`, token: u }, 409, 'EASYGAS_TANK_HAS_OPEN_ORDER');
    await expect({ method: 'POST', url: '/api/payments/webhook/testpay', headers: { 'x-easygas-signature': 't=1,v1=00' }, body: { type: 'payment.succeeded', orderNumber: 'WO-NONE-NONE' } }, 401, 'EASYGAS_WEBHOOK_SIGNATURE_INVALID');
    await expect({ method: 'POST', url: '/api/payments/webhook/nopay', body: {} }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'POST', url: '/api/iot/water-level', token: 'etd_unknown', body: { readingId: 'r-1', at: T, percent: 50 } }, 401, 'EASYGAS_TANK_DEVICE_CREDENTIAL_INVALID');
    await expect({ method: 'POST', url: '/api/orders', token: u, body: { tankId: randomUUID(), litres: 500, window: windowFrom(h) } }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'POST', url: '/api/orders', token: u, body: { tankId: w.tankId, litres: 500, window: windowFrom(h) } }, 409, 'EASYGAS_ORDER_OPEN');
    await expect({ method: 'GET', url: `/api/orders?tankId=${randomUUID()}`, token: u }, 404, 'EASYGAS_NOT_FOUND');
    await expect({ method: 'POST', url: `/api/orders/${w.orderId}/review`, token: u, body: { stars: 3 } }, 409, 'EASYGAS_ORDER_STATE');
    const delivered = await deliveredOrder(h, u, w.supplier.token, w.supplierId);
    await expect({ method: 'PATCH', url: `/api/orders/${delivered}/cancel`, token: u, body: {} }, 409, 'EASYGAS_ORDER_STATE');
    await expect({ method: 'PATCH', url: `/api/orders/${delivered}/reschedule`, token: u, body: { window: windowFrom(h) } }, 409, 'EASYGAS_ORDER_STATE');
    await expect({ method: 'PATCH', url: `/api/supplier/orders/${delivered}/status`, token: w.supplier.token, body: { status: 'acknowledged' } }, 409, 'EASYGAS_ORDER_STATE');
    const unverified = await send(h, { method: 'POST', url: '/api/channels/email', token: u, body: { email: `unverified-${randomUUID()}@example.com` } });
    await expect({ method: 'POST', url: `/api/channels/${(unverified.body as { id?: string }).id ?? ''}/test`, token: u }, 409, 'EASYGAS_CHANNEL_UNVERIFIED');
    await expect({ method: 'GET', url: '/api/supplier/orders', token: u }, 403, 'EASYGAS_FORBIDDEN');
    await expect({ method: 'GET', url: '/api/supplier/customers', token: u }, 403, 'EASYGAS_FORBIDDEN');
    await expect({ method: 'GET', url: '/api/supplier/customers?cursor=bm90LWEtY3Vyc29y', token: w.supplier.token }, 400, 'EASYGAS_VALIDATION');
    await expect({ method: 'GET', url: `/api/supplier/orders/${w.orderId}`, token: u }, 403, 'EASYGAS_FORBIDDEN');
    await expect({ method: 'PATCH', url: `/api/supplier/orders/${w.orderId}/status`, token: u, body: { status: 'acknowledged' } }, 403, 'EASYGAS_FORBIDDEN');
  });

  it('answers 429 with Retry-After on every rate-limited operation', async () => {
    const limit = 2;
    const limited = await startHarness({ authRateLimit: { max: limit, windowMs: 60_000 }, ingestRateLimit: { max: limit, windowMs: 60_000 } });
    try {
      const lw = await makeWorld(limited);
      for (const op of operations(limited.app).filter((o) => declared(o).includes(429))) {
        await limited.clock.advance(60_000); // a fresh window: the counters are on the injected clock
        const valid = await validRequest(limited, lw, op.operation.operationId);
        const answers: Answer[] = [];
        for (let i = 0; i <= limit; i++) answers.push(await send(limited, valid));
        const last = answers.at(-1);
        assert.equal(last?.status, 429, `${op.operation.operationId}: ${last?.text.slice(0, 200) ?? ''}`);
        assert.match(String(last.headers['retry-after']), /^[1-9]\d*$/);
      }
      merge(seenElsewhere, limited);
    } finally {
      await limited.close();
    }
  });

  it('answers 503 EASYGAS_SHUTTING_DOWN (Retry-After, Connection: close) to requests that reach a closing server', async () => {
    const answers: { name: string; status: number; code: unknown; retryAfter: string | null; connection: string | null }[] = [];
    let base = '';
    let requests: { name: string; request: Request }[] = [];
    const closing = await startHarness({}, { beforeReady: (app) => {
      // Runs after the server's own preClose hook has marked it stopping, before it stops listening.
      app.addHook('preClose', async () => {
        for (const { name, request } of requests) {
          const response = await fetch(`${base}${request.url}`, {
            method: request.method,
            headers: { ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }), ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          });
          const text = await response.text();
          const body = (text.startsWith('{') ? JSON.parse(text) : {}) as { code?: unknown; status?: unknown };
          answers.push({ name, status: response.status, code: body.code ?? body.status, retryAfter: response.headers.get('retry-after'), connection: response.headers.get('connection') });
        }
      });
    } });
    const cw = await makeWorld(closing);
    requests = await Promise.all(operations(closing.app).map(async (op) => ({ name: op.operation.operationId, request: await validRequest(closing, cw, op.operation.operationId) })));
    closing.conformance.document(closing.app);
    base = await closing.app.listen({ port: 0, host: '127.0.0.1' });
    await closing.close();
    assert.equal(answers.length, requests.length);
    for (const a of answers) {
      if (a.name === 'getHealth') assert.deepEqual([a.status, a.code], [503, 'stopping']);
      else assert.deepEqual([a.name, a.status, a.code, a.connection, /^[1-9]\d*$/.test(a.retryAfter ?? '')], [a.name, 503, 'EASYGAS_SHUTTING_DOWN', 'close', true]);
    }
    merge(seenElsewhere, closing);
  });

  it('answers 503 with Retry-After on every operation when the database is gone', async () => {
    const down = await startHarness();
    const dw = await makeWorld(down);
    const requests = await Promise.all(operations(down.app).map(async (op) => ({ op, request: await validRequest(down, dw, op.operation.operationId) })));
    await down.repo.close();
    for (const { op, request } of requests) {
      const answer = await send(down, request);
      const expected = ['getMetrics', 'describeLiveSocket'].includes(op.operation.operationId) ? 200 : 503;
      assert.equal(answer.status, expected, `${op.operation.operationId}: ${answer.text.slice(0, 200)}`);
      if (expected === 503 && op.operation.operationId !== 'getHealth') assert.match(String(answer.headers['retry-after']), /^[1-9]\d*$/);
    }
    await down.app.close();
    assert.deepEqual(down.conformance.problems, []);
    merge(seenElsewhere, down);
  });

  it('answers 507 with Retry-After to ingest when the disk under the database is full', async () => {
    const repo = await openRepository(':memory:');
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const fullDisk = { ...repo, ingest: { ...repo.ingest, ingest: () => Promise.reject(full) } };
    const h507 = await startHarness({ db: fullDisk });
    const gw = await claimGateway(h507.app, (await signUp(h507.app)).token);
    const answer = await send(h507, { method: 'POST', url: '/api/sensors/data', token: gw.credential, body: { afterSeq: 0, lastSeq: 1, records: [reading(1, 'lpg', 'level')] } });
    assert.deepEqual([answer.status, answer.body.code, answer.headers['retry-after']], [507, 'EASYGAS_STORAGE_FULL', '60']);
    await h507.close();
    await repo.close();
    merge(seenElsewhere, h507);
  });

  it('answers 404 EASYGAS_PUSH_NOT_CONFIGURED for the push key when the server has no VAPID keys', async () => {
    const channels = createChannels(loadChannelSettings({ env: {} }), { now: () => 0 });
    const noPush = await startHarness({ channels });
    try {
      const answer = await send(noPush, { method: 'GET', url: '/api/push-subscriptions/key', token: (await signUp(noPush.app)).token });
      assert.deepEqual([answer.status, answer.body.code], [404, 'EASYGAS_PUSH_NOT_CONFIGURED']);
    } finally {
      await noPush.close();
      await channels.close();
    }
    merge(seenElsewhere, noPush);
  });

  it('has provoked every status the document declares (500 aside), so none is declared in vain', () => {
    const missing: string[] = [];
    for (const op of operations(h.app)) {
      const key = `${op.method} ${op.path}`;
      const seen = new Set([...(h.conformance.seen.get(key) ?? []), ...(seenElsewhere.get(key) ?? [])]);
      for (const status of declared(op)) if (status !== 500 && !seen.has(status)) missing.push(`${key} ${status}`);
    }
    assert.deepEqual(missing, []);
    assert.deepEqual(h.conformance.problems, []);
  });
});
