import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { credentialPath, writeCredentialFile } from './credential-file.js';
import { SyncAgent, type SyncAgentOptions } from './sync-agent.js';
import { FakeCloud } from './test-support/fake-cloud.js';
import { MemoryOutbox } from './test-support/memory-outbox.js';
import { waitFor } from './test-support/wait-for.js';

const root = mkdtempSync(join(tmpdir(), 'easygas-sync-'));
after(() => rmSync(root, { recursive: true, force: true }));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function provision(url: string, credential = 'good'): string {
  const dir = mkdtempSync(join(root, 'gw-'));
  const path = credentialPath(dir);
  writeCredentialFile(path, { version: 1, cloudUrl: url, gatewayId: 'gw', credential, provisionedAt: Date.now() });
  return path;
}

async function rig(options: Partial<SyncAgentOptions> = {}, records = 0) {
  const cloud = new FakeCloud();
  const url = await cloud.listen();
  const outbox = new MemoryOutbox();
  outbox.append(records);
  const path = options.credentialPath ?? provision(url);
  const agent = new SyncAgent({ outbox, credentialPath: path, pollIntervalMs: 20, credentialCheckMs: 20, ...options });
  cleanups.push(async () => {
    await agent.stop();
    await cloud.close();
  });
  return { cloud, url, outbox, agent, path };
}

const ingests = (cloud: FakeCloud) => cloud.requests.filter((r) => r.path === '/api/sensors/data' && (r.batch?.records.length ?? 0) > 0);

describe('SyncAgent', () => {
  it('drains the outbox in seq order, in gzipped batches of at most batchMaxRecords, and advances the cursor on the answer', async () => {
    const { cloud, outbox, agent } = await rig({ batchMaxRecords: 100 }, 1234);
    agent.start();
    await waitFor('the whole outbox acknowledged', () => outbox.ackedSeq === 1234);
    assert.equal(cloud.stored.size, 1234);
    assert.ok([...cloud.deliveries.values()].every((n) => n === 1), 'no record is sent twice on a healthy link');
    const batches = ingests(cloud);
    assert.equal(batches.length, 13);
    let expectAfter = 0;
    for (const b of batches) {
      assert.ok(b.gzip, 'batches are gzipped');
      assert.ok((b.batch?.records.length ?? 0) <= 100);
      assert.equal(b.batch?.afterSeq, expectAfter, 'each batch starts where the cloud acknowledged');
      expectAfter = b.batch?.lastSeq ?? -1;
    }
    await waitFor('idle', () => agent.status().state === 'idle');
    assert.equal(agent.status().cursor, 1234);
    assert.equal(agent.status().backlog, 0);
    assert.equal(typeof agent.status().lastSyncAt, 'number');
    // New records are picked up without a nudge.
    outbox.append(5);
    await waitFor('new records acknowledged', () => outbox.ackedSeq === 1239);
  });

  it('resumes at the cloud watermark in a new session, not from zero', async () => {
    const { cloud, outbox, agent, path } = await rig({ batchMaxRecords: 50 }, 200);
    agent.start();
    await waitFor('first drain', () => outbox.ackedSeq === 200);
    await agent.stop();
    outbox.append(30);
    const before = cloud.requests.length;
    const second = new SyncAgent({ outbox, credentialPath: path, pollIntervalMs: 20, batchMaxRecords: 50 });
    cleanups.push(() => second.stop());
    second.start();
    await waitFor('second drain', () => outbox.ackedSeq === 230);
    const resumed = cloud.requests.slice(before).filter((r) => (r.batch?.records.length ?? 0) > 0);
    assert.equal(resumed[0]?.batch?.afterSeq, 200);
    assert.ok([...cloud.deliveries.values()].every((n) => n === 1));
  });

  it('honours 429 Retry-After and retries 503 and dropped connections with the same batch', async () => {
    const { cloud, outbox, agent } = await rig({ batchMaxRecords: 10 }, 30);
    cloud.faults.push({ status: 200, body: { ackedSeq: 0, stored: 0, duplicates: 0 } }); // the probe
    cloud.faults.push({ status: 429, headers: { 'retry-after': '1' } }, { status: 503 }, 'drop');
    const started = Date.now();
    agent.start();
    await waitFor('everything acknowledged despite the faults', () => outbox.ackedSeq === 30);
    assert.ok(Date.now() - started >= 950, 'Retry-After: 1 was waited for');
    assert.equal(cloud.stored.size, 30);
    assert.equal(agent.status().lastError, undefined, 'a success clears the error');
  });

  it('halves the batch on 413', async () => {
    const { cloud, outbox, agent } = await rig({ batchMaxRecords: 40 }, 40);
    cloud.faults.push({ status: 200, body: { ackedSeq: 0, stored: 0, duplicates: 0 } }, { status: 413, body: { statusCode: 413, code: 'EASYGAS_BODY_TOO_LARGE', error: 'x', message: 'too large' } });
    agent.start();
    await waitFor('drained', () => outbox.ackedSeq === 40);
    assert.equal(ingests(cloud)[1]?.batch?.records.length, 20);
  });

  it('stops on 401 with the re-provision hint, keeps the data, and resumes when a new credential file appears', async () => {
    const cloud = new FakeCloud();
    const url = await cloud.listen();
    const path = provision(url, 'revoked');
    let passes = 0;
    const { outbox, agent } = await rig({ credentialPath: path, onPass: () => passes++ }, 10);
    // rig() made its own cloud; point the file at ours.
    writeCredentialFile(path, { version: 1, cloudUrl: url, gatewayId: 'gw', credential: 'revoked', provisionedAt: Date.now() });
    cleanups.push(() => cloud.close());
    agent.start();
    await waitFor('unauthorized', () => agent.status().state === 'unauthorized');
    assert.match(agent.status().lastError ?? '', /re-provision needed: easygas provision --cloud URL --code CODE/);
    // Many credential checks (every 20 ms) pass without another request to the cloud.
    const refused = cloud.requests.length;
    const passesThen = passes;
    await waitFor('ten more passes (credential checks)', () => passes >= passesThen + 10);
    assert.equal(cloud.requests.length, refused, 'no hammering after a 401');
    assert.equal(outbox.ackedSeq, 0, 'nothing is dropped');
    writeCredentialFile(path, { version: 1, cloudUrl: url, gatewayId: 'gw', credential: 'good', provisionedAt: Date.now() + 1 });
    await waitFor('synced with the new credential', () => outbox.ackedSeq === 10);
  });

  it("reports not-provisioned until the file appears", async () => {
    const cloud = new FakeCloud();
    const url = await cloud.listen();
    cleanups.push(() => cloud.close());
    const dir = mkdtempSync(join(root, 'np-'));
    const { outbox, agent } = await rig({ credentialPath: credentialPath(dir) }, 3);
    agent.start();
    await waitFor('not-provisioned', () => agent.status().state === 'not-provisioned');
    assert.match(agent.status().lastError ?? '', /easygas provision/);
    writeCredentialFile(credentialPath(dir), { version: 1, cloudUrl: url, gatewayId: 'gw', credential: 'good', provisionedAt: Date.now() });
    await waitFor('synced', () => outbox.ackedSeq === 3);
  });

  it('retries within 5 s of the network coming back, however long it was gone', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const path = provision(url);
    const outbox = new MemoryOutbox();
    outbox.append(5);
    const agent = new SyncAgent({ outbox, credentialPath: path, retryMaxMs: 60_000 });
    cleanups.push(() => agent.stop());
    agent.start();
    // Long enough for the plain exponential ceiling (0.5 s · 2ⁿ) to pass 5 s.
    await waitFor('several refused connects', () => /ECONNREFUSED/.test(agent.status().lastError ?? '') && agent.status().state === 'backoff', 5_000);
    await waitFor('backoff grown past 5 s (0.5 s · 2^4)', () => agent.status().retries >= 5, 15_000);
    const cloud = new FakeCloud();
    await cloud.listen(port);
    const back = Date.now();
    cleanups.push(() => cloud.close());
    await waitFor('first request after the return', () => cloud.requests.length > 0, 6_000);
    assert.ok(Date.now() - back < 5_100, `first retry ${Date.now() - back} ms after the network returned`);
    await waitFor('drained', () => outbox.ackedSeq === 5);
  });

  it('syncNow() ends a backoff wait and resolves with the status after the pass', async () => {
    const { cloud, outbox, agent } = await rig({ retryMaxMs: 60_000 }, 4);
    cloud.faults.push({ status: 503 }, { status: 503 }, { status: 503 });
    agent.start();
    await waitFor('in backoff', () => agent.status().state === 'backoff');
    cloud.faults.length = 0;
    const status = await agent.syncNow();
    assert.equal(outbox.ackedSeq, 4);
    assert.equal(status.state, 'idle');
    assert.equal(status.cursor, 4);
  });

  it('uploads calibrations measured on the gateway, and again when told they changed', async () => {
    const upload = { calibrations: { lpg: { calibration: { type: 'offset' as const, scale: 1, offset: 2 }, updatedAt: 1_700_000_000_000 } } };
    const sink = { heldVersion: () => 0, apply: () => [], localCalibrations: () => upload };
    const { cloud, agent } = await rig({ config: sink }, 1);
    const puts = () => cloud.requests.filter((r) => r.method === 'PUT' && r.path === '/api/devices/calibrations');
    agent.start();
    await waitFor('the calibration uploaded', () => puts().length === 1);
    assert.deepEqual(puts()[0]?.body, upload);
    agent.calibrationsChanged();
    await waitFor('uploaded again after a change', () => puts().length === 2);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
