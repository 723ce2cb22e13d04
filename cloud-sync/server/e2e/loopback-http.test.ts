/**
 * The cloud over real loopback HTTP (fetch → listening fastify): what a gateway and
 * an app actually do, including a gzip batch and the ETag round trip. Runs on
 * SQLite always, and on PostgreSQL when it is reachable (fails under CI=true if not).
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../app.js';
import { FAST_SCRYPT, PASSWORD } from '../test-support/harness.js';
import { announceSkip, freshPostgresSchema, type FreshSchema } from '../storage/test-support/postgres.js';

interface Json {
  [key: string]: unknown;
}

async function http(base: string, method: string, path: string, options: { token?: string; body?: unknown; gzip?: boolean; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
    if (options.gzip === true) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text === '' ? {} : JSON.parse(text)) as Json };
}

function scenario(label: string, open: () => Promise<{ app: FastifyInstance } | { skip: string }>, cleanup: () => Promise<void>): void {
  describe(`over loopback HTTP: ${label}`, () => {
    let app: FastifyInstance | undefined;
    let base = '';
    let skip: string | undefined;
    before(async () => {
      const opened = await open();
      if ('skip' in opened) {
        skip = opened.skip;
        return;
      }
      app = opened.app;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    });
    after(async () => {
      await app?.close();
      await cleanup();
    });

    it('a homeowner claims a gateway, which syncs a gzip batch and pulls its config; the app reads it back', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const email = `loop-${Date.now()}@example.com`;
      const reg = await http(base, 'POST', '/api/auth/register', { body: { email, password: PASSWORD, name: 'Loop' } });
      assert.equal(reg.status, 201);
      const token = String(reg.body.accessToken);
      const code = await http(base, 'POST', '/api/devices/claim-codes', { token });
      const gw = await http(base, 'POST', '/api/devices/register', { body: { code: code.body.code, name: 'Loop Pi', version: '0.9.0' } });
      assert.equal(gw.status, 201);
      const credential = String(gw.body.credential);
      const at = Date.now() - 60_000;
      const records = Array.from({ length: 500 }, (_, i) => ({
        record: 'reading', seq: i + 1, sensorId: 'lpg', sensorKind: 'level', at: at + i, value: 70 - i / 100, unit: '%', percent: 70 - i / 100, litres: 30, quality: 'ok', clockSynced: true,
      }));
      const ack = await http(base, 'POST', '/api/sensors/data', { token: credential, gzip: true, body: { afterSeq: 0, lastSeq: 500, records } });
      assert.deepEqual(ack.body, { ackedSeq: 500, stored: 500, duplicates: 0 });
      assert.match(ack.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      const config = await http(base, 'GET', '/api/devices/config', { token: credential });
      const etag = config.headers.get('etag') ?? '';
      assert.equal(etag, '"config-0"');
      const cached = await http(base, 'GET', '/api/devices/config', { token: credential, headers: { 'if-none-match': etag } });
      assert.equal(cached.status, 304);
      const latest = await http(base, 'GET', `/api/sensors/${String(gw.body.gatewayId)}:lpg/latest`, { token });
      assert.equal((latest.body.reading as Json).seq, 500);
      const history = await http(base, 'GET', `/api/sensors/${String(gw.body.gatewayId)}:lpg/history?from=${at - 1}&to=${at + 1000}&bucket=1h`, { token });
      assert.equal((history.body.points as Json[]).reduce((n, p) => n + Number(p.count), 0), 500);
    });
  });
}

scenario(
  'SQLite',
  async () => ({ app: await build({ db: ':memory:', sweeper: false, passwordCost: FAST_SCRYPT }) }),
  () => Promise.resolve(),
);

const pgState: { fresh?: FreshSchema } = {};
scenario(
  'PostgreSQL',
  async () => {
    const got = await freshPostgresSchema();
    if (!got.ok) {
      announceSkip('the PostgreSQL loopback scenario', got.reason);
      return { skip: got.reason };
    }
    pgState.fresh = got.fresh;
    return { app: await build({ db: got.fresh.url, pgSchema: got.fresh.schema, sweeper: false, passwordCost: FAST_SCRYPT }) };
  },
  async () => {
    await pgState.fresh?.drop();
  },
);
