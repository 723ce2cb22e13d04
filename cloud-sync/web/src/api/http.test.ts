import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiFailure } from './api-failure.js';
import { Http } from './http.js';
import { Session, type SessionMarker } from './session.js';

/** The session marker in localStorage, shared by "tabs" (sessions) like a browser's. */
function sharedMarker(present = true): SessionMarker & { present: boolean } {
  const box = { present };
  return {
    get present() {
      return box.present;
    },
    set present(v) {
      box.present = v;
    },
    read: () => box.present,
    write: (v) => void (box.present = v),
  };
}

/**
 * A cloud that rotates the session cookie like the real one (a spent token is reuse),
 * and the browser's cookie jar shared by the tabs: fetch sends the jar's cookie and
 * keeps what Set-Cookie says.
 */
function fakeCloud(cookie: string | undefined = 'rt_0') {
  const spent = new Set<string>();
  const state: { next: number; refreshes: number; reused: boolean; csrfMissing: number; jar: string | undefined; valid: Set<string> } = {
    next: 1,
    refreshes: 0,
    reused: false,
    csrfMissing: 0,
    jar: cookie,
    valid: new Set(['rt_0']),
  };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const token = state.jar; // the browser sends the cookie it holds when the request leaves
    await Promise.resolve();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    if (url === '/api/auth/session/refresh') {
      state.refreshes++;
      if (headers.get('x-easygas-csrf') !== '1') {
        state.csrfMissing++;
        return Response.json({ code: 'EASYGAS_CSRF_REJECTED', message: 'no header' }, { status: 403 });
      }
      if (token !== undefined && spent.has(token)) {
        state.reused = true;
        return Response.json({ code: 'EASYGAS_REFRESH_TOKEN_REUSED', message: 'reused' }, { status: 401 });
      }
      if (token === undefined || !state.valid.has(token)) {
        state.jar = undefined;
        return Response.json({ code: 'EASYGAS_REFRESH_TOKEN_INVALID', message: 'invalid' }, { status: 401 });
      }
      spent.add(token);
      const n = state.next++;
      state.valid.add(`rt_${n}`);
      state.jar = `rt_${n}`;
      return Response.json({ accessToken: `at_${n}`, tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 1, user: { id: 'u' } });
    }
    const auth = headers.get('authorization');
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

describe('HTTP with the session cookie', () => {
  it('refreshes once for concurrent requests, then sends the new access token', async () => {
    const cloud = fakeCloud();
    const http = new Http({ fetch: cloud.fetch, session: new Session(sharedMarker(), sharedLock(), () => 0), onSessionEnded: () => assert.fail('still signed in') });
    const answers = await Promise.all([http.request<{ auth: string }>('GET', '/api/a'), http.request<{ auth: string }>('GET', '/api/b')]);
    assert.equal(cloud.state.refreshes, 1);
    assert.equal(cloud.state.csrfMissing, 0, 'the refresh carries the CSRF header');
    assert.deepEqual(answers.map((a) => a.auth), ['Bearer at_1', 'Bearer at_1']);
  });

  it('two tabs never spend the same refresh cookie at once (the lock puts one after the other)', async () => {
    const cloud = fakeCloud();
    const marker = sharedMarker();
    const lock = sharedLock();
    const ended: ApiFailure[] = [];
    const tab = () => new Http({ fetch: cloud.fetch, session: new Session(marker, lock, () => 0), onSessionEnded: (f) => ended.push(f) });
    const [a, b] = [tab(), tab()];
    await Promise.all([a.refresh(), b.refresh()]);
    assert.equal(cloud.state.reused, false, 'no reuse: the family stays signed in');
    assert.deepEqual(ended, []);
    assert.equal(cloud.state.jar, 'rt_2');
  });

  it('without the lock two tabs would spend one cookie twice: the fake cloud catches it, so the test above can fail', async () => {
    const cloud = fakeCloud();
    const marker = sharedMarker();
    const noLock = <T>(task: () => Promise<T>) => task();
    const tab = () => new Http({ fetch: cloud.fetch, session: new Session(marker, noLock, () => 0), onSessionEnded: () => undefined });
    await Promise.allSettled([tab().refresh(), tab().refresh()]);
    assert.equal(cloud.state.reused, true);
  });

  it('a tab whose session another tab ended does not try the cookie', async () => {
    const cloud = fakeCloud();
    const ended: ApiFailure[] = [];
    const http = new Http({ fetch: cloud.fetch, session: new Session(sharedMarker(false), sharedLock(), () => 0), onSessionEnded: (f) => ended.push(f) });
    await assert.rejects(http.request('GET', '/api/a'));
    assert.equal(cloud.state.refreshes, 0);
    assert.deepEqual(ended.map((f) => f.code), ['EASYGAS_REFRESH_TOKEN_INVALID']);
  });

  it('a refused refresh token ends the session and says why', async () => {
    const cloud = fakeCloud('rt_unknown');
    const marker = sharedMarker();
    const ended: ApiFailure[] = [];
    const http = new Http({ fetch: cloud.fetch, session: new Session(marker, sharedLock(), () => 0), onSessionEnded: (f) => ended.push(f) });
    await assert.rejects(http.request('GET', '/api/a'), (e: unknown) => e instanceof ApiFailure && e.code === 'EASYGAS_REFRESH_TOKEN_INVALID');
    assert.deepEqual(ended.map((f) => f.code), ['EASYGAS_REFRESH_TOKEN_INVALID']);
    assert.equal(marker.present, false, 'nothing of the session is kept');
  });

  it('no answer at all is a NETWORK failure, not a sign-out', async () => {
    const marker = sharedMarker();
    const http = new Http({ fetch: () => Promise.reject(new TypeError('Failed to fetch')), session: new Session(marker, sharedLock(), () => 0), onSessionEnded: () => assert.fail('not ended') });
    await assert.rejects(http.request('GET', '/api/a'), (e: unknown) => e instanceof ApiFailure && e.code === 'NETWORK' && e.transient);
    assert.equal(marker.present, true, 'still signed in: the cloud did not say otherwise');
  });
});
