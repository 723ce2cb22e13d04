import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, call, signUp, startHarness, type Answer, type Harness } from '../../test-support/harness.js';

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  user: { id: string };
}

const PAGE = { 'x-easygas-csrf': '1', 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' };

/** The refresh cookie a Set-Cookie header carries, with its attributes. */
function setCookie(answer: Answer): { value: string; attributes: string[] } {
  const header = answer.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [String(header)]).find((h) => h.startsWith('easygas_refresh=')) ?? '';
  const [pair = '', ...attributes] = line.split(/;\s*/);
  return { value: pair.slice('easygas_refresh='.length), attributes: attributes.map((a) => a.toLowerCase()) };
}

describe('browser session: the refresh token in an HttpOnly cookie', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ authRateLimit: { max: 1000, windowMs: 60_000 } });
  });
  after(() => h.close());

  async function browserSignIn(): Promise<{ cookie: string; tokens: Tokens }> {
    const user = await signUp(h.app);
    const login = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD, refreshTokenIn: 'cookie' } });
    assert.equal(login.status, 200);
    return { cookie: setCookie(login).value, tokens: login.body };
  }

  it('sign-in sets an HttpOnly, Secure (on loopback), SameSite=Strict cookie scoped to /api/auth/session, and leaves the token out of the body', async () => {
    const user = await signUp(h.app);
    const login = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD, refreshTokenIn: 'cookie' } });
    assert.equal(login.body.refreshToken, undefined, 'no script ever sees the refresh token');
    assert.ok(login.body.accessToken.length > 0);
    const cookie = setCookie(login);
    assert.match(cookie.value, /^rt_/);
    for (const a of ['httponly', 'secure', 'samesite=strict', 'path=/api/auth/session']) assert.ok(cookie.attributes.includes(a), `${a} in ${cookie.attributes.join('; ')}`);
    assert.ok(cookie.attributes.some((a) => /^max-age=\d+$/.test(a)));
    const register = await call<Tokens>(h.app, 'POST', '/api/auth/register', { body: { email: `c-${Date.now()}@example.com`, password: PASSWORD, name: 'C', refreshTokenIn: 'cookie' } });
    assert.equal(register.status, 201);
    assert.equal(register.body.refreshToken, undefined);
    assert.match(setCookie(register).value, /^rt_/);
  });

  it('over plain HTTP on a LAN address the cookie drops Secure, or no browser would keep it', async () => {
    const user = await signUp(h.app);
    const login = await call<Tokens>(h.app, 'POST', '/api/auth/login', { headers: { host: '192.168.1.20:8080' }, body: { email: user.email, password: PASSWORD, refreshTokenIn: 'cookie' } });
    assert.ok(!setCookie(login).attributes.includes('secure'));
  });

  it('refreshes by the cookie from the page: a new access token, the cookie rotated, the old one spent', async () => {
    const { cookie } = await browserSignIn();
    const refreshed = await call<Tokens>(h.app, 'POST', '/api/auth/session/refresh', { headers: { ...PAGE, cookie: `easygas_refresh=${cookie}` } });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.refreshToken, undefined);
    const next = setCookie(refreshed).value;
    assert.match(next, /^rt_/);
    assert.notEqual(next, cookie);
    const me = await call(h.app, 'GET', '/api/users/me', { token: refreshed.body.accessToken });
    assert.equal(me.status, 200);
    const reused = await call(h.app, 'POST', '/api/auth/session/refresh', { headers: { ...PAGE, cookie: `easygas_refresh=${cookie}` } });
    assert.deepEqual([reused.status, reused.body.code], [401, 'EASYGAS_REFRESH_TOKEN_REUSED']);
    assert.equal(setCookie(reused).value, '', 'a refused cookie is cleared');
    assert.ok(setCookie(reused).attributes.includes('max-age=0'));
    const family = await call(h.app, 'POST', '/api/auth/session/refresh', { headers: { ...PAGE, cookie: `easygas_refresh=${next}` } });
    assert.equal(family.status, 401, 'a reuse signs the whole family out');
  });

  it('refuses CSRF: no header, another site, another origin — and never spends the cookie', async () => {
    const { cookie } = await browserSignIn();
    const jar = { cookie: `easygas_refresh=${cookie}` };
    const cases: Record<string, string>[] = [
      { ...jar },
      { ...jar, 'x-easygas-csrf': '1', 'sec-fetch-site': 'cross-site' },
      { ...jar, 'x-easygas-csrf': '1', 'sec-fetch-site': 'same-site' },
      { ...jar, 'x-easygas-csrf': '1', origin: 'https://evil.example' },
      { ...jar, 'x-easygas-csrf': 'yes' },
    ];
    for (const headers of cases) {
      for (const path of ['/api/auth/session/refresh', '/api/auth/session/logout']) {
        const refused = await call(h.app, 'POST', path, { headers });
        assert.deepEqual([refused.status, refused.body.code], [403, 'EASYGAS_CSRF_REJECTED'], `${path} ${JSON.stringify(headers)}`);
      }
    }
    const still = await call(h.app, 'POST', '/api/auth/session/refresh', { headers: { ...jar, ...PAGE } });
    assert.equal(still.status, 200, 'the refused requests spent nothing');
  });

  it('without a cookie: refresh is 401, logout is a harmless 204', async () => {
    const refresh = await call(h.app, 'POST', '/api/auth/session/refresh', { headers: PAGE });
    assert.deepEqual([refresh.status, refresh.body.code], [401, 'EASYGAS_REFRESH_TOKEN_INVALID']);
    const logout = await call(h.app, 'POST', '/api/auth/session/logout', { headers: PAGE });
    assert.equal(logout.status, 204);
  });

  it('signs out by the cookie: the session ends and the cookie is cleared', async () => {
    const { cookie } = await browserSignIn();
    const out = await call(h.app, 'POST', '/api/auth/session/logout', { headers: { ...PAGE, cookie: `easygas_refresh=${cookie}` } });
    assert.equal(out.status, 204);
    assert.ok(setCookie(out).attributes.includes('max-age=0'));
    const after = await call(h.app, 'POST', '/api/auth/session/refresh', { headers: { ...PAGE, cookie: `easygas_refresh=${cookie}` } });
    assert.equal(after.status, 401);
  });

  it('a password change from the browser sets a new cookie', async () => {
    const { tokens } = await browserSignIn();
    const changed = await call<Tokens>(h.app, 'POST', '/api/auth/change-password', {
      token: tokens.accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'another long passphrase', refreshTokenIn: 'cookie' },
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.refreshToken, undefined);
    const refreshed = await call(h.app, 'POST', '/api/auth/session/refresh', { headers: { ...PAGE, cookie: `easygas_refresh=${setCookie(changed).value}` } });
    assert.equal(refreshed.status, 200);
  });
});
