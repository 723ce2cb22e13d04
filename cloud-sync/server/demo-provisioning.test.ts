import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startHarness, type Harness } from './test-support/harness.js';
import { provisionDemoGateway } from './demo-provisioning.js';

describe('demo provisioning (npm start)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('registers the account once, signs in after, and hands out a working gateway credential each time', async () => {
    const account = { email: 'demo@easygas.local', password: 'demo household password' };
    const first = await provisionDemoGateway(h.app, account, { name: 'Simulated home', version: '0.1.0' });
    const second = await provisionDemoGateway(h.app, account, { name: 'Simulated home' });
    assert.equal(second.userId, first.userId, 'the same account');
    assert.notEqual(second.gatewayId, first.gatewayId);
    const ack = await call(h.app, 'POST', '/api/sensors/data', { token: first.credential, body: { afterSeq: 0, lastSeq: 0, records: [] } });
    assert.equal(ack.status, 200);
    const devices = await call<{ name: string }[]>(h.app, 'GET', '/api/devices', { token: first.accessToken });
    assert.deepEqual(devices.body.map((d) => d.name), ['Simulated home', 'Simulated home']);
  });

  it('says what failed when the account exists with another password', async () => {
    await provisionDemoGateway(h.app, { email: 'taken@easygas.local', password: 'the first password' }, { name: 'A' });
    await assert.rejects(provisionDemoGateway(h.app, { email: 'taken@easygas.local', password: 'another password!' }, { name: 'B' }), /taken@easygas\.local: 409/);
  });
});
