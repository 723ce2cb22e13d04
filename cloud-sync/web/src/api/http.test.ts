import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiFailure } from './api-failure.js';
import { Http } from './http.js';
import { Session, type Access, type TokenStorage } from './session.js';

/** One localStorage shared by "tabs" (sessions), like a browser's. */
function sharedStorage(): TokenStorage & { refresh: string | null } {
  const box = { refresh: null as string | null, access: null as Access | null };
  return {
    get refresh() {
      return box.refresh;
    },
    set refresh(v) {
      box.refresh = v;
    },
    read: () => box.refresh,
    write: (v) => void (box.refresh = v),
    readAccess: () => box.access,
    writeAccess: (a) => void (box.access = a),
  };
}

/** A cloud that rotates refresh tokens like the real one: a spent token is reuse. */
function fakeCloud() {
  const spent = new Set<string>();
  const state = { next: 1, refreshes: 0, reused: false, valid: new Set(['rt_0']) };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    await Promise.resolve();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === '/api/auth/refresh-token') {
      state.refreshes++;
      const { refreshToken } = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { refreshToken: string };
      if (spent.has(refreshToken)) {
        state.reused = true;
        return Response.json({ code: 'EASYGAS_REFRESH_TOKEN_REUSED', message: 'reused' }, { status: 401 });
      }
      if (!state.valid.has(refreshToken)) return Response.json({ code: 'EASYGAS_REFRESH_TOKEN_INVALID', message: 'invalid' }, { status: 401 });
      spent.add(refreshToken);
      const n = state.next++;
      state.valid.add(`rt_${n}`);
      return Response.json({ accessToken: `at_${n}`, refreshToken: `rt_${n}`, tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 1, user: { id: 'u' } });
    }
    const auth = new Headers(init?.headers).get('authorization');
    if (auth === null || !auth.startsWith('Bearer at_')) return Response.json({ code: 'EASYGAS_TOKEN_INVALID', message: 'expired' }, { status: 401 });
    return Response.json({ ok: true, auth });
  };
  return { fetch, state };
}

/** Tabs wait for each other like Web Locks do. */
function sharedLock() {
  let tail = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.then(() => undefined, () => undefined);
    return run;
  };
}

describe('HTTP with refresh tokens', () => {
  it('refreshes once for concurrent requests, then sends the new access token', async () => {
    const cloud = fakeCloud();
    const storage = sharedStorage();
    storage.refresh = 'rt_0';
    const http = new Http({ fetch: cloud.fetch, session: new Session(storage, sharedLock(), () => 0), onSessionEnded: () => assert.fail('still signed in') });
    const answers = await Promise.all([http.request<{ auth: string }>('GET', '/api/a'), http.request<{ auth: string }>('GET', '/api/b')]);
    assert.equal(cloud.state.refreshes, 1);
    assert.deepEqual(answers.map((a) => a.auth), ['Bearer at_1', 'Bearer at_1']);
  });

  it('two tabs never spend the same refresh token (the second uses what the first stored)', async () => {
    const cloud = fakeCloud();
    const storage = sharedStorage();
    storage.refresh = 'rt_0';
    const lock = sharedLock();
    const ended: ApiFailure[] = [];
    const tab = () => new Http({ fetch: cloud.fetch, session: new Session(storage, lock, () => 0), onSessionEnded: (f) => ended.push(f) });
    const [a, b] = [tab(), tab()];
    await Promise.all([a.refresh(), b.refresh()]);
    assert.equal(cloud.state.reused, false, 'no reuse: the family stays signed in');
    assert.deepEqual(ended, []);
    assert.equal(storage.refresh, 'rt_2');
  });

  it('a refused refresh token ends the session and says why', async () => {
    const cloud = fakeCloud();
    const storage = sharedStorage();
    storage.refresh = 'rt_unknown';
    const ended: ApiFailure[] = [];
    const http = new Http({ fetch: cloud.fetch, session: new Session(storage, sharedLock(), () => 0), onSessionEnded: (f) => ended.push(f) });
    await assert.rejects(http.request('GET', '/api/a'), (e: unknown) => e instanceof ApiFailure && e.code === 'EASYGAS_REFRESH_TOKEN_INVALID');
    assert.deepEqual(ended.map((f) => f.code), ['EASYGAS_REFRESH_TOKEN_INVALID']);
    assert.equal(storage.refresh, null, 'nothing of the session is kept');
  });

  it('no answer at all is a NETWORK failure, not a sign-out', async () => {
    const storage = sharedStorage();
    storage.refresh = 'rt_0';
    const http = new Http({ fetch: () => Promise.reject(new TypeError('Failed to fetch')), session: new Session(storage, sharedLock(), () => 0), onSessionEnded: () => assert.fail('not ended') });
    await assert.rejects(http.request('GET', '/api/a'), (e: unknown) => e instanceof ApiFailure && e.code === 'NETWORK' && e.transient);
    assert.equal(storage.refresh, 'rt_0');
  });
});
