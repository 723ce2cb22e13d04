import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PUBLIC_PAGES, orderPath, parseRoute, sensorPath, tankOrderPath, tankPath } from './router.js';

describe('routes', () => {
  it('reads every page, a sensor id with its colon, and unknown paths', () => {
    assert.deepEqual(parseRoute('/'), { page: 'home' });
    assert.deepEqual(parseRoute('/rules/'), { page: 'rules' });
    const id = '3f2b8c1e-0000-4000-8000-000000000000:lpg';
    assert.deepEqual(parseRoute(sensorPath(id)), { page: 'sensor', id });
    assert.deepEqual(parseRoute('/nope'), { page: 'not-found', path: '/nope' });
    assert.deepEqual(parseRoute('/tanks'), { page: 'tanks' });
    assert.deepEqual(parseRoute('/settings/notifications/'), { page: 'notification-settings' });
    assert.deepEqual(parseRoute('/notifications', '?acknowledge=n-1'), { page: 'notifications', acknowledge: 'n-1' });
    assert.deepEqual(parseRoute('/notifications', '?acknowledge='), { page: 'notifications' });
    assert.deepEqual(parseRoute('/verify-email', '?token=ev_abc'), { page: 'verify-email', token: 'ev_abc' });
    assert.deepEqual(parseRoute(tankPath('t1')), { page: 'tank', id: 't1' });
    assert.deepEqual(parseRoute(tankOrderPath('t1')), { page: 'tank-order', id: 't1' });
    assert.deepEqual(parseRoute('/orders/'), { page: 'orders' });
    assert.deepEqual(parseRoute(orderPath('o1')), { page: 'order', id: 'o1' });
    assert.deepEqual(parseRoute('/tanks/t1/nope'), { page: 'not-found', path: '/tanks/t1/nope' });
  });

  it('after sign-in goes back only to a local page', () => {
    assert.deepEqual(parseRoute('/sign-in', '?next=/events'), { page: 'sign-in', next: '/events' });
    assert.deepEqual(parseRoute('/sign-in', '?next=//evil.example'), { page: 'sign-in' });
    assert.deepEqual(parseRoute('/sign-in', '?next=https://evil.example'), { page: 'sign-in' });
  });
  it('the password-reset link carries its token; forgot-password and reset-password are public', () => {
    assert.deepEqual(parseRoute('/reset-password', '?token=pr_abc'), { page: 'reset-password', token: 'pr_abc' });
    assert.deepEqual(parseRoute('/reset-password'), { page: 'reset-password', token: '' });
    assert.deepEqual(parseRoute('/forgot-password'), { page: 'forgot-password' });
    assert.ok(PUBLIC_PAGES.has('reset-password') && PUBLIC_PAGES.has('forgot-password'));
  });
});
