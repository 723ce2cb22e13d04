import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../../client/backoff.js';
import { ApiFailure } from '../api/api-failure.js';
import type { ConnectionStatus, Timers } from './connection-status.js';
import { PollingSource } from './polling-source.js';

function rig(outcomes: ApiFailure[][]) {
  const pending: { at: number; fn: () => void }[] = [];
  const clock = { t: 0 };
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const entry = { at: clock.t + ms, fn };
      pending.push(entry);
      return entry;
    },
    clearTimeout: (h) => {
      const i = pending.indexOf(h as { at: number; fn: () => void });
      if (i >= 0) pending.splice(i, 1);
    },
    now: () => clock.t,
  };
  const statuses: ConnectionStatus[] = [];
  let calls = 0;
  const source = new PollingSource({
    everyMs: 10_000,
    timers,
    refresh: () => Promise.resolve(outcomes[Math.min(calls++, outcomes.length - 1)] ?? []),
    onStatus: (s) => statuses.push(s),
    backoff: new Backoff({ baseMs: 2_000, capMs: 60_000, random: () => 0.999999 }),
  });
  const next = async () => {
    pending.sort((a, b) => a.at - b.at);
    const due = pending.shift();
    if (due === undefined) throw new Error('nothing scheduled');
    clock.t = due.at;
    due.fn();
    await new Promise((r) => setImmediate(r));
  };
  return { source, statuses, next, pending, calls: () => calls };
}

describe('polling live source', () => {
  it('reports up to date after a round of refreshes, then polls on its period', async () => {
    const r = rig([[]]);
    r.source.start();
    assert.deepEqual(r.statuses, [{ kind: 'connecting' }]);
    await r.next();
    assert.deepEqual(r.statuses.at(-1), { kind: 'polling', everyMs: 10_000, lastOkAt: 500 });
    await r.next();
    assert.equal(r.calls(), 2);
    assert.equal(r.pending[0]?.at, 20_500);
  });

  it('when the cloud stops answering it says so, backs off, and recovers', async () => {
    const down = [new ApiFailure('NETWORK', 0, 'down')];
    const r = rig([[], down, down, []]);
    r.source.start();
    await r.next();
    await r.next();
    assert.deepEqual(r.statuses.at(-1), { kind: 'reconnecting', retryAt: 10_500 + 1_999, attempt: 1, lastOkAt: 500 });
    await r.next();
    const again = r.statuses.at(-1);
    assert.ok(again?.kind === 'reconnecting' && again.retryAt - 12_499 === 3_999, JSON.stringify(again));
    await r.next();
    assert.equal(r.statuses.at(-1)?.kind, 'polling');
  });

  it('a refused request (a 404 of something deleted) is not an outage', async () => {
    const r = rig([[new ApiFailure('EASYGAS_NOT_FOUND', 404, 'gone')]]);
    r.source.start();
    await r.next();
    assert.equal(r.statuses.at(-1)?.kind, 'polling');
  });

  it('offline: no polling until the network returns, then at once', async () => {
    const r = rig([[]]);
    r.source.start();
    await r.next();
    r.source.networkChanged(false);
    assert.deepEqual(r.statuses.at(-1), { kind: 'offline', lastOkAt: 500 });
    assert.equal(r.pending.length, 0);
    r.source.networkChanged(true);
    await new Promise((res) => setImmediate(res));
    assert.equal(r.calls(), 2);
  });
});
