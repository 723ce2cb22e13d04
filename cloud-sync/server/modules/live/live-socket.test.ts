/**
 * GET /api/ws on a listening server with real WebSocket clients: a user's own
 * events arrive within a second of the commit and nobody else's; garbage, binary,
 * oversized frames, bad tokens and silence close with their codes while the other
 * sockets keep being served; signing out everywhere closes the user's sockets at
 * once; a client that stops reading is dropped; shutdown says 1001.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, startHarness, type Harness, type SignedIn, type Claimed } from '../../test-support/harness.js';
import { CLOSE } from './live-protocol.js';
import { LiveClient } from './test-support/live-client.js';

const T = Date.UTC(2026, 0, 15, 12);
const reading = (seq: number, value: number) => ({ record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', at: T + seq * 60_000, value, unit: '%', percent: value, quality: 'ok', clockSynced: true });
const alarm = (seq: number) => ({ record: 'event', seq, at: T + seq * 60_000, type: 'gas', sensorId: 'kitchen-gas', state: 'raised', severity: 'critical', severe: true, value: 31, unit: '%LEL', threshold: 25, message: 'Gas at 31 %LEL', clockSynced: true });

describe('the live WebSocket', () => {
  let h: Harness;
  let base = '';
  let owner: SignedIn;
  let gw: Claimed;
  let seq = 0;
  const AUTH_TIMEOUT = 5_000;
  const HEARTBEAT = 30_000;

  before(async () => {
    h = await startHarness({ live: { authTimeoutMs: AUTH_TIMEOUT, heartbeatMs: HEARTBEAT, maxQueueBytes: 64 * 1024, maxMessageBytes: 1024 } });
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    owner = await signUp(h.app);
    gw = await claimGateway(h.app, owner.token);
  });
  after(() => h.close());

  async function ingest(records: unknown[]): Promise<void> {
    const answer = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: seq, lastSeq: seq + records.length, records } });
    assert.equal(answer.status, 200, answer.text);
    seq += records.length;
  }

  it('describes its protocol to a plain GET', async () => {
    const answer = await call<{ topics: string[]; closeCodes: Record<string, string> }>(h.app, 'GET', '/api/ws');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.topics, ['readings', 'events', 'notifications', 'presence', 'orders']);
    assert.match(answer.body.closeCodes['4401'] ?? '', /authentication failed/);
  });

  it('pushes the owner’s readings, events and notifications within a second of the commit, and nothing to another user', async () => {
    const mine = await LiveClient.signedIn(base, owner.token);
    const stranger = await LiveClient.signedIn(base, (await signUp(h.app)).token);
    const started = performance.now();
    await ingest([reading(seq + 1, 40), reading(seq + 2, 41), alarm(seq + 3)]);
    const readings = await mine.next((m) => m.topic === 'readings', 1_000);
    assert.ok(performance.now() - started < 1_000);
    assert.deepEqual((readings.event as { readings: unknown[] }).readings, [{ sensorId: `${gw.gatewayId}:lpg`, at: T + 2 * 60_000, value: 41, unit: '%', quality: 'ok', percent: 41 }]);
    const raised = await mine.next((m) => m.topic === 'events', 1_000);
    assert.deepEqual((raised.event as { event: { type: string; sensorId: string } }).event.sensorId, `${gw.gatewayId}:kitchen-gas`);
    const note = await mine.next((m) => m.topic === 'notifications', 1_000);
    assert.equal((note.event as { notification: { type: string } }).notification.type, 'gas');
    assert.equal('userId' in (note.event as object), false, 'the owner is implied, not sent');
    mine.send({ type: 'ping', id: 'p1' });
    await mine.next((m) => m.type === 'pong' && m.id === 'p1');
    assert.deepEqual(stranger.messages.map((m) => m.type), ['ready'], 'another user hears nothing of it');
    mine.close();
    stranger.close();
  });

  it('sends only the subscribed topics', async () => {
    const client = await LiveClient.signedIn(base, owner.token, ['events']);
    await ingest([reading(seq + 1, 39), alarm(seq + 2)]);
    await client.next((m) => m.topic === 'events');
    client.send({ type: 'subscribe', topics: ['readings'] });
    await client.next((m) => m.type === 'subscribed');
    await ingest([reading(seq + 1, 38)]);
    await client.next((m) => m.topic === 'readings');
    assert.deepEqual(client.messages.filter((m) => m.type === 'event').map((m) => m.topic), ['events', 'readings']);
    client.close();
  });

  it('closes garbage, binary, oversized frames, bad tokens and silent sockets with their codes, and keeps serving the others', async () => {
    const healthy = await LiveClient.signedIn(base, owner.token, ['readings']);
    const cases: [string, (c: LiveClient) => void, number][] = [
      ['not JSON', (c) => c.send('{"type":'), CLOSE.INVALID_MESSAGE],
      ['an unknown type', (c) => c.send({ type: 'shout' }), CLOSE.INVALID_MESSAGE],
      ['binary', (c) => c.socket.send(Buffer.from([1, 2, 3])), CLOSE.INVALID_MESSAGE],
      ['oversized', (c) => c.send({ type: 'auth', token: 'x'.repeat(2_000) }), CLOSE.TOO_BIG],
      ['a bad token', (c) => c.send({ type: 'auth', token: 'not-a-token' }), CLOSE.AUTH_FAILED],
      ['subscribing before auth', (c) => c.send({ type: 'subscribe', topics: ['readings'] }), CLOSE.AUTH_FAILED],
      ['an unknown topic', (c) => c.send({ type: 'auth', token: owner.token, topics: ['everything'] }), CLOSE.INVALID_MESSAGE],
    ];
    for (const [name, act, code] of cases) {
      const client = await LiveClient.open(base);
      act(client);
      assert.equal((await client.closing()).code, code, name);
    }
    const silent = await LiveClient.open(base);
    await h.clock.advance(AUTH_TIMEOUT - 1);
    assert.equal(silent.closed, undefined, 'not before the timeout');
    await h.clock.advance(1);
    assert.deepEqual(await silent.closing(), { code: CLOSE.AUTH_TIMEOUT, reason: 'no auth message in time: send {"type":"auth","token":...} first' });
    await ingest([reading(seq + 1, 37)]);
    await healthy.next((m) => m.topic === 'readings');
    assert.equal(healthy.closed, undefined);
    healthy.close();
  });

  it('closes a user’s sockets at once when their sessions end (sign out everywhere)', async () => {
    const user = await signUp(h.app);
    const sockets = await Promise.all([LiveClient.signedIn(base, user.token), LiveClient.signedIn(base, user.token)]);
    const bystander = await LiveClient.signedIn(base, owner.token);
    assert.equal((await call(h.app, 'POST', '/api/auth/logout-all', { token: user.token })).status, 204);
    for (const s of sockets) assert.equal((await s.closing(1_000)).code, CLOSE.SESSION_REVOKED);
    const again = await LiveClient.open(base);
    again.send({ type: 'auth', token: user.token });
    assert.equal((await again.closing()).code, CLOSE.AUTH_FAILED, 'the old token opens no new socket either');
    assert.equal(bystander.closed, undefined);
    bystander.close();
  });

  it('drops a client that stops reading, and one that stops answering pings, while others are served', async () => {
    const stalled = await LiveClient.signedIn(base, owner.token, ['readings']);
    const healthy = await LiveClient.signedIn(base, owner.token, ['readings']);
    const before = h.app.cloud.metrics.liveSockets.get({ code: String(CLOSE.TOO_SLOW) });
    stalled.socket.pause();
    const big = { type: 'readings.ingested', userId: owner.userId, gatewayId: gw.gatewayId, stored: 1, readings: [{ sensorId: `${gw.gatewayId}:lpg`, at: T, value: 1, unit: 'x'.repeat(4_000), quality: 'ok' }] } as const;
    for (let i = 0; i < 5_000 && h.app.cloud.metrics.liveSockets.get({ code: String(CLOSE.TOO_SLOW) }) === before; i++) {
      h.app.cloud.events.publish(big);
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(h.app.cloud.metrics.liveSockets.get({ code: String(CLOSE.TOO_SLOW) }), before + 1, 'the stalled client was dropped');
    await ingest([reading(seq + 1, 36)]);
    await healthy.next((m) => m.topic === 'readings' && (m.event as { readings: { value: number }[] }).readings[0]?.value === 36);

    const mute = await LiveClient.signedIn(base, owner.token);
    mute.socket.pause();
    const pinged = new Promise((resolve) => healthy.socket.once('ping', resolve));
    await h.clock.advance(HEARTBEAT);
    await pinged;
    // The server reads frames in order: once it answers this, it has read healthy's pong too.
    healthy.send({ type: 'ping', id: 'after-heartbeat' });
    await healthy.next((m) => m.id === 'after-heartbeat');
    await h.clock.advance(HEARTBEAT);
    mute.socket.resume();
    assert.equal((await mute.closing()).code, 1006, 'cut off without a close frame: it answered no ping');
    healthy.send({ type: 'ping' });
    await healthy.next((m) => m.type === 'pong');
    healthy.close();
  });

  it('says 1001 to every socket on shutdown', async () => {
    const other = await startHarness();
    const otherBase = await other.app.listen({ port: 0, host: '127.0.0.1' });
    const user = await signUp(other.app);
    const client = await LiveClient.signedIn(otherBase, user.token);
    await other.close();
    assert.equal((await client.closing()).code, CLOSE.GOING_AWAY);
  });
});
