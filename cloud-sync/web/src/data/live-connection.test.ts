import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../../client/backoff.js';
import type { ConnectionStatus, Timers } from './connection-status.js';
import { LiveConnection, type SocketLike } from './live-connection.js';

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
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  closed = false;
  close(): void {
    this.closed = true;
  }
  serverOpens(): void {
    this.onopen?.();
  }
  serverSends(data: unknown): void {
    this.onmessage?.({ data });
  }
  serverDrops(): void {
    this.onclose?.();
  }
}

function rig(options: { stableAfterMs?: number; idleTimeoutMs?: number } = {}) {
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const messages: unknown[] = [];
  let refetches = 0;
  const conn = new LiveConnection({
    url: 'ws://test/api/ws',
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    timers,
    onMessage: (d) => messages.push(d),
    onStatus: (s) => statuses.push(s),
    refetch: () => refetches++,
    // random() = 0.999…: each wait is its ceiling, so the test can name the delays.
    backoff: new Backoff({ baseMs: 1_000, capMs: 30_000, random: () => 0.999999 }),
    ...options,
  });
  return { conn, timers, sockets, statuses, messages, refetches: () => refetches, last: () => sockets[sockets.length - 1] as FakeSocket };
}

describe('live connection', () => {
  it('goes live, passes messages on, and does not refetch on the first connection', () => {
    const r = rig();
    r.conn.start();
    assert.deepEqual(r.statuses[0], { kind: 'connecting' });
    r.last().serverOpens();
    assert.equal(r.statuses.at(-1)?.kind, 'live');
    r.last().serverSends('{"topic":"readings"}');
    assert.deepEqual(r.messages, ['{"topic":"readings"}']);
    assert.equal(r.refetches(), 0);
  });

  it('reconnects with a growing back-off, says when it will retry, and refetches once back', () => {
    const r = rig();
    r.conn.start();
    r.last().serverOpens();
    r.last().serverDrops();
    assert.deepEqual(r.statuses.at(-1), { kind: 'reconnecting', retryAt: 999, attempt: 1, lastOkAt: 0 });
    r.timers.advance(998);
    assert.equal(r.sockets.length, 1, 'not before the back-off');
    r.timers.advance(1);
    assert.equal(r.sockets.length, 2);
    r.last().serverDrops(); // the server is still down
    const second = r.statuses.at(-1);
    assert.ok(second?.kind === 'reconnecting' && second.retryAt - r.timers.now() === 1_999, JSON.stringify(second));
    r.timers.advance(1_999);
    r.last().serverOpens();
    assert.equal(r.statuses.at(-1)?.kind, 'live');
    assert.equal(r.refetches(), 1, 'what was pushed while away is fetched again');
  });

  it('a server that accepts and drops at once is not hammered: the back-off resets only after a stable while', () => {
    const r = rig({ stableAfterMs: 10_000 });
    r.conn.start();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      r.last().serverOpens();
      r.last().serverDrops();
      const s = r.statuses.at(-1);
      if (s?.kind === 'reconnecting') waits.push(s.retryAt - r.timers.now());
      r.timers.advance(60_000);
    }
    assert.deepEqual(waits, [999, 1_999, 3_999, 7_999]);
    r.last().serverOpens();
    r.timers.advance(10_000);
    r.last().serverDrops();
    const s = r.statuses.at(-1);
    assert.equal(s?.kind === 'reconnecting' ? s.retryAt - r.timers.now() : -1, 999, 'after a stable connection the back-off starts over');
  });

  it('a connection that goes quiet past the idle timeout is dropped and replaced', () => {
    const r = rig({ idleTimeoutMs: 60_000 });
    r.conn.start();
    r.last().serverOpens();
    r.timers.advance(59_000);
    r.last().serverSends('ping');
    r.timers.advance(59_000);
    assert.equal(r.sockets.length, 1, 'messages keep it alive');
    r.timers.advance(1_000);
    assert.equal(r.sockets[0]?.closed, true);
    assert.equal(r.statuses.at(-1)?.kind, 'reconnecting');
  });

  it('while the browser is offline it waits; when the network returns it connects at once', () => {
    const r = rig();
    r.conn.start();
    r.last().serverOpens();
    r.conn.networkChanged(false);
    assert.deepEqual(r.statuses.at(-1), { kind: 'offline', lastOkAt: 0 });
    assert.equal(r.sockets[0]?.closed, true);
    r.timers.advance(600_000);
    assert.equal(r.sockets.length, 1, 'no attempts while offline');
    r.conn.networkChanged(true);
    assert.equal(r.sockets.length, 2);
    r.last().serverOpens();
    assert.equal(r.refetches(), 1);
  });

  it('stop closes the socket and cancels every timer', () => {
    const r = rig();
    r.conn.start();
    r.last().serverOpens();
    r.last().serverDrops();
    r.conn.stop();
    assert.equal(r.timers.pending.size, 0);
    r.timers.advance(120_000);
    assert.equal(r.sockets.length, 1);
  });
});
