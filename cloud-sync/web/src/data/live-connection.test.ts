import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../../client/backoff.js';
import type { ConnectionStatus, Timers } from './connection-status.js';
import { LiveConnection, type SocketLike } from './live-connection.js';
import type { LiveEvent } from './live-protocol.js';

class ManualTimers implements Timers {
  t = 0;
  #next = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#next;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onclose: ((event: { readonly code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  closed = false;
  readonly sent: unknown[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  serverOpens(): void {
    this.onopen?.();
  }
  serverSends(data: unknown): void {
    this.onmessage?.({ data: JSON.stringify(data) });
  }
  /** Open, read the auth message, answer ready: what a healthy server does. */
  serverAccepts(): void {
    this.serverOpens();
    this.serverSends({ type: 'ready', userId: 'u', topics: [] });
  }
  serverDrops(code = 1006): void {
    this.onclose?.({ code });
  }
}

/** Lets the connection's awaited token resolve. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const READING: LiveEvent = { type: 'event', topic: 'readings', event: { type: 'readings.ingested', gatewayId: 'g', readings: [{ sensorId: 'g:lpg', at: 5, value: 40, unit: '%', quality: 'ok', percent: 40 }] } };

function rig(options: { stableAfterMs?: number; idleTimeoutMs?: number } = {}) {
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const events: LiveEvent[] = [];
  const tokenCalls: (string | undefined)[] = [];
  let refetches = 0;
  let token: string | undefined = 'access-1';
  const conn = new LiveConnection({
    url: 'ws://test/api/ws',
    open: (url) => {
      assert.equal(url, 'ws://test/api/ws', 'the URL carries no token');
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    timers,
    token: (refused) => {
      tokenCalls.push(refused);
      return Promise.resolve(token);
    },
    topics: ['readings', 'notifications'],
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    refetch: () => refetches++,
    // random() = 0.999…: each wait is its ceiling, so the test can name the delays.
    backoff: new Backoff({ baseMs: 1_000, capMs: 30_000, random: () => 0.999999 }),
    ...options,
  });
  return {
    conn,
    timers,
    sockets,
    statuses,
    events,
    tokenCalls,
    setToken: (t: string | undefined) => (token = t),
    refetches: () => refetches,
    last: () => sockets[sockets.length - 1] as FakeSocket,
    /** Advances the clock, then lets a reconnect's token resolve. */
    advance: async (ms: number) => {
      timers.advance(ms);
      await settle();
    },
  };
}

describe('live connection', () => {
  it('authenticates with the first message, goes live on ready, passes events on, and does not refetch the first time', async () => {
    const r = rig();
    r.conn.start();
    assert.deepEqual(r.statuses[0], { kind: 'connecting' });
    await settle();
    r.last().serverOpens();
    assert.deepEqual(r.last().sent, [{ type: 'auth', token: 'access-1', topics: ['readings', 'notifications'] }]);
    assert.equal(r.statuses.at(-1)?.kind, 'connecting', 'not live before the server accepted the token');
    r.last().serverSends({ type: 'ready', userId: 'u', topics: ['readings'] });
    assert.equal(r.statuses.at(-1)?.kind, 'live');
    r.last().serverSends(READING);
    r.last().onmessage?.({ data: 'not json' });
    r.last().serverSends({ type: 'event', topic: 'weather', event: {} });
    assert.deepEqual(r.events, [READING], 'what it does not understand is ignored');
    assert.equal(r.refetches(), 0);
  });

  it('reconnects with a growing back-off, says when it will retry, and refetches once back', async () => {
    const r = rig();
    r.conn.start();
    await settle();
    r.last().serverAccepts();
    r.last().serverDrops();
    assert.deepEqual(r.statuses.at(-1), { kind: 'reconnecting', retryAt: 999, attempt: 1, lastOkAt: 0 });
    await r.advance(998);
    assert.equal(r.sockets.length, 1, 'not before the back-off');
    await r.advance(1);
    assert.equal(r.sockets.length, 2);
    r.last().serverDrops(); // the server is still down
    const second = r.statuses.at(-1);
    assert.ok(second?.kind === 'reconnecting' && second.retryAt - r.timers.now() === 1_999, JSON.stringify(second));
    await r.advance(1_999);
    r.last().serverAccepts();
    assert.equal(r.statuses.at(-1)?.kind, 'live');
    assert.equal(r.refetches(), 1, 'what was pushed while away is fetched again');
  });

  it('a server that accepts and drops at once is not hammered: the back-off resets only after a stable while', async () => {
    const r = rig({ stableAfterMs: 10_000 });
    r.conn.start();
    await settle();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      r.last().serverAccepts();
      r.last().serverDrops();
      const s = r.statuses.at(-1);
      if (s?.kind === 'reconnecting') waits.push(s.retryAt - r.timers.now());
      await r.advance(60_000);
    }
    assert.deepEqual(waits, [999, 1_999, 3_999, 7_999]);
    r.last().serverAccepts();
    await r.advance(10_000);
    r.last().serverDrops();
    const s = r.statuses.at(-1);
    assert.equal(s?.kind === 'reconnecting' ? s.retryAt - r.timers.now() : -1, 999, 'after a stable connection the back-off starts over');
  });

  it('pings at half the idle timeout; a connection that stays quiet past it is dropped and replaced', async () => {
    const r = rig({ idleTimeoutMs: 60_000 });
    r.conn.start();
    await settle();
    r.last().serverAccepts();
    await r.advance(30_000);
    assert.deepEqual(r.last().sent.at(-1), { type: 'ping' });
    r.last().serverSends({ type: 'pong' });
    await r.advance(59_000);
    assert.equal(r.sockets.length, 1, 'the pong kept it alive');
    await r.advance(1_000);
    assert.equal(r.sockets[0]?.closed, true);
    assert.equal(r.statuses.at(-1)?.kind, 'reconnecting');
  });

  it('a refused token (4401): the next attempt asks for another one', async () => {
    const r = rig();
    r.conn.start();
    await settle();
    r.last().serverOpens();
    r.last().serverDrops(4401);
    assert.equal(r.statuses.at(-1)?.kind, 'reconnecting');
    r.setToken('access-2');
    await r.advance(1_000);
    assert.deepEqual(r.tokenCalls, [undefined, 'access-1']);
    r.last().serverOpens();
    assert.deepEqual(r.last().sent, [{ type: 'auth', token: 'access-2', topics: ['readings', 'notifications'] }]);
    r.last().serverSends({ type: 'ready' });
    await r.advance(1_000);
    r.last().serverDrops(1001);
    await r.advance(5_000);
    assert.deepEqual(r.tokenCalls, [undefined, 'access-1', undefined], 'after a success the in-memory token is used as is');
  });

  it('no token to be had (the refresh failed): no socket, a retry after the back-off', async () => {
    const r = rig();
    r.setToken(undefined);
    r.conn.start();
    await settle();
    assert.equal(r.sockets.length, 0);
    assert.equal(r.statuses.at(-1)?.kind, 'reconnecting');
    r.setToken('access-1');
    await r.advance(1_000);
    assert.equal(r.sockets.length, 1);
  });

  it('a session ended on the server (4403): after the back-off, only with another token (a refresh decides)', async () => {
    const r = rig();
    r.conn.start();
    await settle();
    r.last().serverAccepts();
    r.last().serverDrops(4403);
    assert.equal(r.statuses.at(-1)?.kind, 'reconnecting');
    await r.advance(998);
    assert.deepEqual(r.tokenCalls, [undefined], 'not at once: a password change in this tab answers first');
    r.setToken(undefined); // the refresh was refused too: the app signs out, nothing to connect with
    await r.advance(1);
    assert.deepEqual(r.tokenCalls, [undefined, 'access-1']);
    assert.equal(r.sockets.length, 1);
  });

  it('while the browser is offline it waits; when the network returns it connects at once', async () => {
    const r = rig();
    r.conn.start();
    await settle();
    r.last().serverAccepts();
    r.conn.networkChanged(false);
    assert.deepEqual(r.statuses.at(-1), { kind: 'offline', lastOkAt: 0 });
    assert.equal(r.sockets[0]?.closed, true);
    await r.advance(600_000);
    assert.equal(r.sockets.length, 1, 'no attempts while offline');
    r.conn.networkChanged(true);
    await settle();
    assert.equal(r.sockets.length, 2);
    r.last().serverAccepts();
    assert.equal(r.refetches(), 1);
  });

  it('stop closes the socket and cancels every timer', async () => {
    const r = rig();
    r.conn.start();
    await settle();
    r.last().serverAccepts();
    r.last().serverDrops();
    r.conn.stop();
    assert.equal(r.timers.pending.size, 0);
    await r.advance(120_000);
    assert.equal(r.sockets.length, 1);
  });
});
