import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiFailure } from '../api/api-failure.js';
import { Store } from './store.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('resource store', () => {
  it('loads on the first subscriber, once, and shares a refresh in flight', async () => {
    let calls = 0;
    const store = new Store('n', () => Promise.resolve(++calls), () => 7);
    const seen: (number | undefined)[] = [];
    store.subscribe((s) => seen.push(s.data));
    store.subscribe(() => undefined);
    await Promise.all([store.refresh(), store.refresh()]);
    assert.equal(calls, 1);
    assert.deepEqual([store.state.data, store.state.updatedAt], [1, 7]);
    assert.ok(seen.includes(1));
  });

  it('keeps the last data beside a failure, and clears the failure on success', async () => {
    let fail = false;
    const store = new Store('n', () => (fail ? Promise.reject(new ApiFailure('NETWORK', 0, 'down')) : Promise.resolve('ok')), () => 1);
    await store.refresh();
    fail = true;
    await store.refresh();
    assert.deepEqual([store.state.data, store.state.error?.code], ['ok', 'NETWORK']);
    fail = false;
    await store.refresh();
    assert.equal(store.state.error, undefined);
  });

  it('a live set wins over a fetch that was already in flight', async () => {
    const pending = deferred<string>();
    const store = new Store('n', () => pending.promise, () => 1);
    const refreshing = store.refresh();
    store.set('from the socket');
    pending.resolve('stale answer');
    await refreshing;
    assert.equal(store.state.data, 'from the socket');
  });

  it('is watched only while someone subscribes', () => {
    const store = new Store('n', () => Promise.resolve(1), () => 1);
    const off = store.subscribe(() => undefined);
    assert.equal(store.watched, true);
    off();
    assert.equal(store.watched, false);
  });
});
