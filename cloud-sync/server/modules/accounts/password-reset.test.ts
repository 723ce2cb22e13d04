/**
 * Password reset: the same answer for an address with or without an account; the
 * link's token sets the password once, within 30 minutes (injected clock), and
 * ends every session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, call, signUp, startHarness, type Harness } from '../../test-support/harness.js';
import { linkToken } from '../../test-support/recording-channels.js';

describe('password reset by email', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  async function askForLink(email: string): Promise<string | undefined> {
    const answer = await call(h.app, 'POST', '/api/auth/password-reset', { body: { email } });
    assert.deepEqual([answer.status, answer.body], [202, {}]);
    await h.app.cloud.outbox.drain();
    return linkToken(h.sent, email);
  }

  it('never says whether the address has an account', async () => {
    assert.equal(await askForLink('nobody@example.com'), undefined, 'no email to an address without an account, and the same answer');
  });

  it('does the same work for an address with or without an account: one outbox row, the address looked up by the worker', async () => {
    const user = await signUp(h.app);
    const enqueued: string[] = [];
    const { outbox } = h.app.cloud.repo;
    const enqueue = outbox.enqueue.bind(outbox);
    outbox.enqueue = (kind, payload, now) => (enqueued.push(kind), enqueue(kind, payload, now));
    try {
      for (const email of [user.email, 'nobody@example.com']) {
        const answer = await call(h.app, 'POST', '/api/auth/password-reset', { body: { email } });
        assert.equal(answer.status, 202);
      }
      // The worker may already have queued the real address's email ('account.email'): the request path wrote only these.
      assert.deepEqual(enqueued.filter((kind) => kind !== 'account.email'), ['password-reset.request', 'password-reset.request'], 'the request path writes the same one row for both');
    } finally {
      outbox.enqueue = enqueue;
    }
    await h.app.cloud.outbox.drain();
    assert.ok(linkToken(h.sent, user.email) !== undefined, 'the worker sends the real address its link');
  });

  it('sets the password once with the token, ends every session, and refuses the token again', async () => {
    const user = await signUp(h.app);
    const token = await askForLink(user.email);
    assert.ok(token !== undefined);
    const mail = h.sent.filter((m) => m.to === user.email).at(-1);
    assert.equal(mail?.message.title, 'Reset your EasyGas password');
    const confirmed = await call(h.app, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'a brand new passphrase' } });
    assert.equal(confirmed.status, 204);
    assert.equal((await call(h.app, 'GET', '/api/users/me', { token: user.token })).status, 401, 'the old access token no longer works');
    assert.equal((await call(h.app, 'POST', '/api/auth/refresh-token', { body: { refreshToken: user.refreshToken } })).status, 401, 'nor the refresh token');
    assert.equal((await call(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } })).status, 401);
    assert.equal((await call(h.app, 'POST', '/api/auth/login', { body: { email: user.email, password: 'a brand new passphrase' } })).status, 200);
    const again = await call<{ code: string }>(h.app, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'yet another passphrase' } });
    assert.deepEqual([again.status, again.body.code], [400, 'EASYGAS_LINK_INVALID'], 'single-use');
  });

  it('refuses a token older than 30 minutes', async () => {
    const user = await signUp(h.app);
    const token = await askForLink(user.email);
    await h.clock.advance(30 * 60_000);
    const late = await call<{ code: string }>(h.app, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'a brand new passphrase' } });
    assert.deepEqual([late.status, late.body.code], [400, 'EASYGAS_LINK_INVALID']);
  });
});
