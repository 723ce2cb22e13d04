import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, startHarness, type Harness } from '../../test-support/harness.js';

const batch = { afterSeq: 0, lastSeq: 0, records: [] };

describe('devices: provisioning and management', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ authRateLimit: { max: 1000, windowMs: 60_000 } });
  });
  after(() => h.close());

  it('claims a gateway with a one-time, human-typable code', async () => {
    const user = await signUp(h.app);
    const code = await call<{ code: string; expiresAt: number }>(h.app, 'POST', '/api/devices/claim-codes', { token: user.token });
    assert.equal(code.status, 201);
    assert.match(code.body.code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(code.body.expiresAt, h.clock.now() + 15 * 60_000);
    const typed = code.body.code.toLowerCase().replace('-', ' ');
    const registered = await call<{ gatewayId: string; credential: string }>(h.app, 'POST', '/api/devices/register', { body: { code: typed, name: 'Garage Pi', version: '0.3.1' } });
    assert.equal(registered.status, 201);
    assert.match(registered.body.credential, /^egw_/);
    const again = await call(h.app, 'POST', '/api/devices/register', { body: { code: code.body.code } });
    assert.deepEqual([again.status, again.body.code], [400, 'EASYGAS_CLAIM_CODE_INVALID']);
    const list = await call<{ id: string; name: string; version: string; online: boolean; presence: string }[]>(h.app, 'GET', '/api/devices', { token: user.token });
    assert.deepEqual(list.body.map((d) => [d.id, d.name, d.version, d.online, d.presence]), [[registered.body.gatewayId, 'Garage Pi', '0.3.1', false, 'unknown']]);
    assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: registered.body.credential, body: batch })).status, 200);
  });

  it('lets a claim code expire after 15 minutes, and refuses codes that cannot be one', async () => {
    const user = await signUp(h.app);
    const code = await call<{ code: string }>(h.app, 'POST', '/api/devices/claim-codes', { token: user.token });
    await h.clock.advance(15 * 60_000);
    const late = await call(h.app, 'POST', '/api/devices/register', { body: { code: code.body.code } });
    assert.deepEqual([late.status, late.body.code], [400, 'EASYGAS_CLAIM_CODE_INVALID']);
    assert.equal((await call(h.app, 'POST', '/api/devices/register', { body: { code: '!!!!' } })).body.code, 'EASYGAS_CLAIM_CODE_INVALID');
    assert.equal((await call(h.app, 'POST', '/api/devices/claim-codes')).status, 401, 'only a signed-in user makes codes');
  });

  it('renames, shows and deletes a gateway; a deleted gateway’s credential stops working', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const renamed = await call<{ name: string }>(h.app, 'PUT', `/api/devices/${gw.gatewayId}`, { token: user.token, body: { name: 'Loft Pi' } });
    assert.deepEqual([renamed.status, renamed.body.name], [200, 'Loft Pi']);
    assert.equal((await call<{ name: string }>(h.app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token })).body.name, 'Loft Pi');
    const bad = await call(h.app, 'PUT', `/api/devices/${gw.gatewayId}`, { token: user.token, body: { name: '' } });
    assert.deepEqual(bad.body.issues, [{ path: 'name', message: 'must not be empty' }]);
    const notUuid = await call(h.app, 'GET', '/api/devices/not-a-uuid', { token: user.token });
    assert.deepEqual(notUuid.body.issues, [{ path: 'params.id', message: 'must be an id (a UUID such as 3f2b8c1e-…)' }]);
    assert.equal((await call(h.app, 'DELETE', `/api/devices/${gw.gatewayId}`, { token: user.token })).status, 204);
    assert.equal((await call(h.app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token })).status, 404);
    const orphan = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: batch });
    assert.deepEqual([orphan.status, orphan.body.code], [401, 'EASYGAS_GATEWAY_CREDENTIAL_INVALID']);
  });

  it('rotates and revokes credentials', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const rotated = await call<{ credential: string; gatewayId: string }>(h.app, 'POST', `/api/devices/${gw.gatewayId}/credential/rotate`, { token: user.token });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.gatewayId, gw.gatewayId);
    assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: batch })).status, 401, 'the old credential is dead');
    assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: rotated.body.credential, body: batch })).status, 200);
    assert.equal((await call(h.app, 'POST', `/api/devices/${gw.gatewayId}/credential/revoke`, { token: user.token })).status, 204);
    assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: rotated.body.credential, body: batch })).status, 401);
    const device = await call<{ credentialActive: boolean }>(h.app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token });
    assert.equal(device.body.credentialActive, false);
  });

  it('keeps users and gateways apart on the auth routes: a credential is not a user token and vice versa', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    assert.equal((await call(h.app, 'GET', '/api/devices', { token: gw.credential })).body.code, 'EASYGAS_TOKEN_INVALID');
    assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: user.token, body: batch })).body.code, 'EASYGAS_GATEWAY_CREDENTIAL_INVALID');
    assert.equal((await call(h.app, 'POST', '/api/sensors/data', { body: batch })).body.code, 'EASYGAS_GATEWAY_AUTH_REQUIRED');
  });
});
