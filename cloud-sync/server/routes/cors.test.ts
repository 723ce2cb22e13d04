/**
 * CORS is closed: the cloud serves its own dashboard from its own origin, so no
 * answer ever carries Access-Control-Allow-* and a browser on another origin can
 * neither read an answer nor get a preflight through for a JSON or authorised request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, signUp, startHarness, type Harness } from '../test-support/harness.js';

const EVIL = 'https://evil.example';

describe('CORS, closed by default', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('answers a cross-origin preflight without any Access-Control-Allow header', async () => {
    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/auth/login',
      headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.ok(preflight.statusCode >= 400, `preflight answered ${preflight.statusCode}`);
    assert.deepEqual(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-')), []);
  });

  it('gives a cross-origin request no Access-Control-Allow-Origin, signed in or not', async () => {
    const user = await signUp(h.app);
    for (const request of [{ url: '/api/users/me', token: user.token }, { url: '/healthz' }]) {
      const answer = await call(h.app, 'GET', request.url, { ...(request.token === undefined ? {} : { token: request.token }), headers: { origin: EVIL } });
      assert.deepEqual(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')), [], request.url);
    }
  });
});
