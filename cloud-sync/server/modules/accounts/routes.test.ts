import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, call, signUp, startHarness, type Harness } from '../../test-support/harness.js';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; email: string; role: string; notificationPreferences: Record<string, unknown> };
}

describe('accounts', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ authRateLimit: { max: 1000, windowMs: 60_000 } });
  });
  after(() => h.close());

  it('registers, signs in, and knows the signed-in user', async () => {
    const reg = await call<Tokens>(h.app, 'POST', '/api/auth/register', { body: { email: 'Ann@Example.com', password: PASSWORD, name: 'Ann' } });
    assert.equal(reg.status, 201);
    assert.equal(reg.body.user.email, 'ann@example.com');
    assert.equal(reg.body.user.role, 'customer');
    assert.equal(reg.body.expiresIn, 900, 'access tokens live 15 minutes');
    assert.match(reg.body.refreshToken, /^rt_/);
    const login = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: 'ann@example.COM', password: PASSWORD } });
    assert.equal(login.status, 200);
    const me = await call<Tokens['user']>(h.app, 'GET', '/api/users/me', { token: login.body.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, reg.body.user.id);
    assert.deepEqual(me.body.notificationPreferences, { email: true, push: true, minSeverity: 'warning', deviceOffline: true });
  });

  it('refuses a taken email (409), a self-made admin (403), a weak password (400) with what to do', async () => {
    const user = await signUp(h.app);
    const taken = await call(h.app, 'POST', '/api/auth/register', { body: { email: user.email.toUpperCase(), password: PASSWORD, name: 'B' } });
    assert.deepEqual([taken.status, taken.body.code], [409, 'EASYGAS_EMAIL_TAKEN']);
    const admin = await call(h.app, 'POST', '/api/auth/register', { body: { email: 'boss@example.com', password: PASSWORD, name: 'Boss', role: 'admin' } });
    assert.deepEqual([admin.status, admin.body.code], [403, 'EASYGAS_ROLE_FORBIDDEN']);
    const weak = await call(h.app, 'POST', '/api/auth/register', { body: { email: 'c@example.com', password: 'short', name: 'C' } });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.code, 'EASYGAS_VALIDATION');
    assert.deepEqual(weak.body.issues, [{ path: 'password', message: 'must be 10 to 256 characters (a few words make a good one)' }]);
    const supplier = await call<Tokens>(h.app, 'POST', '/api/auth/register', { body: { email: 'gas@example.com', password: PASSWORD, name: 'Gas Co', role: 'supplier' } });
    assert.equal(supplier.body.user.role, 'supplier');
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const user = await signUp(h.app);
    const wrong = await call(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: 'not the password' } });
    const unknown = await call(h.app, 'POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: PASSWORD } });
    assert.deepEqual([wrong.status, wrong.body.code], [401, 'EASYGAS_BAD_CREDENTIALS']);
    assert.deepEqual(unknown.body, wrong.body);
  });

  it('rotates refresh tokens; reusing an old one revokes the whole family', async () => {
    const user = await signUp(h.app);
    const first = await call<Tokens>(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: user.refreshToken } });
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refreshToken, user.refreshToken);
    const second = await call<Tokens>(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: first.body.refreshToken } });
    assert.equal(second.status, 200);
    // Someone replays the very first token (stolen): the family dies, including the latest token.
    const replay = await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: user.refreshToken } });
    assert.deepEqual([replay.status, replay.body.code], [401, 'EASYGAS_REFRESH_TOKEN_REUSED']);
    const latest = await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: second.body.refreshToken } });
    assert.deepEqual([latest.status, latest.body.code], [401, 'EASYGAS_REFRESH_TOKEN_INVALID']);
    // Another sign-in (another family) is untouched.
    const other = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    const otherRefresh = await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: other.body.refreshToken } });
    assert.equal(otherRefresh.status, 200);
  });

  it('expires access tokens after 15 minutes', async () => {
    const user = await signUp(h.app);
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: user.token })).status, 200);
    await h.clock.advance(15 * 60_000);
    const expired = await call(h.app, 'GET', '/api/users/me', { token: user.token });
    assert.deepEqual([expired.status, expired.body.code], [401, 'EASYGAS_TOKEN_INVALID']);
    assert.deepEqual((await call(h.app, 'GET', '/api/users/me')).body.code, 'EASYGAS_AUTH_REQUIRED');
  });

  it('changing the password signs out every other session and old access token', async () => {
    const user = await signUp(h.app);
    const elsewhere = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    const wrong = await call(h.app, 'POST', '/api/auth/change-password', { token: user.token, body: { currentPassword: 'nope', newPassword: 'a brand new passphrase' } });
    assert.deepEqual([wrong.status, wrong.body.code], [403, 'EASYGAS_WRONG_PASSWORD']);
    const changed = await call<Tokens>(h.app, 'POST', '/api/auth/change-password', {
      token: user.token,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    assert.equal(changed.status, 200);
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: user.token })).status, 401, 'the old access token is void');
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: elsewhere.body.accessToken })).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: elsewhere.body.refreshToken } })).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: user.refreshToken } })).status, 401);
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: changed.body.accessToken })).status, 200, 'the new session works');
    assert.equal((await call(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: 'a brand new passphrase' } })).status, 200);
  });

  it('signs out one session (its rotated tokens too) and leaves the others signed in', async () => {
    const user = await signUp(h.app);
    const other = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    const rotated = await call<Tokens>(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: user.refreshToken } });
    const out = await call(h.app, 'POST', '/api/auth/logout', { body: { refreshToken: rotated.body.refreshToken } });
    assert.equal(out.status, 204);
    assert.equal((await call(h.app, 'POST', '/api/auth/logout', { body: { refreshToken: rotated.body.refreshToken } })).status, 204, 'twice is harmless');
    assert.equal((await call(h.app, 'POST', '/api/auth/logout', { body: { refreshToken: 'rt_unknown' } })).status, 204, 'an unknown token reveals nothing');
    const dead = await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: rotated.body.refreshToken } });
    assert.deepEqual([dead.status, dead.body.code], [401, 'EASYGAS_REFRESH_TOKEN_INVALID']);
    assert.equal((await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: other.body.refreshToken } })).status, 200);
    assert.equal((await call(h.app, 'POST', '/api/auth/logout', { body: {} })).status, 400);
  });

  it('signs out everywhere: every refresh token and access token stops; the password still works', async () => {
    const user = await signUp(h.app);
    const elsewhere = await call<Tokens>(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    assert.equal((await call(h.app, 'POST', '/api/auth/logout-all')).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/logout-all', { token: user.token })).status, 204);
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: user.token })).status, 401);
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: elsewhere.body.accessToken })).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: user.refreshToken } })).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: elsewhere.body.refreshToken } })).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } })).status, 200);
  });

  it('updates the profile and notification preferences', async () => {
    const user = await signUp(h.app);
    const other = await signUp(h.app);
    const patched = await call<Tokens['user'] & { name: string; phone: string }>(h.app, 'PATCH', '/api/users/me', { token: user.token, body: { name: 'Ann Smith', phone: '+44 7700 900123' } });
    assert.deepEqual([patched.status, patched.body.name, patched.body.phone], [200, 'Ann Smith', '+44 7700 900123']);
    const clash = await call(h.app, 'PATCH', '/api/users/me', { token: user.token, body: { email: other.email } });
    assert.deepEqual([clash.status, clash.body.code], [409, 'EASYGAS_EMAIL_TAKEN']);
    const empty = await call(h.app, 'PATCH', '/api/users/me', { token: user.token, body: {} });
    assert.equal(empty.status, 400);
    const prefs = await call(h.app, 'PATCH', '/api/users/notification-preferences', { token: user.token, body: { push: false, minSeverity: 'critical' } });
    assert.deepEqual(prefs.body, { email: true, push: false, minSeverity: 'critical', deviceOffline: true });
    const bad = await call(h.app, 'PATCH', '/api/users/notification-preferences', { token: user.token, body: { minSeverity: 'loud' } });
    assert.deepEqual(bad.body.issues, [{ path: 'minSeverity', message: 'must be one of "info", "warning", "critical"' }]);
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 with Retry-After per address, and lets through again after the window', async () => {
    const h = await startHarness({ authRateLimit: { max: 3, windowMs: 60_000 } });
    try {
      const attempt = () => call(h.app, 'POST', '/api/auth/login', { body: { email: 'x@example.com', password: 'guess guess guess' } });
      for (let i = 0; i < 3; i++) assert.equal((await attempt()).status, 401);
      const limited = await attempt();
      assert.deepEqual([limited.status, limited.body.code], [429, 'EASYGAS_RATE_LIMITED']);
      assert.equal(limited.headers['retry-after'], '60');
      await h.clock.advance(60_000);
      assert.equal((await attempt()).status, 401);
    } finally {
      await h.close();
    }
  });
});
