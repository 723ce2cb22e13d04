import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionStatus } from './connection-status.js';
import { LiveSource, type LiveLike, type PollingLike } from './live-source.js';

function rig(options: { webSocket?: boolean } = {}) {
  const shown: ConnectionStatus[] = [];
  const calls: string[] = [];
  let liveStatus!: (s: ConnectionStatus) => void;
  let pollStatus!: (s: ConnectionStatus) => void;
  const live: LiveLike = { start: () => calls.push('live.start'), stop: () => calls.push('live.stop'), networkChanged: (up) => calls.push(`live.network ${up}`) };
  const polling: PollingLike = {
    start: () => calls.push('poll.start'),
    stop: () => calls.push('poll.stop'),
    poke: () => calls.push('poll.poke'),
    pageVisible: () => calls.push('poll.visible'),
    networkChanged: (up) => calls.push(`poll.network ${up}`),
  };
  const source = new LiveSource({
    live: options.webSocket === false ? undefined : (onStatus) => ((liveStatus = onStatus), live),
    polling: (onStatus) => ((pollStatus = onStatus), polling),
    onStatus: (s) => shown.push(s),
    refresh: () => calls.push('refresh'),
    fallbackAfter: 3,
  });
  return { source, shown, calls, live: (s: ConnectionStatus) => liveStatus(s), poll: (s: ConnectionStatus) => pollStatus(s) };
}

const reconnecting = (attempt: number): ConnectionStatus => ({ kind: 'reconnecting', retryAt: 10, attempt, lastOkAt: undefined });

describe('live source: the socket, polling only as its fallback', () => {
  it('uses the socket alone while it works; a write refreshes directly', () => {
    const r = rig();
    r.source.start();
    r.live({ kind: 'live', since: 1 });
    r.source.poke();
    assert.deepEqual(r.calls, ['live.start', 'refresh']);
    assert.deepEqual(r.shown, [{ kind: 'live', since: 1 }]);
    assert.equal(r.source.polling, false);
  });

  it('polls when the browser has no WebSocket', () => {
    const r = rig({ webSocket: false });
    r.source.start();
    assert.deepEqual(r.calls, ['poll.start']);
    r.poll({ kind: 'polling', everyMs: 10_000, lastOkAt: 5 });
    assert.deepEqual(r.shown.at(-1), { kind: 'polling', everyMs: 10_000, lastOkAt: 5 });
  });

  it('after 3 failed attempts polling runs beside the retries and speaks; the socket back stops it', () => {
    const r = rig();
    r.source.start();
    r.live(reconnecting(1));
    r.live(reconnecting(2));
    assert.equal(r.source.polling, false, 'a short outage is the socket’s to ride out');
    r.live(reconnecting(3));
    assert.equal(r.source.polling, true);
    r.poll({ kind: 'polling', everyMs: 10_000, lastOkAt: 7 });
    r.live(reconnecting(4));
    assert.deepEqual(r.shown.at(-1), { kind: 'polling', everyMs: 10_000, lastOkAt: 7 }, 'polling says whether the cloud answers');
    r.source.poke();
    r.live({ kind: 'live', since: 9 });
    assert.equal(r.source.polling, false);
    assert.deepEqual(r.shown.at(-1), { kind: 'live', since: 9 });
    assert.deepEqual(r.calls, ['live.start', 'poll.start', 'poll.poke', 'poll.stop']);
  });

  it('stop stops both', () => {
    const r = rig();
    r.source.start();
    r.live(reconnecting(3));
    r.source.stop();
    assert.deepEqual(r.calls.slice(-2), ['live.stop', 'poll.stop']);
  });
});
