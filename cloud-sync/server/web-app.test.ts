import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from './app.js';
import { CONTENT_SECURITY_POLICY } from './web-app.js';

describe('the dashboard served at /', () => {
  let app: FastifyInstance;
  let dir: string;
  const INDEX = '<!doctype html><title>EasyGas</title><script type="module" src="/assets/app-ABC123.js"></script>';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'easygas-web-root-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-ABC123.js'), 'console.log("dashboard");'.repeat(50));
    writeFileSync(join(dir, 'assets', 'favicon-1.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // The build's brotli copy of the script (a marker body, to prove it is the one sent).
    writeFileSync(join(dir, 'assets', 'app-ABC123.js.br'), 'brotli copy from the build');
    app = await build({ db: ':memory:', sweeper: false, webRoot: dir });
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache and a strict Content-Security-Policy', async () => {
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, INDEX);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/, 'no inline code, no other origin');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const again = await app.inject({ url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(again.statusCode, 304, 'revalidation is cheap');
  });

  it('serves hashed assets for a year, immutable, compressed when asked', async () => {
    const res = await app.inject({ url: '/assets/app-ABC123.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(res.rawPayload).toString(), 'console.log("dashboard");'.repeat(50));
    assert.ok(res.rawPayload.length < 200, 'compressed');
    const br = await app.inject({ url: '/assets/app-ABC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.deepEqual([br.headers['content-encoding'], br.body], ['br', 'brotli copy from the build']);
    assert.equal((await app.inject({ url: '/assets/app-ABC123.js.br' })).statusCode, 404, 'the compressed copies are not files of their own');
    const plain = await app.inject({ url: '/assets/favicon-1.svg' });
    assert.deepEqual([plain.headers['content-type'], plain.headers['content-encoding']], ['image/svg+xml', undefined]);
  });

  it('falls back to index.html for any other page URL (the app routes in the browser)', async () => {
    for (const url of ['/gateways', '/sensors/3f2b:lpg', '/profile?tab=x', '/docs-nope']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, INDEX, url);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
    assert.equal((await app.inject({ method: 'HEAD', url: '/events' })).statusCode, 200);
  });

  it('keeps JSON 404s for /api/*, missing assets and non-GET requests', async () => {
    for (const [method, url] of [['GET', '/api/nope'], ['GET', '/api'], ['GET', '/assets/app-OLD.js'], ['POST', '/gateways'], ['DELETE', '/']] as const) {
      const res = await app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json<{ code: string }>().code, 'EASYGAS_ROUTE_NOT_FOUND', `${method} ${url}`);
    }
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'the API’s own routes still answer');
    assert.equal((await app.inject({ url: '/api/devices' })).json<{ code: string }>().code, 'EASYGAS_AUTH_REQUIRED');
  });

  it('without a built dashboard, / is the API’s JSON 404 as before', async () => {
    const bare = await build({ db: ':memory:', sweeper: false });
    try {
      const res = await bare.inject({ url: '/' });
      assert.deepEqual([res.statusCode, res.json<{ code: string }>().code], [404, 'EASYGAS_ROUTE_NOT_FOUND']);
    } finally {
      await bare.close();
    }
  });
});
