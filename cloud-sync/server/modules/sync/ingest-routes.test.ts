import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { IngestBatch, ReadingRecord } from '../../../protocol/index.js';
import { call, claimGateway, signUp, startHarness, type Harness } from '../../test-support/harness.js';

const T = Date.UTC(2026, 0, 15, 12);

function reading(seq: number, overrides: Partial<ReadingRecord> = {}): ReadingRecord {
  return { record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', at: T + seq * 1000, value: 50, unit: '%', percent: 50, litres: 20, quality: 'ok', clockSynced: true, ...overrides };
}

function batchOf(afterSeq: number, count: number): IngestBatch {
  return { afterSeq, lastSeq: afterSeq + count, records: Array.from({ length: count }, (_, i) => reading(afterSeq + i + 1)) };
}

async function postRaw(h: Harness, credential: string, payload: Buffer | string, headers: Record<string, string> = {}) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/sensors/data',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', ...headers },
    payload,
  });
  return { status: response.statusCode, body: JSON.parse(response.body === '' ? 'null' : response.body) as Record<string, unknown>, headers: response.headers };
}

describe('ingest', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ingestBodyLimitBytes: 1024 * 1024, ingestRateLimit: { max: 10_000, windowMs: 60_000 } });
  });
  after(() => h.close());

  it('stores a batch once: a resend is all duplicates and the ack stays', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const b = batchOf(0, 500);
    const first = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: b });
    assert.deepEqual(first.body, { ackedSeq: 500, stored: 500, duplicates: 0 });
    const again = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: b });
    assert.deepEqual(again.body, { ackedSeq: 500, stored: 0, duplicates: 500 });
    const history = await call<{ points: { count: number }[] }>(h.app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history`, {
      token: user.token,
      query: { from: String(T), to: String(T + 3_600_000), bucket: '1h' },
    });
    assert.deepEqual(history.body.points.map((p) => p.count), [500], 'each reading counted once');
  });

  it('holds the ack at a gap and releases it when the gap is filled (pipelined batches)', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const second = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: batchOf(100, 100) });
    assert.deepEqual(second.body, { ackedSeq: 0, stored: 100, duplicates: 0 });
    const first = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: batchOf(0, 100) });
    assert.deepEqual(first.body, { ackedSeq: 200, stored: 100, duplicates: 0 });
  });

  it('accepts gzip, and answers a bad gzip with 400 and a bomb with 413 (not an out-of-memory)', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const zipped = gzipSync(JSON.stringify(batchOf(0, 300)));
    const ok = await postRaw(h, gw.credential, zipped, { 'content-encoding': 'gzip' });
    assert.deepEqual([ok.status, ok.body.ackedSeq], [200, 300]);
    const broken = await postRaw(h, gw.credential, Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' });
    assert.deepEqual([broken.status, broken.body.code], [400, 'EASYGAS_BAD_GZIP']);
    const truncated = await postRaw(h, gw.credential, zipped.subarray(0, zipped.length - 20), { 'content-encoding': 'gzip' });
    assert.deepEqual([truncated.status, truncated.body.code], [400, 'EASYGAS_BAD_GZIP']);
    // 200 MB of spaces is a ~200 kB gzip: decompression stops at the 1 MiB limit.
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 });
    const before = process.memoryUsage().rss;
    const exploded = await postRaw(h, gw.credential, bomb, { 'content-encoding': 'gzip' });
    assert.deepEqual([exploded.status, exploded.body.code], [413, 'EASYGAS_BODY_TOO_LARGE']);
    assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024, 'memory did not follow the bomb');
    const brotli = await postRaw(h, gw.credential, zipped, { 'content-encoding': 'br' });
    assert.deepEqual([brotli.status, brotli.body.code], [415, 'EASYGAS_UNSUPPORTED_ENCODING']);
  });

  it('refuses a body over the limit with 413 and a wrong media type with 415', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const huge = JSON.stringify(batchOf(0, 9000));
    assert.ok(huge.length > 1024 * 1024);
    const tooBig = await postRaw(h, gw.credential, huge);
    assert.deepEqual([tooBig.status, tooBig.body.code], [413, 'EASYGAS_BODY_TOO_LARGE']);
    assert.match(String(tooBig.body.message), /larger than 1048576 bytes/);
    const text = await postRaw(h, gw.credential, JSON.stringify(batchOf(0, 1)), { 'content-type': 'text/plain' });
    assert.deepEqual([text.status, text.body.code], [415, 'EASYGAS_UNSUPPORTED_MEDIA_TYPE']);
  });

  it('checks that records lie inside the batch’s claimed range', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const bad = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: 10, lastSeq: 20, records: [reading(25)] } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.issues, [{ path: 'records[0].seq', message: "25 is outside the batch's range: afterSeq < seq ≤ lastSeq (10 < seq ≤ 20)" }]);
    assert.equal((await call<{ ackedSeq: number }>(h.app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token })).body.ackedSeq, 0, 'nothing was stored');
  });

  it('writes only under the credential’s gateway: one gateway cannot touch another’s data', async () => {
    const alice = await signUp(h.app);
    const bob = await signUp(h.app);
    const aliceGw = await claimGateway(h.app, alice.token);
    const bobGw = await claimGateway(h.app, bob.token);
    await call(h.app, 'POST', '/api/sensors/data', { token: aliceGw.credential, body: batchOf(0, 5) });
    // Bob's gateway sends the same seqs and sensor id: they land under Bob's gateway, Alice's data is untouched.
    const bobs = await call(h.app, 'POST', '/api/sensors/data', { token: bobGw.credential, body: { ...batchOf(0, 5), records: batchOf(0, 5).records.map((r) => ({ ...r, value: 1 })) } });
    assert.deepEqual(bobs.body, { ackedSeq: 5, stored: 5, duplicates: 0 });
    const aliceLatest = await call<{ reading: { value: number } }>(h.app, 'GET', `/api/sensors/${aliceGw.gatewayId}:lpg/latest`, { token: alice.token });
    assert.equal(aliceLatest.body.reading.value, 50);
    const smuggled = await call(h.app, 'POST', '/api/sensors/data', { token: bobGw.credential, body: { ...batchOf(5, 1), gatewayId: aliceGw.gatewayId } });
    assert.deepEqual(smuggled.body.issues, [{ path: 'gatewayId', message: 'is not a known field: remove it (check its spelling)' }]);
    assert.equal((await call(h.app, 'GET', `/api/sensors/${aliceGw.gatewayId}:lpg/latest`, { token: bob.token })).status, 404);
  });

  it('notifies an ingested alarm once, even when the batch is resent', async () => {
    const user = await signUp(h.app);
    const gw = await claimGateway(h.app, user.token);
    const alarm = { record: 'event', seq: 1, at: T, type: 'gas', sensorId: 'kitchen-gas', state: 'raised', severity: 'critical', severe: true, value: 31, unit: '%LEL', threshold: 25, message: 'Gas at 31 %LEL', clockSynced: true };
    const body = { afterSeq: 0, lastSeq: 1, records: [alarm] };
    const delivered = h.delivered.length;
    await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body });
    await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body });
    const notes = await call<{ type: string; severity: string; sensorId: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
    assert.deepEqual(notes.body.map((n) => [n.type, n.severity, n.sensorId]), [['gas', 'critical', `${gw.gatewayId}:kitchen-gas`]]);
    await h.app.cloud.outbox.drain();
    assert.equal(h.delivered.length - delivered, 1, 'delivered once through the notifier');
    const events = await call<{ type: string; seq: number; source: string }[]>(h.app, 'GET', `/api/devices/${gw.gatewayId}/events`, { token: user.token });
    assert.deepEqual(events.body.map((e) => [e.type, e.seq, e.source]), [['gas', 1, 'gateway']]);
  });
});

describe('ingest rate limit', () => {
  it('limits each gateway on its own, answering 429 with Retry-After', async () => {
    const h = await startHarness({ ingestRateLimit: { max: 2, windowMs: 30_000 } });
    try {
      const user = await signUp(h.app);
      const a = await claimGateway(h.app, user.token);
      const b = await claimGateway(h.app, user.token, 'Other Pi');
      const probe = { afterSeq: 0, lastSeq: 0, records: [] };
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: a.credential, body: probe })).status, 200);
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: a.credential, body: probe })).status, 200);
      const limited = await call(h.app, 'POST', '/api/sensors/data', { token: a.credential, body: probe });
      assert.deepEqual([limited.status, limited.body.code, limited.headers['retry-after']], [429, 'EASYGAS_RATE_LIMITED', '30']);
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: b.credential, body: probe })).status, 200, 'another gateway is not held back');
      await h.clock.advance(30_000);
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: a.credential, body: probe })).status, 200);
      const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /easygas_rate_limited_total\{route="\/api\/sensors\/data"\} 1/);
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { body: probe })).status, 401, 'an unauthenticated flood is refused before counting');
    } finally {
      await h.close();
    }
  });
});
