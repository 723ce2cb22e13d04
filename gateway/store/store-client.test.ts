import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import type { Logger } from '../../hardware/logger.js';
import { InProcessStore } from './in-process-store.js';
import type { ReadingStore } from './reading-store.js';
import { StoreClient, storeWorkerUrl, type StoreClientOptions } from './store-client.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { gasEvent, reading, tempDir, waitFor } from './test-support/fixtures.js';

function client(t: TestContext, options: Partial<StoreClientOptions> = {}): { store: StoreClient; dir: string } {
  const dir = options.dataDir ?? tempDir(t);
  const store = new StoreClient({ dataDir: dir, restartInitialMs: 10, ...options });
  t.after(() => store.close());
  return { store, dir };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (_: object, msg?: string) => void lines.push(`${level}: ${msg ?? ''}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The same behaviour from both implementations of ReadingStore. */
for (const kind of ['worker', 'in-process'] as const) {
  test(`${kind}: writes, queries, ack and backlog`, async (t) => {
    const dir = tempDir(t);
    const store: ReadingStore =
      kind === 'worker' ? new StoreClient({ dataDir: dir }) : new InProcessStore({ dataDir: dir, clock: new ManualClock() });
    t.after(() => store.close());
    for (let i = 0; i < 6; i++) store.appendReading(reading(i));
    const committed = new Promise<number>((resolve) => store.recordEvent(gasEvent(), resolve));
    assert.deepEqual(await store.flush(), { pending: 0 });
    const eventSeq = await committed;
    assert.equal((await store.events())[0]?.seq, eventSeq);
    assert.deepEqual((await store.readingsFor('tank-0')).map((r) => r.value), [0, 3]);
    assert.deepEqual((await store.latestReadings()).map((r) => r.value), [3, 4, 5]);
    assert.equal((await store.outbox(0, { maxRecords: 3 })).length, 3);
    assert.equal(await store.ack(3), 3);
    assert.equal(eventSeq, 1, 'the event did not wait for the open batch');
    assert.deepEqual(await store.backlog(), { ackedSeq: 3, lastSeq: 7, readings: 4, events: 0, total: 4 });
    const stats = await store.stats();
    assert.equal(stats.store?.readings, 6);
    assert.equal(stats.worker !== undefined, kind === 'worker');
    await store.close();
  });
}

test('appendReading and recordEvent return at once and never throw, even with junk or after close', async (t) => {
  const { store } = client(t, { logger: recordingLogger() });
  const junk = { ...reading(1), extra: () => 1 } as unknown as ReturnType<typeof reading>; // not cloneable
  assert.doesNotThrow(() => store.appendReading(junk));
  assert.doesNotThrow(() => store.recordEvent({ ...gasEvent(), cb: () => 1 } as unknown as ReturnType<typeof gasEvent>));
  store.appendReading(reading(2));
  await store.flush();
  assert.deepEqual((await store.readingsFor('tank-2')).map((r) => r.value), [2]);
  assert.equal(store.workerStats().unacknowledgedEvents, 0);
  await store.close();
  assert.doesNotThrow(() => store.appendReading(reading(3)));
  assert.doesNotThrow(() => store.recordEvent(gasEvent()));
  await assert.rejects(store.events(), /closed/);
});

test('a query the worker cannot answer rejects with the store error and its hint', async (t) => {
  const parent = tempDir(t);
  const dir = join(parent, 'data');
  writeFileSync(dir, 'not a directory');
  const { store } = client(t, { dataDir: dir, logger: recordingLogger() });
  await assert.rejects(store.events(), (err: Error & { code?: string; hint?: string }) =>
    err.code === 'data_dir' && /--data-dir/.test(err.hint ?? ''));
});

test('worker logs reach the main logger', async (t) => {
  const logger = recordingLogger();
  const { store } = client(t, { logger });
  await store.ready();
  await store.flush();
  assert.ok(logger.lines.includes('info: store open'));
});

test('a killed worker is restarted; unacknowledged writes are resent and land exactly once', async (t) => {
  const logger = recordingLogger();
  const { store, dir } = client(t, { logger });
  await store.ready();
  const N = 20_000;
  const committed = new Map<number, number>();
  let kills = 0;
  for (let i = 1; i <= N; i++) {
    store.appendReading(reading(i));
    if (i % 1000 === 0) store.recordEvent(gasEvent({ message: `event ${i}` }), (seq) => committed.set(i, seq));
    // Kill at varying moments: sometimes mid-batch, sometimes right after a commit was posted.
    if (i % 2500 === 1234) {
      await new Promise((resolve) => setImmediate(resolve));
      await waitFor(() => store.workerStats().running, 5000, 'the worker to be back');
      await store.killWorker();
      kills++;
    }
  }
  assert.deepEqual(await store.flush(), { pending: 0 });
  await waitFor(() => committed.size === N / 1000, 10_000, 'every event acknowledged');
  const stats = await store.stats();
  assert.equal(stats.worker?.restarts, kills);
  assert.ok(logger.lines.some((l) => l.startsWith('error: store worker exited')));
  await store.close();

  const db = new Database(join(dir, 'gateway.db'), { readonly: true });
  t.after(() => db.close());
  const values = db.prepare('SELECT value FROM readings ORDER BY value').pluck().all() as number[];
  assert.equal(values.length, N, 'no reading lost, none twice');
  assert.deepEqual(values, Array.from({ length: N }, (_, k) => k + 1));
  const events = db.prepare('SELECT seq, message FROM events ORDER BY seq').all() as { seq: number; message: string }[];
  assert.equal(events.length, N / 1000);
  for (const { seq, message } of events) assert.equal(committed.get(Number(message.split(' ')[1])), seq);
  const seqs = db.prepare('SELECT seq FROM readings UNION ALL SELECT seq FROM events').pluck().all();
  assert.equal(new Set(seqs).size, seqs.length);
});

test('requests made while the worker is down are answered by its successor', async (t) => {
  const { store } = client(t, { logger: recordingLogger() });
  await store.ready();
  store.appendReading(reading(1));
  const killed = store.killWorker();
  const flushed = store.flush(); // asked while no worker runs
  await killed;
  assert.equal(store.workerStats().running, false);
  assert.deepEqual(await flushed, { pending: 0 });
  assert.deepEqual((await store.readingsFor('tank-1')).map((r) => r.value), [1]);
});

test('the worker is found as .ts beside the source and as .js beside compiled code', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'src', 'store-worker.ts'), '');
  writeFileSync(join(dir, 'dist', 'store-worker.js'), '');
  assert.equal(storeWorkerUrl(pathToFileURL(join(dir, 'src', 'store-client.ts')).href).pathname.endsWith('/src/store-worker.ts'), true);
  assert.equal(storeWorkerUrl(pathToFileURL(join(dir, 'dist', 'store-client.js')).href).pathname.endsWith('/dist/store-worker.js'), true);
  assert.throws(() => storeWorkerUrl(pathToFileURL(join(dir, 'store-client.js')).href), /not found/);
  assert.match(storeWorkerUrl().pathname, /gateway\/store\/store-worker\.ts$/);
});

test('a worker dying between a commit and its acknowledgement: the resend is recognised, nothing twice', async (t) => {
  const logger = recordingLogger();
  const workerUrl = new URL('./test-support/crash-after-commit-worker.ts', import.meta.url);
  const { store, dir } = client(t, { logger, workerUrl });
  await store.ready();
  const trigger = join(dir, 'crash-after-commit');
  const committed = new Map<string, number>();
  let value = 0;
  const crashes = ['readings', 'events', 'readings', 'events'] as const;
  for (const [round, armed] of crashes.entries()) {
    writeFileSync(trigger, armed);
    for (let k = 0; k < 700; k++) store.appendReading(reading(++value));
    const message = `event ${round}`;
    store.recordEvent(gasEvent({ message }), (seq) => committed.set(message, seq));
    await store.flush();
    await waitFor(() => store.workerStats().restarts === round + 1, 10_000, `crash ${round + 1}`);
  }
  assert.deepEqual(await store.flush(), { pending: 0 });
  await waitFor(() => committed.size === crashes.length, 10_000, 'every event acknowledged');
  const counters = (await store.stats()).store?.counters ?? {};
  assert.ok((counters.resent_readings_skipped ?? 0) > 0, 'committed readings were resent and recognised');
  assert.equal(counters.resent_events_skipped, 2, 'each committed-but-unacknowledged event was recognised');
  await store.close();

  const db = new Database(join(dir, 'gateway.db'), { readonly: true });
  t.after(() => db.close());
  const values = db.prepare('SELECT value FROM readings ORDER BY value').pluck().all() as number[];
  assert.deepEqual(values, Array.from({ length: value }, (_, k) => k + 1), 'every reading exactly once');
  const events = db.prepare('SELECT seq, message FROM events').all() as { seq: number; message: string }[];
  assert.equal(events.length, crashes.length, 'every event exactly once');
  for (const { seq, message } of events) assert.equal(committed.get(message), seq, 'acknowledged with its stored seq');
});
