/**
 * `easygas provision` against a real cloud (runCloud on port 0, temp SQLite):
 * a user makes a claim code through the cloud's public routes; the CLI trades
 * it for a credential, writes cloud-credential.json (0600, the shared format)
 * and proves the round trip with a heartbeat; the cloud then lists the gateway.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { runCloud, type RunningCloud } from '../../../cloud-sync/server/main.js';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../test-support/simulated-gateway.js';
import type { SyncStatus } from '../../../cloud-sync/client/sync-agent.js';

async function post<T>(cloud: RunningCloud, url: string, body: unknown, token?: string): Promise<T> {
  const res = await cloud.app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
}

/** As the app does it: an account, then "Add gateway" shows a claim code. */
async function claimCode(cloud: RunningCloud, email: string): Promise<{ code: string; token: string }> {
  const session = await post<{ accessToken: string }>(cloud, '/api/auth/register', { email, password: 'a household password', name: 'Test household' });
  const { code } = await post<{ code: string }>(cloud, '/api/devices/claim-codes', {}, session.accessToken);
  return { code, token: session.accessToken };
}

describe('easygas provision against a real cloud', () => {
  let cloud: RunningCloud;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'easygas-provision-'));
    cloud = await runCloud({ port: 0, db: join(dir, 'cloud.db'), logger: pino({ level: 'silent' }), print: () => undefined });
  });
  after(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims the gateway, stores the credential (0600, version 1) and proves it with a heartbeat', async () => {
    const { code, token } = await claimCode(cloud, 'owner@example.test');
    const dataDir = join(dir, 'gw1');
    const run = await runCli(['provision', '--cloud', cloud.url, '--code', code.toLowerCase(), '--data-dir', dataDir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { gatewayId: string; heartbeat: { ackedSeq: number; serverTime: number } };
    assert.equal(out.heartbeat.ackedSeq, 0);
    const path = join(dataDir, 'cloud-credential.json');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(file).sort(), ['cloudUrl', 'credential', 'gatewayId', 'provisionedAt', 'version']);
    assert.equal(file.version, 1);
    assert.equal(file.cloudUrl, cloud.url);
    assert.equal(file.gatewayId, out.gatewayId);
    assert.equal(typeof file.provisionedAt, 'number');
    // The owner sees it, online after the heartbeat.
    const devices = await cloud.app.inject({ url: '/api/devices', headers: { authorization: `Bearer ${token}` } });
    const listed = devices.json<{ id: string }[]>();
    assert.ok(listed.some((d) => d.id === out.gatewayId), devices.body);

    const again = await runCli(['provision', '--cloud', cloud.url, '--code', code, '--data-dir', dataDir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already provisioned as/);
    assert.match(again.stderr, /--force/);
  });

  it('a used or wrong code: refused with what to do, nothing written', async () => {
    const { code } = await claimCode(cloud, 'second@example.test');
    const first = join(dir, 'gw2');
    assert.equal((await runCli(['provision', '--cloud', cloud.url, '--code', code, '--data-dir', first])).code, 0);
    const second = join(dir, 'gw3');
    const reuse = await runCli(['provision', '--cloud', cloud.url, '--code', code, '--data-dir', second]);
    assert.notEqual(reuse.code, 0);
    assert.match(reuse.stderr, /refused the claim code/);
    assert.match(reuse.stderr, /make a new one in the app/);
    assert.throws(() => statSync(join(second, 'cloud-credential.json')));
    const malformed = await runCli(['provision', '--cloud', cloud.url, '--code', 'nope', '--data-dir', second]);
    assert.equal(malformed.code, 64);
    assert.match(malformed.stderr, /is not a claim code/);
  });

  /** `easygas sync status --json` until it shows what is wanted. */
  async function syncStatusUntil(gateway: SimulatedGateway, what: string, wanted: (s: SyncStatus) => boolean, timeoutMs = 30_000): Promise<SyncStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await runCli(['sync', 'status', '--data-dir', gateway.dataDir, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const status = JSON.parse(run.stdout) as SyncStatus;
      if (wanted(status)) return status;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms: ${run.stdout}\n${gateway.output()}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  it('turns sync on: a running gateway with no cloud section uploads to the provisioned URL, without a restart', async (t) => {
    const gateway = await startSimulatedGateway();
    t.after(() => gateway.stop());
    assert.equal((await syncStatusUntil(gateway, 'waiting for a credential', (s) => s.state === 'not-provisioned')).state, 'not-provisioned');
    const { code, token } = await claimCode(cloud, 'turns-on@example.test');
    const run = await runCli(['provision', '--cloud', cloud.url, '--code', code, '--data-dir', gateway.dataDir, '--config', gateway.configPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /uploads to http:\/\/[\d.:]+ within seconds \(no restart needed/);
    const synced = await syncStatusUntil(gateway, 'readings acknowledged', (s) => s.state === 'idle' && (s.cursor ?? 0) > 0);
    assert.equal(synced.cloudUrl, cloud.url);
    const devices = await cloud.app.inject({ url: '/api/devices', headers: { authorization: `Bearer ${token}` } });
    const listed = devices.json<{ id: string; ackedSeq: number }[]>();
    assert.equal(listed.length, 1, devices.body);
    assert.ok(listed[0]!.ackedSeq > 0, 'the cloud holds its readings');
    // One id everywhere: the cloud adopted the gateway's own, which its status (and MQTT topics) show.
    const status = JSON.parse((await runCli(['status', '--data-dir', gateway.dataDir, '--json'])).stdout) as { gateway: { id: string } };
    assert.equal(listed[0]!.id, status.gateway.id);
    assert.equal(synced.gatewayId, status.gateway.id);
  });

  it('cloud.enabled: false keeps everything on the Pi even once provisioned, and provision says so', async (t) => {
    const gateway = await startSimulatedGateway({ patch: (doc) => (doc.cloud = { enabled: false }) });
    t.after(() => gateway.stop());
    const { code } = await claimCode(cloud, 'stays-off@example.test');
    const run = await runCli(['provision', '--cloud', cloud.url, '--code', code, '--data-dir', gateway.dataDir, '--config', gateway.configPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Nothing is uploaded while the config says cloud.enabled: false/);
    assert.equal((await syncStatusUntil(gateway, 'a status', () => true)).state, 'disabled');
    const now = await runCli(['sync', 'now', '--data-dir', gateway.dataDir]);
    assert.equal(now.code, 1);
    assert.match(now.stderr, /cloud.enabled: false: remove that line/);
  });

  it('an unreachable cloud names the URL and what to check', async () => {
    const run = await runCli(['provision', '--cloud', 'http://127.0.0.1:9', '--code', '7KQ4-M2XD', '--data-dir', join(dir, 'gw4')]);
    assert.equal(run.code, 69);
    assert.match(run.stderr, /cannot reach the cloud at http:\/\/127\.0\.0\.1:9/);
  });
});
